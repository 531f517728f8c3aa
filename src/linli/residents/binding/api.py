"""实名认证, 我的家庭 and 更正申请 under /api/v1/portal (residents, each their own), and the offices' review queue
under /api/v1/resident-reviews (staff with accounts.roles.RESIDENTS). Thin: one selector or service a call."""

from collections.abc import Sequence
from functools import partial
from typing import Literal

from ninja import Router, Status
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages, capped_count
from linli.core.schemas import Id

from .. import rules
from . import selectors, services
from .schemas import (
    BindIn,
    BindingOut,
    BindingStateOut,
    CorrectionIn,
    CorrectionOut,
    DecideIn,
    MyHouseholdOut,
    ReviewBindingOut,
    ReviewCorrectionOut,
)

router = Router(tags=["portal"], auth=RESIDENT_AUTH)
review_router = Router(tags=["resident-reviews"])

ReviewStatus = Literal["pending", "approved", "refused", "withdrawn"]


class Shown(Sequence):
    """A queryset shown through `view`, row by row as the paginator slices it: a page reads its rows only."""

    def __init__(self, queryset, view):
        self.queryset, self.view = queryset, view

    def __len__(self) -> int:
        return capped_count(self.queryset)

    def __getitem__(self, index):
        rows = self.queryset[index]
        return [self.view(r) for r in rows] if isinstance(index, slice) else self.view(rows)


def _state(user) -> dict:
    state = selectors.binding_state(user)
    return {
        "bound": state.bound,
        "name": state.resident.person.name if state.bound else "",
        "pending": selectors.binding_view(state.pending) if state.pending else None,
        "last": selectors.binding_view(state.last) if state.last else None,
    }


@router.get("/binding", response=BindingStateOut, summary="实名认证状态：是否已实名、待核实的申请、最近一次结果")
def binding_state(request):
    return _state(request.user)


@router.post(
    "/binding", response=BindingOut, summary="实名认证：姓名与证件号码，手机号与登记一致时立即通过，否则交社区核实"
)
def bind(request, payload: BindIn):
    return selectors.binding_view(services.bind(user=request.user, **payload.dict()))


@router.post("/binding/withdraw", response={204: None}, summary="撤回待核实的实名认证申请")
def binding_withdraw(request):
    services.binding_withdraw(user=request.user)
    return Status(204, None)


@router.delete("/binding", response={204: None}, summary="解除实名（待审核的更正申请一并撤回）")
def unbind(request):
    services.unbind(user=request.user)
    return Status(204, None)


@router.get("/household", response=MyHouseholdOut, summary="我的家庭：户、房屋与成员（本人信息完整，其他成员打码）")
def household(request):
    h = selectors.my_household(request.user)
    return {
        "household_number": h.household.number if h.household else "",
        "household_kind": h.household.get_kind_display() if h.household else "",
        "address": h.address,
        "grid": h.grid,
        "members": [vars(m) for m in h.members],
    }


@router.get("/corrections", response=list[CorrectionOut], summary="我的更正申请，新的在前")
@paginate(Pages)
def corrections(request):
    return Shown(selectors.my_corrections(request.user), partial(selectors.correction_view, current=False))


@router.post("/corrections", response={201: CorrectionOut}, summary="提交更正申请（本人登记信息），交社区审核")
def correction_create(request, payload: CorrectionIn):
    r = services.correction_request(user=request.user, changes=payload.changes, reason=payload.reason)
    return Status(201, selectors.correction_view(r, current=False))


@router.get("/corrections/{pk}", response=CorrectionOut, summary="一份更正申请及审核结果")
def correction(request, pk: Id):
    return selectors.correction_view(selectors.my_correction(request.user, pk), current=False)


@router.post("/corrections/{pk}/withdraw", response=CorrectionOut, summary="撤回待审核的更正申请")
def correction_withdraw(request, pk: Id):
    return selectors.correction_view(services.correction_withdraw(user=request.user, pk=pk), current=False)


# ---------------------------------------------------------------- the offices' review queue


@review_router.get("/bindings", response=list[ReviewBindingOut], summary="待社区核实的实名认证（或按状态查已处理的）")
@paginate(Pages)
def binding_queue(request, status: ReviewStatus = rules.Status.PENDING):
    return Shown(selectors.binding_queue(user=request.user, status=status), selectors.binding_view)


@review_router.get("/bindings/{pk}", response=ReviewBindingOut, summary="一份实名认证申请：可核对的信息（打码）")
def binding_detail(request, pk: Id):
    return selectors.binding_view(selectors.binding_get(user=request.user, pk=pk))


@review_router.post("/bindings/{pk}/decision", response=ReviewBindingOut, summary="社区审核实名认证：通过或不通过")
def binding_decide(request, pk: Id, payload: DecideIn):
    return selectors.binding_view(services.binding_decide(user=request.user, pk=pk, **payload.dict()))


@review_router.get("/corrections", response=list[ReviewCorrectionOut], summary="待审核的更正申请（或按状态查已处理的）")
@paginate(Pages)
def correction_queue(request, status: ReviewStatus = rules.Status.PENDING):
    return Shown(selectors.correction_queue(user=request.user, status=status), selectors.correction_view)


@review_router.get("/corrections/{pk}", response=ReviewCorrectionOut, summary="一份更正申请：更正内容与现登记值")
def correction_detail(request, pk: Id):
    return selectors.correction_view(selectors.correction_get(user=request.user, pk=pk))


@review_router.post(
    "/corrections/{pk}/decision", response=ReviewCorrectionOut, summary="社区审核更正申请：通过即更新登记信息"
)
def correction_decide(request, pk: Id, payload: DecideIn):
    return selectors.correction_view(services.correction_decide(user=request.user, pk=pk, **payload.dict()))
