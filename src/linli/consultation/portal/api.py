"""Community consultation for residents under /api/v1/portal/consultation: the proposals of the places they belong
to and their own, proposing, commenting, voting. Residents only (the portal router's RESIDENT_AUTH)."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages
from linli.core.schemas import Id
from linli.residents.selectors import resident_of

from .. import selectors, services
from ..schemas import (
    ConsultationCommentIn,
    ConsultationCommentOut,
    ConsultationPlaceOut,
    ConsultationPortalProposalDetailOut,
    ConsultationProposalIn,
    ConsultationProposalOut,
    ConsultationVoteIn,
)

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


def _detail(resident, proposal_id: int) -> dict:
    return selectors.resident_detail(selectors.resident_proposal_get(resident=resident, pk=proposal_id), resident)


@router.get(
    "/consultation",
    response=list[ConsultationProposalOut],
    summary="议事协商：本人所在社区、网格、小区、楼栋的议题和本人的提议",
)
@paginate(Pages)
def proposals(request):
    return selectors.resident_proposals(resident_of(request.user))


@router.get("/consultation/places", response=list[ConsultationPlaceOut], summary="本人可以提出议题的范围")
def places(request):
    return [
        {"audience": a, "id": i, "label": label} for a, i, label in selectors.proposal_places(resident_of(request.user))
    ]


@router.post(
    "/consultation", response={201: ConsultationPortalProposalDetailOut}, summary="提出议题（社区受理后进入协商）"
)
def proposal_submit(request, payload: ConsultationProposalIn):
    resident = resident_of(request.user)
    proposal = services.proposal_submit(
        resident=resident, title=payload.title, body=payload.body, audience=payload.audience, target=payload.target_id
    )
    return Status(201, _detail(resident, proposal.pk))


@router.get(
    "/consultation/{proposal_id}",
    response=ConsultationPortalProposalDetailOut,
    summary="一个议题：讨论、投票、公布的结果",
)
def proposal(request, proposal_id: Id):
    return _detail(resident_of(request.user), proposal_id)


@router.post("/consultation/{proposal_id}/comments", response={201: ConsultationCommentOut}, summary="发表评论")
def comment_post(request, proposal_id: Id, payload: ConsultationCommentIn):
    comment = services.comment_post(resident=resident_of(request.user), proposal_id=proposal_id, body=payload.body)
    return Status(201, comment)


@router.post(
    "/consultation/polls/{poll_id}/vote",
    response={201: ConsultationPortalProposalDetailOut},
    summary="投票（每人一票）",
)
def vote(request, poll_id: Id, payload: ConsultationVoteIn):
    resident = resident_of(request.user)
    ballot = services.vote(resident=resident, poll_id=poll_id, option_id=payload.option_id)
    return Status(201, _detail(resident, ballot.poll.proposal_id))
