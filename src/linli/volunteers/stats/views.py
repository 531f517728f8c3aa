from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as PageDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.errors import PermissionDenied
from linli.core.forms import id_or_none
from linli.stats.selectors import region_options

from . import selectors


def _chart(data: dict) -> dict:
    """The page's figures as plain numbers for the charts (json_script)."""

    def num(v):
        return None if v is None else float(v)

    a, teams = data["activities"], data["hours_by_team"]
    return {
        "months": data["months"],
        "hours": [num(v) for v in data["hours_by_month"]],
        "teams": {"names": [t["team"] for t in teams], "hours": [num(t["hours"]) for t in teams]},
        "held": a["held"],
        "cancelled": a["cancelled"],
        "fill": [num(v) for v in a["fill"]],
        "bands": a["bands"],
        "stars": {"labels": data["stars"]["labels"], "counts": data["stars"]["counts"]},
    }  # fmt: skip


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """志愿服务统计 of the user's scope, or a region within it (?region=)."""
    region = request.GET.get("region", "")
    try:
        data = selectors.overview(user=request.user, region=id_or_none(region))
    except PermissionDenied as exc:
        raise PageDenied(exc.detail) from exc
    options = region_options(user=request.user, chosen=id_or_none(region))
    a = data["activities"]
    rows = zip(data["months"], data["hours_by_month"], a["held"], a["cancelled"], a["short"], a["fill"], strict=True)
    context = {"data": data, "chart": _chart(data), "rows": list(rows), "options": options, "region": region}
    return render(request, "volunteers/stats/overview.html", context)
