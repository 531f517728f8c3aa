"""交办社区的工作与减负报表 under /api/v1/burden/work: the work rows a user sees, and the burden report. Thin: the
same selectors and checks as the pages."""

from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router
from ninja.pagination import paginate

from linli.accounts import roles
from linli.core.errors import PermissionDenied
from linli.core.pagination import Pages
from linli.core.schemas import Id, Line

from . import rules, selectors
from .schemas import BurdenReportOut, WorkOut, report_out

router = Router(tags=["burden"])
State = Literal["listed", "admitted", "held", "declined"]
Months = Annotated[int, Field(ge=1, le=36, description="近几个月（含本月），1至36")]
Requester = Annotated[Line, Field(max_length=100, description="交办单位名称")]
NO_WORK = _("只有区、街道、社区工作人员和交办工作的单位可以查看交办社区的工作")


def may_list(user) -> bool:
    return roles.can(user, roles.BURDEN, roles.VIEW_BURDEN) or roles.can(user, roles.BURDEN, roles.APPLY_ACCESS)


@router.get("", response=list[WorkOut], summary="交办社区的工作：本辖区社区的，及本单位交办的")
@paginate(Pages)
def work_list(request, state: State | None = None, community_id: Id | None = None):
    if not may_list(request.user):
        raise PermissionDenied(NO_WORK)
    return selectors.work_list(request.user, state=state or "", community_id=community_id)


@router.get("/report", response=BurdenReportOut, summary="减负报表：各社区、各交办单位逐月交办的任务、报表、表格及准入")
def report(request, months: Months = 12, community_id: Id | None = None,
           requester: Requester | None = None):  # fmt: skip
    data = selectors.burden_report(user=request.user, months=rules.last_months(timezone.localdate(), months),
                                   community_id=community_id, requester=requester or "")  # fmt: skip
    return report_out(data)
