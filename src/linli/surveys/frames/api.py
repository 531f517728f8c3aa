"""A survey's frame and draws under /api/v1/surveys/frames: the frozen frame with its counts, freezing it, the
long-form and re-check draws, each draw published with its picks, and its verification. Thin: selectors read,
services write."""

from ninja import Router, Status

from linli.core.schemas import Id

from .. import selectors as survey_selectors
from . import selectors, services
from .schemas import DrawDetailOut, DrawIn, FrameStatusOut, Purpose, VerificationOut

router = Router(tags=["surveys"])


def _status(user, survey_id: int) -> dict:
    survey = survey_selectors.survey_get(user, survey_id)
    frame = selectors.frame_of(survey)
    return {
        "survey_id": survey.pk,
        "frame": frame,
        "areas": selectors.frame_areas(frame) if frame else [],
        "draws": list(selectors.draws(survey).values()),
    }


@router.get("/{survey_id}", response=FrameStatusOut, summary="调查名录：冻结时点、户（单位）数、人数、摘要，各项抽取")
def frame(request, survey_id: Id):
    return _status(request.user, survey_id)


@router.post("/{survey_id}/freeze", response={201: FrameStatusOut}, summary="从人口库（或单位名录）冻结调查名录")
def freeze(request, survey_id: Id):
    services.frame_freeze(user=request.user, survey_id=survey_id)
    return Status(201, _status(request.user, survey_id))


DRAWS = {"long_form": services.long_form_draw, "recheck": services.recheck_draw}


@router.post("/{survey_id}/draws/{purpose}", response={201: DrawDetailOut}, summary="随机抽取长表户或复核样本")
def draw_create(request, survey_id: Id, purpose: Purpose, payload: DrawIn):
    draw = DRAWS[purpose](user=request.user, survey_id=survey_id, seed=payload.seed)
    return Status(201, _detail(request.user, survey_id, draw.purpose))


def _detail(user, survey_id: int, purpose: str):
    return selectors.draw_get(survey_selectors.survey_get(user, survey_id), purpose)


@router.get(
    "/{survey_id}/draws/{purpose}", response=DrawDetailOut, summary="公示一项抽取：种子、总体、方法、分层、中选名单"
)
def draw(request, survey_id: Id, purpose: Purpose):
    return _detail(request.user, survey_id, purpose)


@router.get("/{survey_id}/draws/{purpose}/verify", response=VerificationOut, summary="按公示的种子重算抽取并与记录比对")
def verify(request, survey_id: Id, purpose: Purpose):
    draw = selectors.draw_get(survey_selectors.survey_get(request.user, survey_id), purpose)
    return selectors.verify(draw)
