"""物业监管 pages under /property/ (companies, a company's file, estates' 物业化 status) and the public ranking
under /public/property/. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from linli.accounts import roles
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden, form_submit
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .forms import ManagementForm, ManagerForm, ProfileForm, ProjectForm, RecordForm, VoidForm

PAGE_SIZE = 20


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else selectors.current_year()


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    if roles.can(request.user, roles.PROPERTY, roles.OWN_COMPANY_FILE):
        return redirect("property:company", request.user.organization_id)
    q, grade, year = request.GET.get("q", "").strip()[:50], request.GET.get("grade", ""), _year(request)
    try:
        qs = selectors.company_list(user=request.user, q=q, grade=grade, year=year)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, selectors.grade_of(c.score)) for c in page.object_list]
    context = {"page": page, "rows": rows, "q": q, "grade": grade, "year": year,
               "grades": selectors.credit_scheme().grades}  # fmt: skip
    return render(request, "property/list.html", context)


def _file(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    """The company's file; `forms` are bound forms that a POST sent back with their errors."""
    user = request.user
    company = selectors.company_get(user=user, pk=pk)
    year = _year(request)
    may_manage = roles.can(user, roles.PROPERTY, roles.MANAGE_COMPANIES)
    may_record = roles.can(user, roles.PROPERTY, roles.RECORD_CREDIT)
    file = selectors.company_file(company)
    profile = file["profile"]
    context = {
        **file, "year": year, "records": selectors.records_of(company, year=year), "may_manage": may_manage,
        "may_record": may_record, "scheme": selectors.credit_scheme(),
        "may_list": roles.can(user, roles.PROPERTY, roles.READ_COMPANIES),
        "chart": {"years": [s.year for s in file["scores"]], "scores": [float(s.score) for s in file["scores"]],
                  "bands": [[float(low), name] for low, name in selectors.credit_scheme().bands]},
    }  # fmt: skip
    if may_manage:
        context["profile_form"] = forms.get("profile_form") or ProfileForm(initial={
            "legal_representative": profile.legal_representative, "qualification": profile.qualification,
            "contact_phone": profile.contact_phone, "address": profile.address,
            "version": profile.version if profile.pk else None,
        })  # fmt: skip
        context["manager_form"] = forms.get("manager_form") or ManagerForm()
        context["project_form"] = forms.get("project_form") or ProjectForm(user=user, company=company)
    if may_record:
        context["record_form"] = forms.get("record_form") or RecordForm(company=company, initial={"year": year})
    return render(request, "property/file.html", context, status=status)


@login_required
def company_file(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return _file(request, pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)


def _posted(request: HttpRequest, pk: int, name: str, form, call, done: str) -> HttpResponse:
    """Runs the service with the valid form's arguments: back to the file with a message, or the file again with
    the form and its errors."""
    answer = form_submit(request, form, lambda: call(form), done, lambda _: redirect("property:company", pk))
    return answer if answer is not None else _file(request, pk, status=400, **{name: form})


@login_required
@require_POST
def profile_save(request: HttpRequest, pk: int) -> HttpResponse:
    def call(form):
        services.profile_save(user=request.user, company_id=pk, **form.cleaned_data)

    return _posted(request, pk, "profile_form", ProfileForm(request.POST), call, gettext("企业基本情况已保存"))


@login_required
@require_POST
def manager_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(form):
        data = form.cleaned_data
        services.manager_add(
            user=request.user, company_id=pk, name=data["name"], certificate_kind=data["certificate_kind"],
            certificate_number=data["certificate_number"], valid_until=data["certificate_valid_until"],
        )  # fmt: skip

    return _posted(request, pk, "manager_form", ManagerForm(request.POST), call, gettext("项目经理已登记"))


def _posted_for_company(request: HttpRequest, pk: int, name: str, make_form, call, done: str) -> HttpResponse:
    """_posted for a form whose choices depend on the company (its estates, managers or cases)."""
    try:
        company = selectors.company_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return _posted(request, pk, name, make_form(company), call, done)


@login_required
@require_POST
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted_for_company(
        request, pk, "project_form",
        lambda company: ProjectForm(request.POST, user=request.user, company=company),
        lambda form: services.project_create(user=request.user, company_id=pk, **form.arguments()),
        gettext("物业服务项目已登记，小区已改为专业物业"),
    )  # fmt: skip


@login_required
@require_POST
def record_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted_for_company(
        request, pk, "record_form",
        lambda company: RecordForm(request.POST, company=company),
        lambda form: services.credit_record(user=request.user, company_id=pk, **form.arguments()),
        gettext("诚信记录已记入档案"),
    )  # fmt: skip


@login_required
@require_POST
def record_void(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = selectors.record_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写作废理由"))
    else:
        try:
            services.credit_void(user=request.user, record_id=pk, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, gettext("记录已作废，不再计分"))
    return redirect(f"{reverse('property:company', args=[record.company_id])}?year={record.year}")


@login_required
def estate_list(request: HttpRequest) -> HttpResponse:
    management = request.GET.get("management", "")
    try:
        qs = selectors.estate_list(user=request.user, management=management)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    context = {
        "page": page, "management": management, **selectors.user_rates(user=request.user),
        "may_manage": roles.can(request.user, roles.PROPERTY, roles.MANAGE_COMPANIES),
    }  # fmt: skip
    return render(request, "property/estates.html", context)


@login_required
@require_POST
def estate_management(request: HttpRequest) -> HttpResponse:
    form = ManagementForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("提交的数据有误，请刷新后重试"))
        return redirect("property:estates")
    data = form.cleaned_data
    try:
        estate = services.estate_management_set(user=request.user, estate_id=data["estate"], version=data["version"],
                                                management=data["management"])  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            gettext("%(name)s已改为%(get_management_display)s")
            % {"name": estate.name, "get_management_display": estate.get_management_display()},
        )
    return redirect("property:estates")


def ranking(request: HttpRequest) -> HttpResponse:
    """公布: no login; company name, score and grade only."""
    year = _year(request)
    rows = selectors.ranking(year=year)
    counts = selectors.grade_counts(rows)
    chart = {
        "names": [r["name"] for r in rows],
        "scores": [float(r["score"]) for r in rows],
        "grades": [r["grade"] for r in rows],
    }
    context = {"rows": rows, "year": year, "counts": counts, "chart": chart, "scheme": selectors.credit_scheme(),
               "kinds": rules.KIND_LABELS, "public": True}  # fmt: skip
    return render(request, "property/ranking.html", context)
