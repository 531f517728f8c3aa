from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.audit.services import audit_record
from linli.core import sessions, textsize
from linli.core.http import served_by_the_api

from . import roles
from .services import logout_everywhere


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """账户与安全: the password form, and beside it the button that logs out everywhere.

    Django keeps this session logged in; the new password ends the user's other sessions and API tokens.
    """

    template_name = "accounts/account.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.user, action="password_change", request=self.request)
        messages.success(self.request, _("密码已修改。其他设备上的登录和API令牌已随之失效。"))
        return response


@login_required
@require_POST
def logout_all(request: HttpRequest) -> HttpResponse:
    logout_everywhere(user=request.user, request=request)
    logout(request)
    messages.success(request, _("已退出所有设备，请重新登录。"))
    return redirect("login")


@require_POST
def session_keep(request: HttpRequest) -> JsonResponse:
    """继续使用: the expiry warning's button pushes the idle timeout back. Only this click does: the warning never
    calls it on its own. A session already ended answers 401, and the page says to sign in again."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("登录已结束，请重新登录。")}, status=401)
    return JsonResponse({"seconds_left": sessions.keep(request.session)})


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """The 大字 toggle without script: remember the choice in the cookie and go back to the page it was made on."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = redirect(back)
    size = textsize.BIG if request.POST.get("size") == textsize.BIG else textsize.NORMAL
    response.set_cookie(
        textsize.COOKIE, size, max_age=textsize.MAX_AGE, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
    )
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes calls this once a username is locked (5 failures, 15 minutes).

    The API has already answered in its own JSON (accounts.services.token_login checks the lock), so its
    response passes through; pages get the login form with the lockout message.
    """
    if served_by_the_api(request) and original_response is not None:
        return original_response
    return render(
        request,
        "accounts/login.html",
        {"locked": True, "form": None},
        status=429,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role opens on its own work (roles.LANDING)."""
    return redirect(roles.landing(request.user))
