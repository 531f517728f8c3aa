"""质量控制 under /api/v1/surveys/quality: the drawn forms and the error rates of a survey, one drawn form with its
re-check and corrections, recording a re-check, applying a correction. Thin: selectors read, services write."""

from ninja import Router, Status

from linli.core.schemas import Id

from .. import selectors as survey_selectors
from . import selectors, services
from .schemas import (
    RecheckResponseOut,
    SurveyCorrectionIn,
    SurveyCorrectionOut,
    SurveyQualityOut,
    SurveyRecheckIn,
    SurveyRecheckOut,
)

router = Router(tags=["surveys"])


def _survey(request, survey_id: int):
    selectors.check_viewer(request.user)
    return survey_selectors.survey_get(request.user, survey_id)


def _detail(request, response_id: int) -> dict:
    selectors.check_viewer(request.user)
    survey, response = selectors.survey_and_response(request.user, response_id)
    return selectors.response_detail(request.user, survey, response)


@router.get("/{survey_id}", response=SurveyQualityOut, summary="抽中复核的调查表与差错率（按项目、普查员、小区）")
def overview(request, survey_id: Id):
    return selectors.overview(request.user, _survey(request, survey_id))


@router.get(
    "/responses/{response_id}",
    response=RecheckResponseOut,
    summary="一份调查表及其复核与更正",
)
def response(request, response_id: Id):
    return _detail(request, response_id)


@router.post("/responses/{response_id}/recheck", response={201: SurveyRecheckOut}, summary="录入一份抽中表的复核结果")
def recheck(request, response_id: Id, payload: SurveyRecheckIn):
    made = services.recheck_record(
        user=request.user, response_id=response_id, answers=payload.answers, conclusion=payload.conclusion
    )
    return Status(201, selectors.recheck_dict(made))


@router.post("/responses/{response_id}/corrections", response={201: SurveyCorrectionOut}, summary="更正一项填报内容")
def correct(request, response_id: Id, payload: SurveyCorrectionIn):
    c = services.correction_apply(user=request.user, response_id=response_id, **payload.dict())
    return Status(201, selectors.correction_dict(c))
