"""Owners' votes for staff under /api/v1/votes: the votes of the user's scope, set-up, opening, paper and proxy
ballots, closing, publishing, the recount, and an estate's silent-owner clause. Thin: selectors read, services
write."""

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import (
    BallotOut,
    ClauseIn,
    ClauseOut,
    PaperBallotIn,
    RecountOut,
    ResultOut,
    VoteActionIn,
    VoteCreateIn,
    VoteDetailOut,
    VoteOut,
    VoterOut,
)
from .schemas import State as VoteState

router = Router(tags=["votes"])


@router.get("", response=list[VoteOut], summary="业主大会表决：本辖区小区的表决事项")
@paginate(Pages)
def votes(request, state: VoteState | None = None):
    return selectors.vote_list(user=request.user, state=state)


@router.post("", response={201: VoteDetailOut}, summary="拟定表决事项（草稿）：社区工作人员")
def vote_create(request, payload: VoteCreateIn):
    vote = services.vote_create(user=request.user, **payload.dict())
    return Status(201, selectors.vote_get(user=request.user, pk=vote.pk))


@router.put("/estates/{estate_id}/clause", response=ClauseOut, summary="记录小区规约中未投票业主的计票规定")
def clause_set(request, estate_id: Id, payload: ClauseIn):
    return services.clause_set(user=request.user, estate_id=estate_id, silent=payload.silent, source=payload.source)


@router.get("/{vote_id}", response=VoteDetailOut, summary="一项表决：议案、事项、期限、业主总数和面积")
def vote(request, vote_id: Id):
    return selectors.vote_get(user=request.user, pk=vote_id)


@router.get("/{vote_id}/voters", response=list[VoterOut], summary="表决业主（开始投票时冻结）及其表决意见")
@paginate(Pages)
def voters(request, vote_id: Id):
    return selectors.voters(selectors.vote_get(user=request.user, pk=vote_id))


@router.get("/{vote_id}/result", response=ResultOut, summary="按已存表决票计算的结果：每个门槛及其数字")
def result(request, vote_id: Id):
    return selectors.tally(selectors.vote_get(user=request.user, pk=vote_id))


@router.get("/{vote_id}/recount", response=RecountOut, summary="重新计票，并与截止时保存的结果比对")
def recount(request, vote_id: Id):
    result, matches = services.vote_recount(user=request.user, vote_id=vote_id)
    return {"matches": matches, "result": result}


def _action(service):
    def act(request, vote_id: Id, payload: VoteActionIn):
        service(user=request.user, vote_id=vote_id, version=payload.version)
        return selectors.vote_get(user=request.user, pk=vote_id)

    return act


router.post("/{vote_id}/open", response=VoteDetailOut, summary="开始投票：按房屋档案冻结表决业主",
            operation_id="votes_open")(_action(services.vote_open))  # fmt: skip
router.post("/{vote_id}/close", response=VoteDetailOut, summary="截止投票：保存结果，此后不再接受表决票",
            operation_id="votes_close")(_action(services.vote_close))  # fmt: skip
router.post("/{vote_id}/publish", response=VoteDetailOut, summary="公示表决结果（业主在居民端可见）",
            operation_id="votes_publish")(_action(services.vote_publish))  # fmt: skip


@router.post("/{vote_id}/ballots", response={201: BallotOut}, summary="录入纸质表决票（附扫描件）或委托投票")
def ballot_enter(request, vote_id: Id, payload: Form[PaperBallotIn], scan: File[UploadedFile] = None):
    ballot = services.ballot_enter(
        user=request.user, vote_id=vote_id, voter_id=payload.voter_id, choice=payload.choice,
        channel=payload.channel, scan=scan, proxy_name=payload.proxy_name,
        proxy_document=payload.proxy_document,
    )  # fmt: skip
    return Status(201, ballot)
