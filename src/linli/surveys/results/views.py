"""进度与结果 pages under /surveys/results/: the dashboard (response rates by area and enumerator, progress by day,
the result tables) and its downloads. Thin: the API's selectors and services."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from linli.core.errors import DomainError, PermissionDenied
from linli.core.forms import checked_text
from linli.core.pages import error_text, forbidden
from linli.core.text import Kind

from .. import rules as survey_rules
from . import rules, selectors, services
from .api import download


@login_required
def dashboard(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        survey = selectors.survey_get(request.user, survey_id)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    progress = selectors.progress(request.user, survey)
    chart = {
        "states": [survey_rules.UNIT_STATES[s] for s in rules.STATES],
        "areas": [r.label for r in progress.by_area],
        "area_counts": [r.cells for r in progress.by_area],
        "enumerators": [r.label for r in progress.by_enumerator],
        "enumerator_counts": [r.cells for r in progress.by_enumerator],
        "days": progress.days,
    }
    context = {
        "survey": survey,
        "progress": progress,
        "chart": chart,
        "tables": selectors.tables(request.user, survey),
        "states": chart["states"],
        "downloads": _downloads(survey),
        "bands": [label for *_, label in rules.BROAD_BANDS],
    }
    return render(request, "surveys/results/dashboard.html", context)


def _downloads(survey) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per form: its data file, one file per table question, and the codebook."""
    out = []
    for role, label in selectors.data_roles(survey):
        data = reverse("survey_results:data", args=[survey.pk, role])
        links = [(gettext("填报数据"), data)]
        for t in rules.tables(selectors.role_definition(survey, role)):
            links.append(
                (
                    gettext("%(value)s（每行一条）") % {"value": t.get("label") or t["key"]},
                    f"{data}?{urlencode({'table': t['key']})}",
                )
            )
        links.append((gettext("变量说明"), reverse("survey_results:codebook", args=[survey.pk, role])))
        out.append((label, links))
    return out


def _download(request, make) -> HttpResponse:
    try:
        return download(make())
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        return HttpResponse(error_text(exc), status=400, content_type="text/plain; charset=utf-8")


@login_required
def export(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _download(request, lambda: services.workbook_export(user=request.user, survey_id=survey_id, request=request))


@login_required
def data(request: HttpRequest, survey_id: int, role: str) -> HttpResponse:
    def make():
        table = checked_text(request.GET.get("table", ""), Kind.LINE, "table") or None
        return services.data_export(user=request.user, survey_id=survey_id, role=role, table=table, request=request)

    return _download(request, make)


@login_required
def codebook(request: HttpRequest, survey_id: int, role: str) -> HttpResponse:
    return _download(request, lambda: services.codebook_export(user=request.user, survey_id=survey_id, role=role))
