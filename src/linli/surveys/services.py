"""Writes of survey projects: a survey is a campaign plan with a survey attached. Creating one draws up the plan
(through the plans' service, with the phases of its kind) or attaches to a draft plan; the default forms of its kind
are set; it is edited while in preparation (筹备中); starting it checks what entry needs (forms, 普查小区 that cover
the area once and only once, enumerators), freezes the frame and draws the long-form households; finishing closes
entry. Who: RUN_SURVEYS over the survey's region; others who see the survey get 403, the rest 404."""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles, scope
from linli.campaigns.plans import rules as plan_rules
from linli.campaigns.plans import selectors as plan_selectors
from linli.campaigns.plans import services as plan_services
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed

from . import rules, selectors
from .areas.selectors import coverage_report
from .frames.services import frame_freeze, long_form_draw
from .models import AreaEnumerator, FormVersion, Frame, Survey, SurveyForm

RUN_ONLY = gettext_lazy("只有调查所属区域的区、街道工作人员可以组织调查")
AREA_PEOPLE = (20, 2000)  # 普查小区 of a few dozen to a couple of thousand people; 300 as the census asks
EDITABLE = ("title", "standard_day", "registered_before", "hazard_only", "area_people", "long_form_percent",
            "recheck_percent")  # fmt: skip


def may_create(user) -> bool:
    return roles.can(user, roles.SURVEYS, roles.RUN_SURVEYS)


def moment_of(day: date) -> datetime:
    """标准时间: 零时 (local midnight) of the census day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _percent(value, field: str, label: str, errors: list[FieldError]) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not 0 < number <= 100 or number != round(number, 2):
        errors.append(FieldError(field, _("%(label)s应为大于0、不超过100的数，最多两位小数") % {"label": label}))
        return None
    return number


def _clean(kind: str, data: dict) -> dict:
    """The survey's own fields from `data`, checked together; ValidationFailed names each field."""
    errors: list[FieldError] = []
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(FieldError("title", _("请填写调查名称")))
    elif len(title) > Survey._meta.get_field("title").max_length:
        errors.append(FieldError("title", _("调查名称不能超过100个字")))
    out = {"title": title, "hazard_only": bool(data.get("hazard_only"))}
    day, cutoff = data.get("standard_day"), data.get("registered_before")
    out["standard_moment"] = moment_of(day) if kind == rules.CENSUS and day else None
    out["registered_before"] = cutoff if kind == rules.UNITS else None
    if kind == rules.CENSUS and not day:
        errors.append(FieldError("standard_day", _("请填写普查标准时间（该日零时）")))
    if kind == rules.UNITS and not cutoff:
        errors.append(FieldError("registered_before", _("请填写调查对象的注册截止日期")))
    people = data.get("area_people", 300)
    if not isinstance(people, int) or not AREA_PEOPLE[0] <= people <= AREA_PEOPLE[1]:
        errors.append(
            FieldError(
                "area_people",
                _("普查小区人数应为%(AREA_PEOPLE)s到%(AREA_PEOPLE2)s的整数")
                % {"AREA_PEOPLE": AREA_PEOPLE[0], "AREA_PEOPLE2": AREA_PEOPLE[1]},
            )
        )
    out["area_people"] = people
    out["long_form_percent"] = _percent(
        data.get("long_form_percent", 10), "long_form_percent", _("长表抽取比例"), errors
    )
    out["recheck_percent"] = _percent(data.get("recheck_percent", 2), "recheck_percent", _("复核抽取比例"), errors)
    if errors:
        raise ValidationFailed(errors)
    return out


def _attach_default_forms(survey: Survey) -> None:
    """The newest published version of each default form of the survey's kind; the forms' pages change them."""
    for role, code in rules.DEFAULT_FORMS[survey.kind].items():
        version = FormVersion.objects.filter(form__code=code, published_at__isnull=False).order_by("-number").first()
        if version is not None:
            SurveyForm.objects.create(survey=survey, role=role, version=version)


def _phases(kind: str, anchor: date) -> list[dict]:
    return [{"name": name, "starts_on": starts, "ends_on": ends, "description": text}
            for name, starts, ends, text in rules.phase_template(kind, anchor)]  # fmt: skip


def _plan_for(*, user, kind: str, title: str, region_id, plan_id, issuer: str, anchor: date):
    """The survey's plan: a new draft with the phases of its kind, or a draft plan of the user's (given phases if it
    has none) that no survey is attached to yet."""
    if plan_id is not None:
        plan = plan_selectors.plan_get(user, plan_id)
        if not plan_selectors.can_edit_plan(user, plan):
            raise PermissionDenied(RUN_ONLY)
        if plan.status != plan_rules.DRAFT:
            raise ValidationFailed([FieldError("plan_id", _("只能在草拟中的工作方案上建立调查"))])
        if Survey.objects.filter(plan=plan).exists():
            raise ValidationFailed([FieldError("plan_id", _("该工作方案已建立调查"))])
        if not plan.phases.exists():
            plan = plan_services.plan_update(user=user, plan=plan, version=plan.version,
                                             data={"phases": _phases(kind, anchor)})  # fmt: skip
        return plan
    if region_id is None:
        raise ValidationFailed([FieldError("region_id", _("请选择调查所属的区、街道或社区"))])
    region = scope.get_or_404(selectors.region_choices(user), pk=region_id)
    office = _("人口普查领导小组办公室") if kind == rules.CENSUS else _("调查工作领导小组")
    issuer = issuer.strip() or f"{region.name}{office}"
    data = {"region_id": region.pk, "title": title, "issuer": issuer, "phases": _phases(kind, anchor)}
    return plan_services.plan_create(user=user, data=data)


@transaction.atomic
def survey_create(*, user, kind: str, title: str, region_id: int | None = None, plan_id: int | None = None,
                  issuer: str = "", standard_day: date | None = None, registered_before: date | None = None,
                  hazard_only: bool = False, area_people: int = 300, long_form_percent=10, recheck_percent=2,
                  starts_on: date | None = None) -> Survey:  # fmt: skip
    """A survey in preparation on a new plan for `region_id` or on the draft plan `plan_id`. The plan's phases are
    dated from the census's standard day, or from `starts_on` (today if not given) for a unit survey."""
    if not may_create(user):
        raise PermissionDenied(RUN_ONLY)
    if kind not in rules.KINDS:
        raise ValidationFailed([FieldError("kind", _("请选择调查类型：人口普查或单位调查"))])
    fields = _clean(kind, {"title": title, "standard_day": standard_day, "registered_before": registered_before,
                           "hazard_only": hazard_only, "area_people": area_people,
                           "long_form_percent": long_form_percent, "recheck_percent": recheck_percent})  # fmt: skip
    anchor = standard_day if kind == rules.CENSUS else starts_on or timezone.localdate()
    plan = _plan_for(user=user, kind=kind, title=fields["title"], region_id=region_id, plan_id=plan_id,
                     issuer=issuer, anchor=anchor)  # fmt: skip
    survey = Survey.objects.create(plan=plan, kind=kind, created_by=user, **fields)
    _attach_default_forms(survey)
    return survey


def _locked(*, user, survey_id: int, version: int | None) -> Survey:
    """The survey for a write: 404 out of scope, 403 for those who only read it, 409 when the version moved."""
    survey = selectors.survey_get(user, survey_id)
    if not selectors.can_run(user, survey):
        raise PermissionDenied(RUN_ONLY)
    survey = Survey.objects.select_for_update().select_related("plan__region").get(pk=survey.pk)
    if version is None or version != survey.version:
        raise Conflict()
    return survey


def _bump(survey: Survey, *fields: str) -> None:
    survey.version += 1
    survey.save(update_fields=["version", *fields])


@transaction.atomic
def survey_update(*, user, survey_id: int, version: int | None, **changes) -> Survey:
    """Change a survey in preparation; fields not given keep their values. Its kind and region stay."""
    survey = _locked(user=user, survey_id=survey_id, version=version)
    if survey.state != rules.DRAFT:
        raise Conflict(_("调查已开始，不能再修改"))
    current = {"title": survey.title, "registered_before": survey.registered_before,
               "standard_day": timezone.localdate(survey.standard_moment) if survey.standard_moment else None,
               "hazard_only": survey.hazard_only, "area_people": survey.area_people,
               "long_form_percent": survey.long_form_percent, "recheck_percent": survey.recheck_percent}  # fmt: skip
    fields = _clean(survey.kind, current | {k: v for k, v in changes.items() if k in EDITABLE})
    for name, value in fields.items():
        setattr(survey, name, value)
    _bump(survey, *fields)
    return survey


COVERAGE_SHOWN = 10  # the page lists the first few; the areas' page lists them all


def _coverage_problems(survey: Survey) -> list[str]:
    errors = coverage_report(survey).errors
    if len(errors) > COVERAGE_SHOWN:
        return [*errors[:COVERAGE_SHOWN], _("不重不漏检查共发现%(len)s处问题，详见普查小区页面") % {"len": len(errors)}]
    return errors


def start_problems(survey: Survey) -> list[str]:
    """Why the survey cannot start yet (empty: it can): the survey's page shows them beside the start button."""
    areas = list(survey.areas.order_by("code").values_list("pk", "code"))
    staffed = set(AreaEnumerator.objects.filter(area__survey=survey).values_list("area_id", flat=True))
    return rules.start_problems(
        survey.kind,
        roles=set(survey.forms.values_list("role", flat=True)),
        areas=len(areas),
        without_enumerators=[code for pk, code in areas if pk not in staffed],
        coverage=_coverage_problems(survey) if survey.kind == rules.CENSUS and areas else [],
    )


@transaction.atomic
def survey_start(*, user, survey_id: int, version: int | None, now: datetime | None = None) -> Survey:
    """开始调查: once the checks pass, the frame is frozen from the registry as of the standard moment (or the
    cut-off), a census draws its long-form households, and enumerators may enter forms."""
    survey = _locked(user=user, survey_id=survey_id, version=version)
    if survey.state != rules.DRAFT:
        raise Conflict(_("只有筹备中的调查可以开始"))
    if problems := start_problems(survey):
        raise DomainError(_("调查尚不能开始：") + "；".join(problems), [FieldError("state", p) for p in problems])
    # The frames' page may have frozen the frame or drawn the long form already, to publish them ahead.
    if not Frame.objects.filter(survey=survey).exists():
        frame_freeze(user=user, survey_id=survey.pk)
    if survey.kind == rules.CENSUS and not survey.draws.filter(purpose=rules.DRAW_LONG_FORM).exists():
        long_form_draw(user=user, survey_id=survey.pk)
    survey.refresh_from_db(fields=["version"])
    survey.state, survey.started_at = rules.RUNNING, now or timezone.now()
    _bump(survey, "state", "started_at")
    return survey


@transaction.atomic
def survey_finish(*, user, survey_id: int, version: int | None, now: datetime | None = None) -> Survey:
    """结束调查: entry closes; results, re-checks and the clean-up lists stay readable."""
    survey = _locked(user=user, survey_id=survey_id, version=version)
    if survey.state != rules.RUNNING:
        raise Conflict(_("只有调查中的调查可以结束"))
    survey.state, survey.finished_at = rules.FINISHED, now or timezone.now()
    _bump(survey, "state", "finished_at")
    return survey
