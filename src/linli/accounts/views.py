from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes calls this once a username is locked (5 failures, 15 minutes).

    The API has already answered in its own JSON (accounts.services.token_login checks the lock), so its
    response passes through; pages get the login form with the lockout message.
    """
    if _served_by_the_api(request) and original_response is not None:
        return original_response
    return render(
        request,
        "accounts/login.html",
        {"locked": True, "form": None},
        status=429,
    )


def _served_by_the_api(request: HttpRequest) -> bool:
    # django-ninja mounts every API's URLs in its "ninja" application namespace (linli/api.py).
    match = request.resolver_match
    return match is not None and match.app_name == "ninja"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("stats:overview")
