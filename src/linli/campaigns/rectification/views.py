"""整改台账 pages: the register of findings (per plan, estate and owner unit), the form to register one, the xlsx
export. Thin: campaigns.rectification reads and writes; each finding's own steps happen on the case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import forbidden

from ..downloads import XLSX, download
from . import rules, selectors, services, tables
from .forms import FindingForm, RegisterFilterForm

PAGE_SIZE = 20


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """整改台账: every finding in scope with state, owner, deadline, overdue flag, failed checks and close date;
    for a chosen plan also the rates and the units called to account."""
    user, now = request.user, timezone.now()
    form = RegisterFilterForm(request.GET or None, user=user)
    f = form.filters() if request.GET else selectors.FindingFilter()
    found = selectors.register(user=user, filters=f, now=now)
    page = Paginator(found.findings, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = found.summary
    units = summary.units if summary else []
    context = {
        "form": form,
        "page": page,
        "rows": selectors.finding_rows(page.object_list, now),
        "plan": summary.plan if summary else None,
        "units": units,
        "flagged": [u for u in units if u.flagged],
        "rates": summary.rates if summary else None,
        "can_register": selectors.can_register(user),
        "threshold": rules.ACCOUNTABILITY_THRESHOLD,
    }
    return render(request, "campaigns/rectification/register.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    form = RegisterFilterForm(request.GET or None, user=user)
    f = form.filters() if request.GET else selectors.FindingFilter()
    rows = selectors.register_export(user=user, filters=f, now=now)
    return download(
        tables.register_xlsx(rows),
        _("整改台账_%(isoformat)s.xlsx") % {"isoformat": timezone.localdate(now).isoformat()},
        XLSX,
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_register(user):
        return forbidden(request, _("只有系统管理员、区级、街道工作人员和社区工作人员可以登记整改问题。"))
    form = FindingForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
            try:
                case = services.finding_register(user=user, data=data, photos=request.FILES.getlist("photos"))
            except PermissionDenied as exc:
                return forbidden(request, exc.detail)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("已登记整改问题%(number)s") % {"number": case.number})
                return redirect(f"{reverse('rectification:register')}?plan={case.plan_id}")
    return render(request, "campaigns/rectification/create.html", {"form": form}, status=status)
