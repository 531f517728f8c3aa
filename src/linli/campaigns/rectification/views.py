"""整改台账 pages: the register of findings (per plan, estate and owner unit), the form to register one, the xlsx
export. Thin: campaigns.rectification reads and writes; each finding's own steps happen on the case page."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden

from ..plans.selectors import plan_queryset, rectification_rates
from . import rules, selectors, services
from .forms import FindingForm, RegisterFilterForm

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 5000


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """整改台账: every finding in scope with state, owner, deadline, overdue flag, failed checks and close date;
    for a chosen plan also the rates and the units called to account."""
    user, now = request.user, timezone.now()
    form = RegisterFilterForm(request.GET or None, user=user)
    f = form.filters() if request.GET else selectors.FindingFilter()
    page = Paginator(selectors.finding_list(user=user, filters=f, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    plan = plan_queryset(user).filter(pk=f.plan).first() if f.plan else None
    units = selectors.plan_units(user=user, plan=plan, now=now) if plan else []
    context = {
        "form": form,
        "page": page,
        "rows": selectors.finding_rows(page.object_list, now),
        "plan": plan,
        "units": units,
        "flagged": [u for u in units if u.flagged],
        "rates": rectification_rates(plan, now=now) if plan else None,
        "can_register": selectors.can_register(user),
        "threshold": rules.ACCOUNTABILITY_THRESHOLD,
    }
    return render(request, "campaigns/rectification/register.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    form = RegisterFilterForm(request.GET or None, user=user)
    f = form.filters() if request.GET else selectors.FindingFilter()
    rows = selectors.finding_rows(selectors.finding_list(user=user, filters=f, now=now)[:EXPORT_LIMIT], now)
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    header = ["编号", "工作方案", "小区", "问题分类", "问题描述", "责任单位", "状态", "整改时限", "是否超期",
              "返工次数", "是否整改不力", "消号日期"]  # fmt: skip
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        c = r.case
        ws.append([
            c.number, c.plan.title if c.plan else "", c.estate.name if c.estate else c.region.name, c.category.name,
            c.description, c.lead_department.name if c.lead_department else "（待派遣）", c.get_state_display(),
            timezone.localtime(c.due_at).date() if c.due_at else None, "是" if r.overdue else "否", c.rework_count,
            "是" if r.failed else "否", timezone.localtime(c.closed_at).date() if c.closed_at else None,
        ])  # fmt: skip
    for letter, width in zip("ABCDEFGHIJKL", (14, 30, 18, 12, 40, 24, 14, 12, 10, 10, 14, 12), strict=True):
        ws.column_dimensions[letter].width = width
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"整改台账_{timezone.localdate(now).isoformat()}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_register(user):
        return forbidden(request, "只有系统管理员、区级、街道工作人员和社区工作人员可以登记整改问题。")
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
            except ValidationFailed as exc:
                form.add_domain_errors(exc.errors)
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(request, f"已登记整改问题{case.number}")
                return redirect(f"{reverse('rectification:register')}?plan={case.plan_id}")
    return render(request, "campaigns/rectification/create.html", {"form": form}, status=status)
