"""督办 and 考核指标 pages. Thin: selectors read (always in the user's scope), services write."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import roles
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.forms import checked_text, id_or_none, version_or_none
from linli.core.pages import error_text, forbidden
from linli.core.text import Kind
from linli.workdays import services as workdays

from .. import access, rules
from ..models import Case
from ..services import DESCRIPTION_MAX
from ..templatetags.case_tags import working_span
from . import export, selectors, services
from .forms import IndicatorForm
from .selectors import TABS, Report

PAGE_SIZE = 20


def _can_supervise(user) -> bool:
    return roles.can(user, roles.CASES, roles.SUPERVISOR)


def case_url(pk: int) -> str:
    try:
        return reverse("cases:detail", args=[pk])
    except NoReverseMatch:  # the case pages are mounted separately; their path is fixed by the URL plan
        return f"/cases/{pk}/"


# ---------------------------------------------------------------- 超期督办


@dataclass
class OverdueRow:
    case: Case
    url: str
    light: str
    light_label: str
    duration: str  # past the deadline (超期) or left before it (黄灯)
    duration_hours: Decimal
    level_label: str


def _row(w: selectors.Watched) -> OverdueRow:
    return OverdueRow(
        case=w.case,
        url=case_url(w.case.pk),
        light=w.light,
        light_label=rules.LIGHT_LABELS[w.light],
        # Past or near the deadline outside working hours: no working time between, but it is not "0分钟".
        duration=working_span(w.seconds)
        if w.seconds
        else (gettext("刚过时限") if w.light == rules.RED else gettext("即将到期")),
        duration_hours=rules.hours(w.seconds),
        level_label=rules.SUPERVISION_LABELS.get(w.case.supervision_level, ""),
    )


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """超期督办: open cases past their deadline, or on yellow light, with a 督办 form per row and for a selection."""
    try:
        access.check_supervisor(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
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
    page = Paginator(selectors.watch_list(user=user, tab=tab, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {tab: page.paginator.count}
    for other in TABS.keys() - {tab}:
        counts[other] = selectors.watch_list(user=user, tab=other, now=now).count()
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
        "page": page,
        "rows": [_row(w) for w in selectors.watched(page.object_list, now=now)],
        "action_label": access.supervision_label(user),
        "error": error,
        "failed": failed,
        "note": note,
        "bulk": bulk,
        "note_max": DESCRIPTION_MAX,
        "day_hours": f"{workdays.working_day_seconds() / 3600:g}",
    }
    return render(request, "cases/supervision/overdue.html", context, status=status)


def _selection(request: HttpRequest) -> list[tuple[int, int | None]]:
    """(case id, version) pairs from the row form (case, version) or from the bulk form's ticks (cases=id:version);
    none when a case id is not a number."""

    if "cases" in request.POST:
        pairs = [value.partition(":")[::2] for value in request.POST.getlist("cases")]
    else:
        pairs = [(request.POST.get("case", ""), request.POST.get("version", ""))]
    parsed = [(id_or_none(pk), version_or_none(version)) for pk, version in pairs]
    if any(pk is None for pk, _ in parsed):
        return []
    return list(dict(parsed).items())  # a case ticked twice is supervised once


def _supervise(request: HttpRequest) -> HttpResponse:
    """All or nothing: one stale or refused case leaves every selected case as it was, and the page says which."""
    note = request.POST.get("note", "")
    pairs = _selection(request)
    bulk = "cases" in request.POST or "bulk" in request.POST
    try:
        done = services.cases_supervise(user=request.user, cases=pairs, note=checked_text(note, Kind.TEXT, "note"))
    except services.CaseRefused as exc:
        reason = exc.reason
        if isinstance(reason, PermissionDenied):
            return forbidden(request, reason)
        message = error_text(reason)
        if exc.number and not (bulk and isinstance(reason, ValidationFailed)):  # a bulk note belongs to no one case
            message = gettext("案件%(number)s：%(message)s") % {"number": exc.number, "message": message}
        if len(pairs) > 1 and not isinstance(reason, ValidationFailed):
            message += gettext("。所选案件都未督办，列表已刷新，请核对后重新提交")
        return _overdue_page(request, status=reason.status, error=message, failed=exc.case_id, note=note, bulk=bulk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationFailed as exc:  # nothing selected
        return _overdue_page(request, status=400, error=error_text(exc), note=note, bulk=bulk)
    label = access.supervision_label(request.user)
    if len(done) == 1:
        messages.success(request, gettext("已%(label)s案件%(number)s") % {"label": label, "number": done[0].number})
    else:
        messages.success(request, gettext("已%(label)s%(len)s件案件") % {"label": label, "len": len(done)})
    return redirect(request.get_full_path())


# ---------------------------------------------------------------- 考核指标

# What each rate divides, for the hover text and the export: (count, label) over (count, label).
BASIS = {
    "response_rate": (("responded", gettext_lazy("按时签收")), ("response_due", gettext_lazy("应签收"))),
    "close_rate": (("closed", gettext_lazy("已结案")), ("cases", gettext_lazy("案件"))),
    "rework_rate": (("reworked", gettext_lazy("返工过")), ("closed", gettext_lazy("已结案"))),
    "return_rate": (("returned", gettext_lazy("退单")), ("assigned", gettext_lazy("派单"))),
    "solve_rate": (("solved", gettext_lazy("已解决")), ("visited", gettext_lazy("已回访"))),
    "satisfaction_rate": (("satisfied", gettext_lazy("满意和基本满意")), ("rated", gettext_lazy("已评价"))),
}


def _value(indicator: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value}" if indicator == "avg_handling_hours" else f"{value}%"


def _basis(indicator: str, counts: rules.Counts) -> str:
    if indicator == "avg_handling_hours":
        return gettext("处置用时合计 %(hours)s 工作小时 / 已结案 %(closed)s 件") % {
            "hours": rules.hours(counts.handling_seconds),
            "closed": counts.closed,
        }
    if indicator == "on_time_rate":
        text = gettext("按期结案 %(on_time)s 件 / (应结案 %(due)s 件 − 缓办 %(deferred)s 件)") % {
            "on_time": counts.on_time,
            "due": counts.due,
            "deferred": counts.deferred,
        }
        return text if counts.due - counts.deferred else gettext("%(text)s，无可计算的基数") % {"text": text}
    (num, num_label), (den, den_label) = BASIS[indicator]
    text = gettext("%(num_label)s %(getattr)s 件 / %(den_label)s %(getattr2)s 件") % {
        "num_label": num_label,
        "getattr": getattr(counts, num),
        "den_label": den_label,
        "getattr2": getattr(counts, den),
    }
    return text if getattr(counts, den) else gettext("%(text)s，无可计算的基数") % {"text": text}


def _table_row(name: str, counts: rules.Counts, values: rules.Indicators, ranks: dict | None) -> dict:
    cells = [
        {
            "key": k,
            "label": rules.INDICATOR_LABELS[k] + (gettext("（工作小时）") if k == "avg_handling_hours" else ""),
            "text": _value(k, getattr(values, k)),
            "title": _basis(k, counts),
            "rank": (ranks or {}).get(k),
        }
        for k in rules.INDICATOR_LABELS
    ]
    return {"name": name, "cases": counts.cases, "deferred": counts.deferred, "cells": cells}


def _indicator_access(request: HttpRequest) -> HttpResponse | None:
    try:
        access.check_indicator_viewer(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return None


def _report(request: HttpRequest, form: IndicatorForm) -> Report:
    d = form.cleaned_data
    return selectors.indicator_report(
        user=request.user, group=d["group"], first=d["first"], last=d["last"], region=d["region"], sort=d["sort"]
    )


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """考核指标: the six indicators per department, street or community for a period, ranked, with charts."""
    refused = _indicator_access(request)
    if refused:
        return refused
    form = IndicatorForm(request.GET, user=request.user, today=timezone.localdate())
    if not form.is_valid():
        return _indicator_page(request, form, None, status=400)
    return _indicator_page(request, form, _report(request, form))


def _indicator_page(request: HttpRequest, form: IndicatorForm, report: Report | None, status: int = 200):
    context = {"form": form, "report": report, "dates": form.shown_dates()}
    context["can_supervise"] = _can_supervise(request.user)
    if report is not None:
        context |= {
            "rows": [_table_row(row.name, row.counts, row.values, row.ranks) for row in report.rows],
            "total": _table_row(gettext("合计"), report.total_counts, report.total, None),
            "headers": [(k, label) for k, label in rules.INDICATOR_LABELS.items()],
            "higher_is_better": rules.HIGHER_IS_BETTER,
            "charts": selectors.indicator_charts(user=request.user, report=report),
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
    return export.response(_report(request, form))
