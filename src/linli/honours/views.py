"""挂牌管理 pages (staff) and the public list (公示, no login). Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.accounts.roles import APPLICANT, HONOURS, can
from linli.core.errors import DomainError, PermissionDenied
from linli.core.forms import checked_text, version_or_none
from linli.core.pages import forbidden
from linli.core.text import Kind

from . import rules, selectors, services
from .forms import ApplyForm, FilterForm

PAGE_SIZE = 20
PUBLIC_PAGE_SIZE = 50


# ---------------------------------------------------------------- staff pages


@login_required
def honour_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    f = selectors.HonourFilter(**form.cleaned_data) if form.is_valid() else selectors.HonourFilter()
    qs = selectors.honour_list(user=request.user, filters=f).order_by("status", "-applied_at", "-id")
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_apply": can(request.user, HONOURS, APPLICANT),
        "pending": selectors.awaiting_count(user=request.user),
    }
    return render(request, "honours/list.html", context)


@login_required
def honour_apply(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, HONOURS, APPLICANT):
        return forbidden(request, _("只有社区工作人员或小区物业服务企业可以申报挂牌。"))
    form = ApplyForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
            try:
                honour = services.honour_apply(user=user, data=data, evidence=form.cleaned_data.get("evidence"))
            except PermissionDenied as exc:
                return forbidden(request, exc.detail)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("已提交「%(name)s」申报，等待街道初审") % {"name": honour.honour_type.name})
                return redirect("honours:detail", honour.pk)
    return render(request, "honours/apply.html", {"form": form}, status=status)


@login_required
def honour_detail(request: HttpRequest, pk: int, *, status: int = 200, error: str = "") -> HttpResponse:
    honour = selectors.honour_detail(user=request.user, pk=pk)
    context = {"h": honour, "actions": honour.steps, "error": error, "current": honour.current}
    return render(request, "honours/detail.html", context, status=status)


@login_required
def honour_act(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("honours:detail", pk)
    action = request.POST.get("action", "")
    version = request.POST.get("version", "")
    try:
        honour = services.honour_act(
            user=request.user, pk=pk, action=action, version=version_or_none(version),
            note=checked_text(request.POST.get("note", ""), Kind.TEXT, "note"),
        )  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except DomainError as exc:
        message = "；".join(e.message for e in exc.errors) or exc.detail
        return honour_detail(request, pk, status=exc.status, error=message)
    messages.success(request, f"{honour.unit_name}「{honour.honour_type.name}」：{rules.STEPS[action].label}")
    return redirect("honours:detail", pk)


@login_required
def honour_map(request: HttpRequest) -> HttpResponse:
    return render(request, "honours/map.html", {**selectors.honour_map(user=request.user), "public": False})


# ---------------------------------------------------------------- public


def public_list(request: HttpRequest) -> HttpResponse:
    """公示: the plates on the wall by community, the ones taken down with the reason and date, and the map."""
    page = Paginator(selectors.public_current(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    revoked = Paginator(selectors.public_revoked(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("revoked_page"))
    shown = selectors.public_map([*page.object_list, *revoked.object_list])
    return render(request, "honours/public.html", {"page": page, "revoked": revoked, **shown, "public": True})
