"""业主委员会 and 红色物业 pages under /committees/: the list of the scope with its figures and re-election reminders,
one committee, forming and editing one, Party organisations and cross-office holdings, and the estate page. Thin:
the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import DomainError, PermissionDenied
from linli.core.forms import id_or_none
from linli.core.pages import forbidden

from . import rules, selectors, services
from .forms import CommitteeForm, CrossOfficeForm, PartyForm


def _figures(user) -> dict:
    f = selectors.figures(user=user)
    return {
        "figures": f,
        "shares": {
            "committee": rules.percent(f.committee_share),
            "party_org": rules.percent(f.party_org_share),
            "party_member": rules.percent(f.party_member_share),
        },
    }


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    show_all = request.GET.get("all") == "1"
    try:
        committees = list(selectors.committee_list(user=user, current=not show_all))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    today = timezone.localdate()
    context = {
        "committees": committees,
        "show_all": show_all,
        "near_end": [(c, rules.term_state(c.term_ends, m)) for c, m in selectors.near_end(user=user, today=today)],
        "may_edit": selectors.may_edit(user),
        **_figures(user),
    }
    return render(request, "committees/list.html", context)


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        committee = selectors.committee_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    today = timezone.localdate()
    due = rules.reminder_due(committee.term_ends, today) if committee.ended_on is None else None
    context = {
        "committee": committee,
        "members": list(committee.members.all()),
        "term": rules.term_state(committee.term_ends, due),
        "due": due,
        "parties": list(committee.party_organizations.all()),
        "may_edit": selectors.may_edit(request.user) and committee.ended_on is None,
    }
    return render(request, "committees/detail.html", context)


@login_required
def committee_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    try:
        estates = list(selectors.estate_choices(user=user))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    estate_id = id_or_none(request.POST.get("estate") or request.GET.get("estate"))
    estate = next((e for e in estates if e.pk == estate_id), None)
    if estate is None:  # first choose the estate: its owners are the members' choices
        return render(request, "committees/choose_estate.html", {"estates": estates})
    form = CommitteeForm(request.POST or None, estate=estate)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee = services.committee_form(
                user=user, estate_id=estate.pk, assembly_on=data["assembly_on"], formed_on=data["formed_on"],
                members=form.members(), filed_on=data["filed_on"], filing_number=data["filing_number"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("业主委员会已登记"))
            return redirect("committees:detail", committee.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "committees/form.html", {"form": form, "estate": estate}, status=status)


@login_required
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        committee = selectors.committee_get(user=user, pk=pk)
        selectors.check_editor(user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    initial = {"filed_on": committee.filed_on, "filing_number": committee.filing_number, "version": committee.version}
    form = CommitteeForm(request.POST or None, estate=committee.estate, committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.committee_update(
                user=user, committee_id=committee.pk, version=data["version"], members=form.members(),
                filed_on=data["filed_on"], filing_number=data["filing_number"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("committees:detail", committee.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "estate": committee.estate, "committee": committee}
    return render(request, "committees/form.html", context, status=status)


@login_required
def party(request: HttpRequest) -> HttpResponse:
    """红色物业: the Party organisations and cross-office holdings of the scope, with the figures."""
    user = request.user
    try:
        context = {
            "parties": list(selectors.party_list(user=user)),
            "cross_offices": list(selectors.cross_office_list(user=user)),
            "may_edit": selectors.may_edit(user),
            **_figures(user),
        }
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return render(request, "committees/party.html", context)


def _record(request: HttpRequest, form_class, service, done: str, title: str) -> HttpResponse:
    user = request.user
    try:
        selectors.check_editor(user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = form_class(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            service(user=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            return redirect("committees:party")
    status = 400 if request.method == "POST" else 200
    return render(request, "committees/record.html", {"form": form, "title": title}, status=status)


@login_required
def party_create(request: HttpRequest) -> HttpResponse:
    return _record(request, PartyForm, services.party_create, _("党组织已登记"), _("登记党组织"))


@login_required
def cross_office_create(request: HttpRequest) -> HttpResponse:
    return _record(request, CrossOfficeForm, services.cross_office_create, _("交叉任职已登记"), _("登记交叉任职"))


@login_required
def estate(request: HttpRequest, pk: int) -> HttpResponse:
    """小区: its 物业化 status and company, its committee and earlier ones, its owners' votes, its complaints."""
    try:
        page = selectors.estate_page(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    members = list(page.committee.members.all()) if page.committee else []
    context = {"page": page, "estate": page.estate, "members": members, "may_edit": selectors.may_edit(request.user)}
    return render(request, "committees/estate.html", context)
