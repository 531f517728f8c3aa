"""整改台账 pages: the register of findings (per plan, estate and owner unit), the form to register one, the xlsx
export. Thin: campaigns.rectification reads and writes; each finding's own steps happen on the case page."""

from io import BytesIO

from django import forms
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

from linli.cases import rules as case_rules
from linli.cases.models import Category
from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.core.forms import DomainErrorsMixin
from linli.core.pages import forbidden

from . import rectification as rect
from .selectors import plan_queryset

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 5000
STATE_CHOICES = [("", "全部状态")] + [
    (k, v) for k, v in case_rules.STATE_LABELS.items() if k not in (case_rules.MERGED, case_rules.REJECTED)
]


class RegisterFilterForm(forms.Form):
    plan = forms.TypedChoiceField(label="工作方案", required=False, coerce=int, empty_value=None)
    estate = forms.TypedChoiceField(label="小区", required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label="责任单位", required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label="状态", required=False, choices=STATE_CHOICES)
    overdue = forms.BooleanField(label="只看超期未整改", required=False)
    failed = forms.BooleanField(label="只看整改不力", required=False)
    q = forms.CharField(label="关键词", required=False, max_length=50)

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["plan"].choices = [("", "全部方案")] + [(p.pk, p.title) for p in plan_queryset(user)]
        self.fields["estate"].choices = [("", "全部小区")] + [
            (e.pk, f"{e.name}（{e.region.name}）") for e in rect.estates_in_scope(user=user)
        ]
        self.fields["owner"].choices = [("", "全部单位")] + [(o.pk, o.name) for o in rect.owner_choices()]

    def filters(self) -> rect.FindingFilter:
        if not self.is_valid():
            return rect.FindingFilter(plan=-1)  # an unknown choice (an old bookmark) finds nothing
        return rect.FindingFilter(**self.cleaned_data)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """整改台账: every finding in scope with state, owner, deadline, overdue flag, failed checks and close date;
    for a chosen plan also the rates and the units called to account."""
    user, now = request.user, timezone.now()
    form = RegisterFilterForm(request.GET or None, user=user)
    f = form.filters() if request.GET else rect.FindingFilter()
    page = Paginator(rect.finding_list(user=user, filters=f, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    plan = plan_queryset(user).filter(pk=f.plan).first() if f.plan else None
    units = rect.plan_units(user=user, plan=plan, now=now) if plan else []
    context = {
        "form": form,
        "page": page,
        "rows": rect.finding_rows(page.object_list, now),
        "plan": plan,
        "units": units,
        "flagged": [u for u in units if u.flagged],
        "rates": rect.rectification_rates(plan, now=now) if plan else None,
        "can_register": rect.can_register(user),
        "threshold": rect.rules.ACCOUNTABILITY_THRESHOLD,
    }
    return render(request, "campaigns/rectification/register.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    form = RegisterFilterForm(request.GET or None, user=user)
    f = form.filters() if request.GET else rect.FindingFilter()
    rows = rect.finding_rows(rect.finding_list(user=user, filters=f, now=now)[:EXPORT_LIMIT], now)
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


class FindingForm(DomainErrorsMixin, forms.Form):
    plan_id = forms.TypedChoiceField(label="工作方案", coerce=int)
    estate_id = forms.TypedChoiceField(label="小区", required=False, coerce=int, empty_value=None)
    region_id = forms.TypedChoiceField(label="或：所在社区/网格", required=False, coerce=int, empty_value=None)
    category_id = forms.TypedChoiceField(label="问题分类", coerce=int)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    owner_id = forms.TypedChoiceField(label="责任单位", coerce=int)
    due_on = forms.DateField(label="整改时限", widget=forms.DateInput(attrs={"type": "date"}))
    photos = forms.FileField(label="现场照片", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"multiple": True, "accept": "image/*"})
        self.fields["plan_id"].choices = [("", "请选择")] + [(p.pk, p.title) for p in rect.finding_plans(user=user)]
        self.fields["estate_id"].choices = [("", "请选择")] + [
            (e.pk, f"{e.name}（{e.region.name}）") for e in rect.estates_in_scope(user=user)
        ]
        self.fields["region_id"].choices = [("", "（已选小区则不填）")] + [
            (r.pk, r.name) for r in rect.places_in_scope(user=user)
        ]
        leaves = Category.objects.filter(active=True, parent__isnull=False).select_related("parent")
        self.fields["category_id"].choices = [("", "请选择")] + [(c.pk, f"{c.parent.name}／{c.name}") for c in leaves]
        if rect.can_dispatch(user):
            self.fields["owner_id"].choices = [("", "请选择")] + [
                (o.pk, f"{o.name}（{o.get_kind_display()}）") for o in rect.owner_choices()
            ]
        else:
            del self.fields["owner_id"]  # the street's dispatcher names the owner when dispatching
        for field in self.fields.values():
            field.error_messages.setdefault("required", f"请填写{field.label}")
            field.error_messages["invalid_choice"] = f"请选择有效的{field.label}"


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not rect.can_register(user):
        return forbidden(request, "只有系统管理员、区级、街道工作人员和社区工作人员可以登记整改问题。")
    form = FindingForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
            try:
                case = rect.finding_register(user=user, data=data, photos=request.FILES.getlist("photos"))
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
