"""督办 and 考核指标 in the API, under /api/v1/cases beside the case engine's router: the 督办 batch, the indicator
report, its charts and its workbook. Thin: selectors read, services write."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from linli.core.errors import FieldError, ValidationFailed

from .. import access
from ..schemas import CaseOut
from . import export, selectors, services
from .rules import DEFAULT_SORT
from .schemas import IndicatorChartsOut, IndicatorFilterIn, IndicatorsOut, SuperviseIn, indicators_out

router = Router(tags=["cases"])


@router.post("/supervise", response=list[CaseOut], summary="批量督办：全部督办，或一件也不督办")
def cases_supervise(request, payload: SuperviseIn):
    """督办 (挂牌督办 for the district) of every case given with one note. One stale (409), closed (400) or
    missing (404) case leaves them all as they were; the message names it."""
    return services.cases_supervise(
        user=request.user, cases=[(c.id, c.version) for c in payload.cases], note=payload.note
    )


def _report(request, filters: IndicatorFilterIn, sort: str | None) -> selectors.Report:
    """The report for the cases received from `start` (included) to `end` (excluded)."""
    access.check_indicator_viewer(request.user)  # before the parameters: a refused caller learns nothing more
    today = timezone.localdate()
    start = filters.start or today.replace(day=1)
    end = filters.end or today + timedelta(days=1)
    if end <= start:
        raise ValidationFailed([FieldError("end", _("截止日期应晚于开始日期（统计不含截止日期当天）"))])
    return selectors.indicator_report(
        user=request.user, group=filters.group, first=start, last=end - timedelta(days=1), region=filters.region,
        sort=sort,
    )  # fmt: skip


@router.get("/indicators", response=IndicatorsOut, summary="考核指标：按部门、街道或社区分组并排名（仅区域账号）")
def indicators(request, filters: Query[IndicatorFilterIn]):
    """响应率、按期结案率、结案率、返工率、退单率、满意率、平均处置时长 and 缓办数 for the cases received from
    `start` (included) to `end` (excluded), within the caller's scope or the `region` given. Grid workers,
    department and company accounts get 403: they see only their own cases, and a ranking of those would
    mislead."""
    report = _report(request, filters, filters.sort)
    end = report.last + timedelta(days=1)
    return indicators_out(group=filters.group, start=report.first, end=end, rows=report.rows, totals=report.total)


@router.get("/indicators/charts", response=IndicatorChartsOut, summary="考核指标的图表：排名、各状态案件数、各月受理数")
def indicator_charts(request, filters: Query[IndicatorFilterIn]):
    """The charts of the indicator page for the same period, grouping and region; ranked on `sort`."""
    report = _report(request, filters, filters.sort or DEFAULT_SORT)
    return selectors.indicator_charts(user=request.user, report=report)


@router.get("/indicators/export", response={200: None}, summary="导出考核指标（.xlsx，与页面的导出相同）")
def indicators_export(request, filters: Query[IndicatorFilterIn]):
    return export.response(_report(request, filters, filters.sort or DEFAULT_SORT))
