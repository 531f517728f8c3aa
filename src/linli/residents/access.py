"""The portal's one door: pages take `@resident_required`, the API `auth=RESIDENT_AUTH` (accounts.auth)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles
from linli.core import errors

from .account.selectors import has_consented

NO_CONSENT = _("请先阅读并同意《个人信息保护告知书》")
HOME = "/portal/"


def next_page(request) -> str:
    """Where to go after signing in or agreeing: the portal page that sent the resident (`next`), else home; never
    another site, nor a staff page (a resident would only meet a 403 there)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if safe and target.startswith(HOME) else HOME


def resident_required(view=None, *, consent: bool = True):
    """Signed-in residents only: visitors are sent to the portal's sign-in, staff answered 403 (they have their own
    pages), and residents who have not agreed to the privacy notice in force to the notice first. The notice and
    the account pages themselves take `consent=False`: a resident may read, sign out or leave without agreeing."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("portal:login"))
            if not roles.is_resident(request.user):
                raise PermissionDenied
            if consent and not has_consented(request.user):
                return redirect(f"{reverse('portal:privacy')}?{urlencode({'next': request.get_full_path()})}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def consent_check(user) -> None:
    """For the API and services that ask personal data (实名认证…): refused (403) until the resident has agreed to
    the notice in force (POST /api/v1/portal/account/consent)."""
    if not has_consented(user):
        raise errors.PermissionDenied(NO_CONSENT)
