"""Owners' votes for residents under /api/v1/portal/votes: the votes that name them as owners, their units there,
casting their ballot, and the published result. Residents only (RESIDENT_AUTH)."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages
from linli.core.schemas import Id
from linli.residents.selectors import resident_of

from .. import rules, selectors, services
from ..schemas import BallotIn, BallotOut, PortalVoteOut, ResultOut, VoterOut

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


@router.get("/votes", response=list[PortalVoteOut], summary="业主投票：本人作为业主参加的表决")
@paginate(Pages)
def votes(request):
    return selectors.resident_votes(resident_of(request.user))


@router.get("/votes/{vote_id}/mine", response=list[VoterOut], summary="本人在这项表决中的房屋及已投的票")
def mine(request, vote_id: Id):
    resident = resident_of(request.user)
    vote = selectors.resident_vote_get(resident=resident, pk=vote_id)
    return selectors.resident_voters(resident=resident, vote=vote)


@router.post("/votes/{vote_id}/ballot", response={201: BallotOut}, summary="投票：同意、反对或弃权，投出后不能更改")
def ballot(request, vote_id: Id, payload: BallotIn):
    cast = services.ballot_cast(resident=resident_of(request.user), vote_id=vote_id, voter_id=payload.voter_id,
                                choice=payload.choice)  # fmt: skip
    return Status(201, cast)


@router.get("/votes/{vote_id}/result", response=ResultOut, summary="公示的表决结果（公示后可见）")
def result(request, vote_id: Id):
    vote = selectors.resident_vote_get(resident=resident_of(request.user), pk=vote_id)
    if vote.state != rules.PUBLISHED:
        raise Http404
    return selectors.tally(vote)
