"""督办 and 考核指标 pages. Thin: selectors read (always in the user's scope), services.case_act writes."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from linli.accounts import roles
from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden
from linli.regions.models import Region
from linli.regions.selectors import region_list
from linli.workdays import services as workdays

from . import access, rules, selectors, services, supervision_selectors
from .models import Case
from .templatetags.case_tags import working_span

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _can_supervise(user) -> bool:
    return roles.can(user, roles.CASES, roles.SUPERVISOR)


def case_url(pk: int) -> str:
    try:
        return reverse("cases:detail", args=[pk])
    except NoReverseMatch:  # the case pages are mounted separately; their path is fixed by the URL plan
        return f"/cases/{pk}/"


# ---------------------------------------------------------------- 超期督办


TABS = {"overdue": "超期案件", "yellow": "黄灯预警"}


def _tab_queryset(user, tab: str, now: datetime):
    if tab == "yellow":
        f = selectors.CaseFilter(light=rules.YELLOW)
        return selectors.case_list(user=user, filters=f, now=now).order_by("due_at", "id")
    return selectors.overdue(user=user, now=now)


@dataclass
class OverdueRow:
    case: Case
    url: str
    light: str
    light_label: str
    duration: str  # past the deadline (超期) or left before it (黄灯)
    duration_hours: Decimal
    level_label: str


def _rows(cases, now: datetime) -> list[OverdueRow]:
    calendar = workdays.Calendar()  # one read of the calendar for the page, not one per row
    result = []
    for case in cases:
        light = rules.light(now, case.warn_at, case.due_at, case.feedback_at)
        clock = min(now, case.feedback_at) if case.feedback_at else now  # stopped at feedback, as the light
        start, end = (case.due_at, clock) if light == rules.RED else (clock, case.due_at)
        seconds = workdays.working_seconds_between(start, end, calendar)
        result.append(
            OverdueRow(
                case=case,
                url=case_url(case.pk),
                light=light,
                light_label=rules.LIGHT_LABELS[light],
                # Past or near the deadline outside working hours: no working time between, but it is not "0分钟".
                duration=working_span(seconds) if seconds else ("刚过时限" if light == rules.RED else "即将到期"),
                duration_hours=(Decimal(seconds) / 3600).quantize(Decimal("0.1")),
                level_label=rules.SUPERVISION_LABELS.get(case.supervision_level, ""),
            )
        )
    return result


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """超期督办: open cases past their deadline, or on yellow light, with a 督办 form per row and for a selection."""
    user = request.user
    if not _can_supervise(user):
        return forbidden(request, "只有系统管理员、区级和街道工作人员可以督办案件。")
    if request.method == "POST":
        return _supervise(request)
    return _overdue_page(request)


def _overdue_page(
    request: HttpRequest,
    *,
    status: int = 200,
    error: str = "",
    failed: int | None = None,
    note: str = "",
    bulk: bool = False,
) -> HttpResponse:
    user, now = request.user, timezone.now()
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "overdue"
    qs = _tab_queryset(user, tab, now)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {tab: page.paginator.count}
    for other in TABS.keys() - {tab}:
        counts[other] = _tab_queryset(user, other, now).count()
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
        "page": page,
        "rows": _rows(page.object_list, now),
        "action_label": access.supervision_label(user),
        "error": error,
        "failed": failed,
        "note": note,
        "bulk": bulk,
        "note_max": services.DESCRIPTION_MAX,
        "day_hours": f"{workdays.working_day_seconds() / 3600:g}",
    }
    return render(request, "cases/supervision/overdue.html", context, status=status)


def _selection(request: HttpRequest) -> list[tuple[int | None, int | None]]:
    """(case id, version) pairs from the row form (case, version) or from the bulk form's ticks (cases=id:version)."""

    def number(value: str) -> int | None:
        return int(value) if value.isdecimal() else None

    if "cases" in request.POST:
        pairs = []
        for value in request.POST.getlist("cases"):
            pk, _, version = value.partition(":")
            pairs.append((number(pk), number(version)))
        return list(dict(pairs).items())  # a case ticked twice is supervised once
    return [(number(request.POST.get("case", "")), number(request.POST.get("version", "")))]


def _supervise(request: HttpRequest) -> HttpResponse:
    """All or nothing: one stale or refused case leaves every selected case as it was, and the page says which."""
    user = request.user
    note = request.POST.get("note", "")
    pairs = _selection(request)
    bulk = "cases" in request.POST or "bulk" in request.POST
    if not pairs or any(pk is None for pk, _ in pairs):
        return _overdue_page(request, status=400, error="请勾选要督办的案件", note=note, bulk=bulk)
    done, current = [], None
    try:
        with transaction.atomic():
            for pk, version in pairs:
                current = pk
                done.append(services.case_act(user=user, case_id=pk, action="supervise", version=version, note=note))
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except DomainError as exc:  # a missing note (400), a closed case (400), a stale version (409)
        message = "；".join(e.message for e in exc.errors) or exc.detail
        if not (bulk and isinstance(exc, ValidationFailed)):  # the note of a bulk form belongs to no one case
            number = selectors.case_queryset(user=user).filter(pk=current).values_list("number", flat=True).first()
            message = f"案件{number}：{message}" if number else message
        if len(pairs) > 1 and not isinstance(exc, ValidationFailed):
            message += "。所选案件都未督办，列表已刷新，请核对后重新提交"
        return _overdue_page(request, status=exc.status, error=message, failed=current, note=note, bulk=bulk)
    label = access.supervision_label(user)
    if len(done) == 1:
        messages.success(request, f"已{label}案件{done[0].number}")
    else:
        messages.success(request, f"已{label}{len(done)}件案件")
    return redirect(request.get_full_path())


# ---------------------------------------------------------------- 考核指标

GROUP_LABELS = {"department": "部门", "street": "街道", "community": "社区"}
PERIODS = {
    "this_month": "本月",
    "last_month": "上月",
    "this_quarter": "本季度",
    "this_year": "本年",
    "custom": "自定义",
}
INDICATORS = list(rules.INDICATOR_LABELS)
SORTS = {**rules.INDICATOR_LABELS, "cases": "案件数"}
DEFAULT_SORT = "on_time_rate"
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What each rate divides, for the hover text and the export: (count, label) over (count, label).
BASIS = {
    "on_time_rate": (("on_time", "按期办结"), ("due", "应办结")),
    "close_rate": (("closed", "已结案"), ("cases", "案件")),
    "rework_rate": (("reworked", "返工过"), ("closed", "已结案")),
    "return_rate": (("returned", "退过单"), ("dispatched", "已派遣")),
    "satisfaction_rate": (("satisfied", "满意和基本满意"), ("rated", "已评价")),
}


def period_dates(period: str, today: date) -> tuple[date, date]:
    """First and last day (both included) of a named period around `today`."""
    if period == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period == "this_quarter":
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    elif period == "this_year":
        first = date(today.year, 1, 1)
    else:
        first = today.replace(day=1)
    months = {"this_quarter": 3, "this_year": 12}.get(period, 1)
    after = date(first.year + (first.month - 1 + months) // 12, (first.month - 1 + months) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) in local time for the days first..last as the user sees them: the end is the midnight after
    the last day, so a case received at 23:59 on the last day counts and one at 00:00 the day after does not."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )


class IndicatorForm(forms.Form):
    period = forms.ChoiceField(label="统计期间", required=False, choices=list(PERIODS.items()))
    start = forms.CharField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.CharField(label="结束日期（含当日）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(label="统计对象", required=False, choices=list(GROUP_LABELS.items()))
    region = forms.TypedChoiceField(label="区域范围", required=False, coerce=int, empty_value=None)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, user, today: date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        nodes = region_list(user=user).filter(level__in=(Region.Level.STREET, Region.Level.COMMUNITY))
        self.fields["region"].choices = [("", "全部管辖范围")] + [
            (str(n.pk), ("\u3000" if n.level == Region.Level.COMMUNITY else "") + n.name) for n in nodes
        ]
        invalid = "请选择有效的{}"
        for name in ("period", "group", "region"):
            self.fields[name].error_messages["invalid_choice"] = invalid.format(self.fields[name].label)

    def clean_sort(self):
        # A column to sort by comes from a link; an unknown one (an old bookmark) falls back to the default.
        return self.cleaned_data["sort"] if self.cleaned_data["sort"] in SORTS else DEFAULT_SORT

    def clean_group(self):
        return self.cleaned_data["group"] or "department"

    def clean(self):
        data = super().clean()
        raw_start, raw_end = (self.data.get(k, "").strip() for k in ("start", "end"))
        period = data.get("period") or ("custom" if raw_start or raw_end else "this_month")
        data["period"] = period
        if period != "custom":
            data["first"], data["last"] = period_dates(period, self.today)
            return data
        first = self._date("start", raw_start)
        last = self._date("end", raw_end)
        if first and last and last < first:
            self.add_error("end", "结束日期不能早于开始日期")
        data["first"], data["last"] = first, last
        return data

    def _date(self, name: str, value: str) -> date | None:
        label = "开始日期" if name == "start" else "结束日期"
        if not value:
            self.add_error(name, f"自定义期间请填写{label}")
            return None
        if not ISO_DATE.fullmatch(value):
            self.add_error(name, f"{label}格式不正确，应为“年-月-日”，如2026-01-31")
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.add_error(name, f"{label}“{value}”不存在，请重新选择")
            return None
        if not EARLIEST <= day <= LATEST:
            self.add_error(name, f"{label}须在2000年至2099年之间")
            return None
        return day

    def shown_dates(self) -> dict:
        """What the date inputs show: the chosen period's days, so a named period reads as its dates."""
        data = getattr(self, "cleaned_data", {})
        if data.get("first") and data.get("last") and not self.errors:
            return {"start": data["first"].isoformat(), "end": data["last"].isoformat()}
        return {"start": self.data.get("start", ""), "end": self.data.get("end", "")}


@dataclass
class Report:
    group: str
    first: date
    last: date
    region: Region | None
    sort: str
    rows: list[selectors.IndicatorRow]
    total: rules.Indicators
    total_counts: rules.Counts
    start: datetime
    end: datetime

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def filename(self) -> str:
        return f"考核指标_{self.group_label}_{self.first.isoformat()}_{self.last.isoformat()}.xlsx"


def _sort_key(sort: str):
    if sort == "cases":
        return lambda row: (-row.counts.cases, row.key is None, row.name)
    return lambda row: (row.ranks[sort] is None, row.ranks[sort] or 0, row.key is None, row.name)


def _report(user, form: IndicatorForm) -> Report:
    data = form.cleaned_data
    start, end = period_bounds(data["first"], data["last"])
    group, region = data["group"], data["region"]
    rows = selectors.indicators(user=user, group=group, start=start, end=end, region=region)
    rows.sort(key=_sort_key(data["sort"]))
    counts = rules.Counts()
    for row in rows:
        for name, value in vars(row.counts).items():
            setattr(counts, name, getattr(counts, name) + value)
    region_node = region_list(user=user).filter(pk=region).first() if region else None
    return Report(
        group, data["first"], data["last"], region_node, data["sort"], rows, selectors.totals(rows), counts, start, end
    )


def _value(indicator: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value}" if indicator == "avg_handling_hours" else f"{value}%"


def _basis(indicator: str, counts: rules.Counts) -> str:
    if indicator == "avg_handling_hours":
        hours = (Decimal(counts.handling_seconds) / 3600).quantize(Decimal("0.1"))
        return f"处置用时合计 {hours} 工作小时 / 已结案 {counts.closed} 件"
    (num, num_label), (den, den_label) = BASIS[indicator]
    text = f"{num_label} {getattr(counts, num)} 件 / {den_label} {getattr(counts, den)} 件"
    return text if getattr(counts, den) else f"{text}，无可计算的基数"


def _table_row(name: str, counts: rules.Counts, values: rules.Indicators, ranks: dict | None) -> dict:
    cells = [
        {
            "key": k,
            "label": rules.INDICATOR_LABELS[k] + ("（工作小时）" if k == "avg_handling_hours" else ""),
            "text": _value(k, getattr(values, k)),
            "title": _basis(k, counts),
            "rank": (ranks or {}).get(k),
        }
        for k in INDICATORS
    ]
    return {"name": name, "cases": counts.cases, "cells": cells}


def _charts(user, report: Report) -> dict:
    names = {row.key: row.name for row in report.rows}
    chart_on = report.sort
    ranked = [row for row in report.rows if row.key is not None]
    if chart_on == "cases":
        ranking = [(row.name, row.counts.cases) for row in ranked]
    else:
        ranking = [(row.name, float(getattr(row.values, chart_on))) for row in ranked if row.ranks[chart_on]]
    states = supervision_selectors.states_by_group(
        user=user, group=report.group, start=report.start, end=report.end, region=report.region and report.region.pk
    )
    order = [row.key for row in report.rows]
    counted_states = [s for s in rules.STATE_LABELS if s not in rules.NOT_COUNTED]
    months = supervision_selectors.received_by_month(
        user=user, start=report.start, end=report.end, region=report.region and report.region.pk
    )
    # Months still to come would read as months without cases.
    month_keys, day, until = [], report.first.replace(day=1), min(report.last, timezone.localdate())
    while day <= until:
        month_keys.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return {
        "ranking": {
            "label": SORTS[chart_on],
            "unit": {"cases": "件", "avg_handling_hours": "工作小时"}.get(chart_on, "%"),
            "names": [name for name, _ in ranking],
            "values": [value for _, value in ranking],
        },
        "states": {
            "groups": [names[k] for k in order],
            "series": [
                {"name": rules.STATE_LABELS[s], "counts": [states.get(k, {}).get(s, 0) for k in order]}
                for s in counted_states
            ],
        },
        "monthly": {
            "months": [f"{m.year}年{m.month}月" for m in month_keys],
            "counts": [months.get(m, 0) for m in month_keys],
        },
    }


def _indicator_access(request: HttpRequest) -> HttpResponse | None:
    try:
        access.check_indicator_viewer(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return None


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """考核指标: the six indicators per department, street or community for a period, ranked, with charts."""
    refused = _indicator_access(request)
    if refused:
        return refused
    form = IndicatorForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return _indicator_page(request, form, None, status=400)
    return _indicator_page(request, form, _report(request.user, form))


def _indicator_page(request: HttpRequest, form: IndicatorForm, report: Report | None, status: int = 200):
    context = {"form": form, "report": report, "dates": form.shown_dates()}
    context["can_supervise"] = _can_supervise(request.user)
    if report is not None:
        context |= {
            "rows": [_table_row(row.name, row.counts, row.values, row.ranks) for row in report.rows],
            "total": _table_row("合计", report.total_counts, report.total, None),
            "headers": [(k, label) for k, label in rules.INDICATOR_LABELS.items()],
            "higher_is_better": rules.HIGHER_IS_BETTER,
            "charts": _charts(request.user, report),
        }
    return render(request, "cases/supervision/indicators.html", context, status=status)


@login_required
def indicators_export(request: HttpRequest) -> HttpResponse:
    """The indicator table as .xlsx: the same rows, order and figures as the page, with the counts behind them."""
    refused = _indicator_access(request)
    if refused:
        return refused
    form = IndicatorForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return _indicator_page(request, form, None, status=400)
    report = _report(request.user, form)
    out = BytesIO()
    _workbook(report).save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, report.filename)
    return response


COUNT_COLUMNS = [
    ("dispatched", "已派遣"),
    ("closed", "已结案"),
    ("due", "应办结"),
    ("on_time", "按期办结"),
    ("reworked", "返工过"),
    ("returned", "退过单"),
    ("rated", "已评价"),
    ("satisfied", "满意和基本满意"),
]


def export_header(group_label: str) -> list[str]:
    header = [group_label, "案件数"]
    for k, label in rules.INDICATOR_LABELS.items():
        header += [f"{label}（工作小时）" if k == "avg_handling_hours" else f"{label}（%）", f"{label}排名"]
    return header + [label for _, label in COUNT_COLUMNS] + ["处置用时合计（工作小时）"]


def _export_row(name: str, counts: rules.Counts, values: rules.Indicators, ranks: dict | None) -> list:
    row = [name, counts.cases]
    for k in INDICATORS:
        value = getattr(values, k)
        row += [float(value) if value is not None else "—", (ranks or {}).get(k)]
    hours = float((Decimal(counts.handling_seconds) / 3600).quantize(Decimal("0.1")))
    return row + [getattr(counts, k) for k, _ in COUNT_COLUMNS] + [hours]


def _workbook(report: Report) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "考核指标"
    header = export_header(report.group_label)
    ws.append(header)
    for row in report.rows:
        ws.append(_export_row(row.name, row.counts, row.values, row.ranks))
    ws.append(_export_row("合计", report.total_counts, report.total, None))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    # Rates and hours keep one decimal, as on the page (100.0, not 100).
    decimal_columns = [3 + 2 * i for i in range(len(INDICATORS))] + [len(header)]
    for column in decimal_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "0.0"
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 24
    for i in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    notes = wb.create_sheet("说明")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    for line in _export_notes(report):
        notes.append(line)
    return wb


def _export_notes(report: Report) -> list[tuple[str, str]]:
    return [
        ("统计期间", f"{report.first.isoformat()} 至 {report.last.isoformat()}（含首尾两日，按受理时间）"),
        ("统计对象", report.group_label),
        ("区域范围", report.region.name if report.region else "全部管辖范围"),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ("案件数", "期间内受理的案件，不含不予受理和已合并的案件"),
        ("按期处置率", "按期办结 ÷ 应办结；应办结为已结案的案件加上未办结但已超过处置时限的案件"),
        ("结案率", "已结案 ÷ 案件数"),
        ("返工率", "已结案案件中核查不通过、返工过的比例"),
        ("退单率", "已派遣案件中被退过单的比例"),
        ("满意率", "已结案并已评价的案件中，评价为满意或基本满意的比例"),
        ("平均处置时长", "已结案案件从首次派遣到结案的平均工作小时数（按工作日历计算）"),
        ("排名", "按各项指标分别排名，并列者名次相同；返工率、退单率、平均处置时长越低越靠前；无数据者不排名"),
        ("—", "该项指标没有可计算的基数"),
    ]
