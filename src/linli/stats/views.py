from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.forms import id_or_none

from . import selectors


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """统计概览: headline numbers and charts for the user's scope, or a region within it (?region=)."""
    region = request.GET.get("region", "")
    data = selectors.population_overview(user=request.user, region=id_or_none(region))
    options = selectors.region_options(user=request.user, chosen=id_or_none(region))
    return render(request, "stats/overview.html", {"data": data, "options": options, "region": region})
