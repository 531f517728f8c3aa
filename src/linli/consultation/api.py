"""Community consultation for staff under /api/v1/consultation: the proposals of the user's scope, accepting or
declining, their own proposals, comments and moderation, polls (set up, close, publish). Thin: selectors read,
services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import (
    ConsultationActionIn,
    ConsultationCommentIn,
    ConsultationDecideIn,
    ConsultationHideIn,
    ConsultationPollIn,
    ConsultationProposalIn,
    ConsultationProposalOut,
    ConsultationStaffCommentOut,
    ConsultationStaffProposalDetailOut,
)
from .schemas import Status as ProposalStatus

router = Router(tags=["consultation"])


def _detail(request, proposal_id: int) -> dict:
    return selectors.staff_detail(selectors.proposal_get(user=request.user, pk=proposal_id))


@router.get("", response=list[ConsultationProposalOut], summary="议事协商：本辖区的议题（待受理在前）")
@paginate(Pages)
def proposals(request, status: ProposalStatus | None = None):
    return selectors.proposal_list(user=request.user, status=status)


@router.post("", response={201: ConsultationStaffProposalDetailOut}, summary="社区提出议题（直接进入协商）")
def proposal_create(request, payload: ConsultationProposalIn):
    proposal = services.proposal_create(
        user=request.user, title=payload.title, body=payload.body, audience=payload.audience, target=payload.target_id
    )
    return Status(201, _detail(request, proposal.pk))


@router.get(
    "/{proposal_id}",
    response=ConsultationStaffProposalDetailOut,
    summary="一个议题：内容、讨论（含已隐藏）、投票及结果",
)
def proposal(request, proposal_id: Id):
    return _detail(request, proposal_id)


@router.post("/{proposal_id}/decide", response=ConsultationStaffProposalDetailOut, summary="受理或不予受理居民的议题")
def proposal_decide(request, proposal_id: Id, payload: ConsultationDecideIn):
    services.proposal_decide(
        user=request.user, proposal_id=proposal_id, version=payload.version, accept=payload.accept,
        reason=payload.reason,
    )  # fmt: skip
    return _detail(request, proposal_id)


@router.post("/{proposal_id}/comments", response={201: ConsultationStaffCommentOut}, summary="以社区名义参与讨论")
def comment_post(request, proposal_id: Id, payload: ConsultationCommentIn):
    return Status(201, services.staff_comment_post(user=request.user, proposal_id=proposal_id, body=payload.body))


@router.post("/comments/{comment_id}/hide", response=ConsultationStaffCommentOut, summary="隐藏一条评论（须写明理由）")
def comment_hide(request, comment_id: Id, payload: ConsultationHideIn):
    return services.comment_hide(user=request.user, comment_id=comment_id, reason=payload.reason)


@router.post("/{proposal_id}/poll", response={201: ConsultationStaffProposalDetailOut}, summary="对受理的议题发起投票")
def poll_open(request, proposal_id: Id, payload: ConsultationPollIn):
    services.poll_open(user=request.user, proposal_id=proposal_id, **payload.dict())
    return Status(201, _detail(request, proposal_id))


@router.post(
    "/polls/{poll_id}/close", response=ConsultationStaffProposalDetailOut, summary="截止投票（固定有资格的居民数）"
)
def poll_close(request, poll_id: Id, payload: ConsultationActionIn):
    poll = services.poll_close(user=request.user, poll_id=poll_id, version=payload.version)
    return _detail(request, poll.proposal_id)


@router.post(
    "/polls/{poll_id}/publish", response=ConsultationStaffProposalDetailOut, summary="公布投票结果（范围内居民可见）"
)
def poll_publish(request, poll_id: Id, payload: ConsultationActionIn):
    poll = services.poll_publish(user=request.user, poll_id=poll_id, version=payload.version)
    return _detail(request, poll.proposal_id)
