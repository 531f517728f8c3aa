from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from linli.core.errors import PermissionDenied
from linli.core.pages import forbidden

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: the offices' landing page (accounts.roles.LANDING)."""
    now = timezone.now()
    try:
        summary = selectors.summary(user=request.user, now=now)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return render(request, "workbench/home.html", {"s": summary, "now": now})
