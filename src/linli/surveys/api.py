"""Survey projects under /api/v1/surveys: the surveys of the user's scope, creating one on a plan, editing it in
preparation, starting (the checks, the frozen frame, the long-form draw) and finishing it. Each part of a survey
has its own router below (/surveys/forms, /surveys/areas, /surveys/frames, /surveys/entry …). Thin: selectors
read, services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.errors import PermissionDenied
from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import rules, selectors, services
from .models import Survey
from .schemas import Kind, State, SurveyActionIn, SurveyCreateIn, SurveyDetailOut, SurveyOut, SurveyUpdateIn

router = Router(tags=["surveys"])


def _frame_units(survey: Survey) -> int | None:
    frame = getattr(survey, "frame", None) if survey.state != rules.DRAFT else None
    return frame.units if frame is not None else None


def _out(survey: Survey, done: int) -> dict:
    units = _frame_units(survey)
    return {
        "id": survey.pk, "kind": survey.kind, "kind_label": rules.KINDS[survey.kind], "title": survey.title,
        "state": survey.state, "state_label": rules.STATES[survey.state], "plan_id": survey.plan_id,
        "region": survey.plan.region, "standard_moment": survey.standard_moment,
        "registered_before": survey.registered_before, "hazard_only": survey.hazard_only,
        "area_people": survey.area_people, "long_form_percent": survey.long_form_percent,
        "recheck_percent": survey.recheck_percent, "started_at": survey.started_at,
        "finished_at": survey.finished_at, "units": units, "done": done,
        "progress": selectors.progress_percent(done, units or 0), "version": survey.version,
    }  # fmt: skip


def _detail(user, survey_id: int) -> dict:
    survey = selectors.survey_get(user, survey_id)
    overview = selectors.survey_overview(user, survey)
    done = dict((s, n) for s, _, n in overview["states"])[rules.DONE]
    may_run = selectors.can_run(user, survey)
    return _out(survey, done) | {
        "phases": overview["phases"], "areas": overview["areas"], "may_run": may_run,
        "forms": [{"role": f.role, "role_label": rules.FORM_ROLES[f.role], "form_code": f.version.form.code,
                   "form_name": f.version.form.name, "version_id": f.version_id, "version": f.version.number}
                  for f in overview["forms"]],
        "unit_states": [{"state": s, "label": label, "count": n} for s, label, n in overview["states"]],
        "start_problems": services.start_problems(survey) if may_run and survey.state == rules.DRAFT else [],
    }  # fmt: skip


@router.get("", response=list[SurveyOut], summary="调查与普查：本辖区的调查项目及登记进度")
@paginate(Pages)
def surveys(request, state: State | None = None, kind: Kind | None = None):
    if not selectors.may_see_surveys(request.user):
        raise PermissionDenied()
    return [_out(s, s.done) for s in selectors.survey_list(request.user, state=state, kind=kind)]


@router.post("", response={201: SurveyDetailOut}, summary="建立调查项目（新建或在草拟中的工作方案上），附默认调查表")
def survey_create(request, payload: SurveyCreateIn):
    survey = services.survey_create(user=request.user, **payload.dict())
    return Status(201, _detail(request.user, survey.pk))


@router.get("/{int:survey_id}", response=SurveyDetailOut, summary="一项调查：阶段、用表、小区、名录和登记进度")
def survey(request, survey_id: Id):
    return _detail(request.user, survey_id)


@router.patch("/{int:survey_id}", response=SurveyDetailOut, summary="修改筹备中的调查（携带 version，冲突时 409）")
def survey_update(request, survey_id: Id, payload: SurveyUpdateIn):
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    services.survey_update(user=request.user, survey_id=survey_id, version=payload.version, **changes)
    return _detail(request.user, survey_id)


@router.post("/{int:survey_id}/start", response=SurveyDetailOut,
             summary="开始调查：检查用表、普查小区（不重不漏）和普查员，冻结调查名录，抽取长表户")  # fmt: skip
def survey_start(request, survey_id: Id, payload: SurveyActionIn):
    services.survey_start(user=request.user, survey_id=survey_id, version=payload.version)
    return _detail(request.user, survey_id)


@router.post("/{int:survey_id}/finish", response=SurveyDetailOut, summary="结束调查：停止入户登记")
def survey_finish(request, survey_id: Id, payload: SurveyActionIn):
    services.survey_finish(user=request.user, survey_id=survey_id, version=payload.version)
    return _detail(request.user, survey_id)
