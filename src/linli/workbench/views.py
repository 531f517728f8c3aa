from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from linli.accounts import roles
from linli.core.errors import PermissionDenied
from linli.core.pages import forbidden

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: the offices' landing page (accounts.roles.LANDING)."""
    if roles.WORKBENCH not in roles.menu(request.user):
        return forbidden(request, PermissionDenied("工作台只对区、街道和社区的工作人员开放"))
    now = timezone.now()
    return render(request, "workbench/home.html", {"s": selectors.summary(user=request.user, now=now), "now": now})
