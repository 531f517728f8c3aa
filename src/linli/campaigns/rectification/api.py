"""Rectification API under /api/v1/rectifications: the register (整改台账), registering a finding, a plan's rates and
the units called to account. The finding's lifecycle steps are the case API's (/api/v1/cases/{id}/actions/…)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from ..downloads import XLSX, download
from . import selectors, services, tables
from .schemas import FindingFilterIn, FindingIn, FindingOut, PlanSummaryOut, plan_summary_out

router = Router(tags=["rectifications"])


@router.get("", response=list[FindingOut], summary="整改台账：按方案、小区、责任单位、状态筛选，超期和整改不力标记")
@paginate(Pages)
def finding_list(request, filters: Query[FindingFilterIn]):
    return selectors.finding_list(user=request.user, filters=selectors.FindingFilter(**filters.dict()))


@router.post("", response={201: FindingOut}, summary="登记整改问题（登记造册，派给责任单位，整改时限）")
def finding_register(request, payload: FindingIn):
    case = services.finding_register(user=request.user, data=payload.dict())
    return Status(201, selectors.finding_get(user=request.user, pk=case.pk))


@router.get(
    "/plans/{plan_id}", response=PlanSummaryOut, summary="方案整改情况：整改率、整改及时率、各责任单位和问责名单"
)
def plan_summary(request, plan_id: Id):
    return plan_summary_out(selectors.plan_summary(user=request.user, plan_id=plan_id))


@router.get("/export", response={200: None}, summary="导出整改台账（.xlsx，筛选同列表，最多5000条）")
def register_export(request, filters: Query[FindingFilterIn]):
    rows = selectors.register_export(user=request.user, filters=selectors.FindingFilter(**filters.dict()))
    return download(
        tables.register_xlsx(rows),
        _("整改台账_%(isoformat)s.xlsx") % {"isoformat": timezone.localdate().isoformat()},
        XLSX,
    )
