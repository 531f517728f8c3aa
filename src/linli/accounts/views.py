from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this once a username is locked (5 failures, 15 minutes)."""
    if request.path.startswith("/api/"):
        request.axes_locked_out = True
        return None
    return render(
        request,
        "accounts/login.html",
        {"locked": True, "form": None},
        status=429,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("stats:overview")
