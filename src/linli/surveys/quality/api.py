"""质量控制 under /api/v1/surveys/quality: the drawn forms and the error rates of a survey, one drawn form with its
re-check and corrections, recording a re-check, applying a correction. Thin: selectors read, services write."""

from ninja import Router, Status

from linli.core.schemas import Id

from .. import selectors as survey_selectors
from . import selectors, services
from .schemas import CorrectionIn, CorrectionOut, QualityOut, RecheckIn, RecheckOut, ResponseOut

router = Router(tags=["surveys"])


def _survey(request, survey_id: int):
    selectors.check_viewer(request.user)
    return survey_selectors.survey_get(request.user, survey_id)


def _detail(request, response_id: int) -> dict:
    selectors.check_viewer(request.user)
    survey, response = selectors.survey_and_response(request.user, response_id)
    return selectors.response_detail(request.user, survey, response)


@router.get("/{survey_id}", response=QualityOut, summary="质量控制：抽中复核的调查表与差错率（按项目、普查员、小区）")
def overview(request, survey_id: Id):
    return selectors.overview(request.user, _survey(request, survey_id))


@router.get(
    "/responses/{response_id}", response=ResponseOut, summary="一份调查表：填报内容、复核表式、复核结果与更正记录"
)
def response(request, response_id: Id):
    return _detail(request, response_id)


@router.post("/responses/{response_id}/recheck", response={201: RecheckOut}, summary="录入一份抽中表的复核结果")
def recheck(request, response_id: Id, payload: RecheckIn):
    made = services.recheck_record(
        user=request.user, response_id=response_id, answers=payload.answers, conclusion=payload.conclusion
    )
    return Status(201, selectors.recheck_dict(made))


@router.post("/responses/{response_id}/corrections", response={201: CorrectionOut}, summary="更正调查表的一项填报内容")
def correct(request, response_id: Id, payload: CorrectionIn):
    c = services.correction_apply(user=request.user, response_id=response_id, **payload.dict())
    return Status(201, selectors.correction_dict(c))
