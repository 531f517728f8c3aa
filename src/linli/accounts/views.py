from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from linli.audit.services import audit_record
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
        messages.success(self.request, "密码已修改。其他设备上的登录和API令牌已随之失效。")
        return response


@login_required
@require_POST
def logout_all(request: HttpRequest) -> HttpResponse:
    logout_everywhere(user=request.user, request=request)
    logout(request)
    messages.success(request, "已退出所有设备，请重新登录。")
    return redirect("login")


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
