"""Rectification API under /api/v1/rectifications: the register (整改台账), registering a finding, a plan's rates and
the units called to account. The finding's lifecycle steps are the case API's (/api/v1/cases/{id}/actions/…)."""

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from ..plans.selectors import plan_get, rectification_rates
from . import rules, selectors, services
from .schemas import FindingFilterIn, FindingIn, FindingOut, PlanSummaryOut

router = Router(tags=["rectifications"])


@router.get("", response=list[FindingOut], summary="整改台账：按方案、小区、责任单位、状态筛选，超期和整改不力标记")
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def finding_list(request, filters: Query[FindingFilterIn]):
    return selectors.finding_list(user=request.user, filters=selectors.FindingFilter(**filters.dict()))


@router.post("", response={201: FindingOut}, summary="登记整改问题（登记造册，派给责任单位，整改时限）")
def finding_register(request, payload: FindingIn):
    case = services.finding_register(user=request.user, data=payload.dict())
    return Status(201, selectors.finding_get(user=request.user, pk=case.pk))


@router.get(
    "/plans/{plan_id}", response=PlanSummaryOut, summary="方案整改情况：整改率、整改及时率、各责任单位和问责名单"
)
def plan_summary(request, plan_id: int):
    plan = plan_get(request.user, plan_id)
    now = timezone.now()
    units = selectors.plan_units(user=request.user, plan=plan, now=now)
    rates = rectification_rates(plan, now=now)
    failed = {u.owner_id: u.failed for u in units if u.owner_id is not None}
    by_owner = {u.owner_id: u for u in units}
    return {
        "plan_id": plan.pk,
        "findings": rates["findings"],
        "closed": rates["closed"],
        "closed_on_time": rates["closed_on_time"],
        "rectification_rate": rates["rectification_rate"],
        "rectification_on_time": rates["rectification_on_time"],
        "units": [vars(u) for u in units],
        "accountability": [vars(by_owner[k]) for k in rules.accountability_flags(failed)],
    }
