"""回访 pages: the call list with each call's script. The answers are the 回访 and 回访未接通 actions on the case page
(cases.views.case_act), which the list links to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.errors import PermissionDenied
from linli.core.pages import forbidden

from ..views import paginate
from . import selectors


@login_required
def calls(request: HttpRequest) -> HttpResponse:
    """回访: closed cases waiting for the call, oldest close first."""
    try:
        due = selectors.call_list(user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = paginate(request, due)
    rows = selectors.calls(user=request.user, cases=page.object_list)
    return render(request, "cases/visits/calls.html", {"page": page, "rows": rows})
