"""Pages of the work given to communities: the list (held work with its link to apply), and the burden report with
its trend chart, tables and Excel export. Thin: the same selectors and checks as the API."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.core.errors import PermissionDenied
from linli.core.pages import forbidden
from linli.core.pagination import CappedPaginator

from . import report as report_book
from . import rules, selectors
from .api import NO_WORK, may_list
from .forms import ReportFilterForm, WorkFilterForm

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    if not may_list(request.user):
        return forbidden(request, NO_WORK)
    form = WorkFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = CappedPaginator(selectors.work_list(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    held = list(selectors.held_work(request.user).values_list("pk", flat=True)[:200])
    context = {"form": form, "page": page, "state": state, "held": held,
               "may_apply": roles.can(request.user, roles.BURDEN, roles.APPLY_ACCESS),
               "may_report": roles.can(request.user, roles.BURDEN, roles.VIEW_BURDEN)}  # fmt: skip
    return render(request, "burden/work/list.html", context)


def _report(request):
    communities = selectors.report_communities(request.user).values_list("pk", "name")
    form = ReportFilterForm(request.GET or None, communities=list(communities))
    filters = form.filters()
    months = rules.last_months(timezone.localdate(), filters.pop("months"))
    return form, selectors.burden_report(user=request.user, months=months, **filters)


@login_required
def report(request: HttpRequest, xlsx: bool = False) -> HttpResponse:
    """The report's page, or (`xlsx`) the same figures as a workbook."""
    try:
        form, data = _report(request)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if xlsx:
        response = HttpResponse(report_book.workbook(data), content_type=XLSX)
        name = _("社区减负报表-%(localdate)s.xlsx") % {"localdate": format(timezone.localdate(), "%Y%m%d")}
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    months = data.months
    context = {"form": form, "report": data, "chart": data.chart(), "months": months,
               "rows": list(zip(months, data.trend.row(months), strict=True)),
               "communities": [(line, line.row(months)) for line in data.communities],
               "requesters": [(line, line.row(months)) for line in data.requesters],
               "kinds": rules.burden_rules.WORK_KIND_LABELS,
               "states": rules.burden_rules.WORK_STATE_LABELS}  # fmt: skip
    return render(request, "burden/work/report.html", context)
