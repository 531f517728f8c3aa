"""告知书 (/portal/privacy/), 我的账号 (/portal/account/) and 注销账号."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.core.errors import DomainError

from .. import selectors as resident_selectors
from ..access import next_page, resident_required
from . import rules, selectors, services
from .forms import ConsentForm, DeleteForm


def privacy(request: HttpRequest) -> HttpResponse:
    """The notice in force: anyone may read it; a signed-in resident agrees to it here (POST)."""
    if request.method == "POST":
        return _agree(request)
    resident = resident_selectors.resident_of(request.user) if roles.is_resident(request.user) else None
    consent = selectors.consent_current(resident) if resident else None
    return render(request, "residents/privacy.html", _notice(request, resident, consent))


def _notice(request, resident, consent, form=None) -> dict:
    return {
        "resident": resident, "consent": consent, "version": rules.NOTICE_VERSION, "notice": rules.NOTICE_TEMPLATE,
        "next": next_page(request), "form": form or ConsentForm(initial={"version": rules.NOTICE_VERSION}),
    }  # fmt: skip


@resident_required(consent=False)
def _agree(request: HttpRequest) -> HttpResponse:
    resident = resident_selectors.resident_of(request.user)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_accept(resident=resident, version=form.cleaned_data["version"])
            return redirect(next_page(request))
        except DomainError as exc:
            form.add_domain_error(exc)
    consent = selectors.consent_current(resident)
    return render(request, "residents/privacy.html", _notice(request, resident, consent, form), status=400)


@resident_required(consent=False)
def account(request: HttpRequest) -> HttpResponse:
    """我的账号: the phone (masked), the notice agreed to and when, 退出登录, 注销账号."""
    resident = resident_selectors.resident_of(request.user)
    return render(
        request, "residents/account.html",
        {"resident": resident, "consent": selectors.consent_current(resident), "version": rules.NOTICE_VERSION},
    )  # fmt: skip


@resident_required(consent=False)
def account_delete(request: HttpRequest) -> HttpResponse:
    """注销账号: a page that says what goes and what stays, and asks to confirm."""
    resident = resident_selectors.resident_of(request.user)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_delete(resident=resident, confirm=form.cleaned_data["confirm"], request=request)
        logout(request)
        messages.success(request, _("账号已注销。如需再次使用，用手机号登录即可重新开通。"))
        return redirect("portal:login")
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/account_delete.html", {"resident": resident, "form": form}, status=status)
