"""覆盖核查 under /api/v1/surveys/coverage: a census's clean-up lists, recomputing them, applying a finding to the
registry or dismissing it. Thin: the pages' selectors and services."""

from ninja import Router
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import ApplyIn, CountsOut, DismissIn, FindingKind, FindingOut, FindingState

router = Router(tags=["surveys"])


@router.get(
    "/{survey_id}/findings", response=list[FindingOut], summary="覆盖核查结果：漏登、未登记、人户分离、无户口、应销未销"
)
@paginate(Pages)
def findings(request, survey_id: Id, kind: FindingKind | None = None, state: FindingState | None = None):
    survey = selectors.runnable_survey(request.user, survey_id)
    return selectors.finding_list(survey, kind=kind, state=state)


@router.get("/{survey_id}/counts", response=CountsOut, summary="覆盖核查结果数：按类别和处理状态")
def counts(request, survey_id: Id):
    return {"counts": selectors.finding_counts(selectors.runnable_survey(request.user, survey_id))}


@router.post(
    "/{survey_id}/compute",
    response=CountsOut,
    summary="比对普查表与标准时间的户籍，重新生成核查清单（保留已处理的结果）",
)
def compute(request, survey_id: Id):
    return {"counts": services.findings_compute(user=request.user, survey_id=survey_id)}


@router.post(
    "/{survey_id}/findings/{finding_id}/apply", response=FindingOut, summary="按核查结果更正户籍（经人口信息维护）"
)
def apply(request, survey_id: Id, finding_id: Id, payload: ApplyIn):
    return services.finding_apply(user=request.user, survey_id=survey_id, finding_id=finding_id, **payload.dict())


@router.post("/{survey_id}/findings/{finding_id}/dismiss", response=FindingOut, summary="核销核查结果（须说明理由）")
def dismiss(request, survey_id: Id, finding_id: Id, payload: DismissIn):
    return services.finding_dismiss(user=request.user, survey_id=survey_id, finding_id=finding_id, **payload.dict())
