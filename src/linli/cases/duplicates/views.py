"""The duplicate hints as page fragments, asked for by the intake and report forms as their fields change
(static/linli/duplicates.js). The case page shows its own hints (cases.views)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from linli.accounts import roles
from linli.core.errors import PermissionDenied
from linli.core.pages import forbidden

from . import selectors
from .forms import PublicQuery, StaffQuery


@login_required
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """疑似重复件 while a case is taken in: open cases of the category near the place chosen."""
    query = StaffQuery(request.GET)
    try:
        hints = selectors.similar(user=request.user, category_id=query.value("category"), place=query.place())
    except PermissionDenied as exc:
        return forbidden(request, exc)
    dispatcher = roles.can(request.user, roles.CASES, roles.DISPATCHER)  # who merges: the hint says who will
    return render(
        request, "cases/duplicates/hints.html", {"hints": hints, "dispatcher": dispatcher, **selectors.window()}
    )


@require_GET
def similar_public(request: HttpRequest) -> HttpResponse:
    """The same for a resident filling in the report form, among the cases residents reported themselves."""
    query = PublicQuery(request.GET)
    hints = selectors.similar_public(
        category_id=query.value("category_id"), latitude=query.value("latitude"), longitude=query.value("longitude")
    )
    return render(request, "cases/duplicates/_public_hints.html", {"hints": hints, **selectors.window()})
