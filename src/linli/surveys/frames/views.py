"""Pages of a survey's frame and draws under /surveys/frames/: the frozen frame with its counts per 普查小区, the
draws published (seed, population and its digest, method, strata, picks), their verification and the population
as CSV so that anyone can recompute a draw. Thin: the API's selectors and services."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden

from .. import rules as survey_rules
from .. import selectors as survey_selectors
from . import rules, selectors, services
from .forms import DrawForm

DRAWS = {survey_rules.DRAW_LONG_FORM: services.long_form_draw, survey_rules.DRAW_RECHECK: services.recheck_draw}


def _purpose(purpose: str) -> str:
    if purpose not in survey_rules.DRAW_PURPOSES:
        raise Http404(_("没有这项抽取"))
    return purpose


@login_required
def frame(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_selectors.survey_get(request.user, survey_id)
    current = selectors.frame_of(survey)
    draws = selectors.draws(survey)
    may_run = survey_selectors.can_run(request.user, survey)
    context = {
        "survey": survey,
        "frame": current,
        "areas": selectors.frame_areas(current) if current else [],
        "draws": [
            (p, label, draws.get(p))
            for p, label in survey_rules.DRAW_PURPOSES.items()
            if p != survey_rules.DRAW_LONG_FORM or survey.kind == survey_rules.CENSUS
        ],  # fmt: skip
        "may_freeze": may_run and current is None and survey.state == survey_rules.DRAFT,
        "may_draw": may_run and current is not None,
        "form": DrawForm(),
    }
    return render(request, "surveys/frames/frame.html", context)


@login_required
@require_POST
def freeze(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        made = services.frame_freeze(user=request.user, survey_id=survey_id)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("名录已冻结：%(units)s 户（单位），%(persons)s 人") % {"units": made.units, "persons": made.persons},
        )
    return redirect("survey_frames:frame", survey_id)


@login_required
@require_POST
def draw_create(request: HttpRequest, survey_id: int, purpose: str) -> HttpResponse:
    service = DRAWS[_purpose(purpose)]
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("survey_frames:frame", survey_id)
    try:
        made = service(user=request.user, survey_id=survey_id, seed=form.cleaned_data["seed"])
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("survey_frames:frame", survey_id)
    messages.success(
        request, _("已抽取 %(drawn)s 个，随机种子“%(seed)s”已公示") % {"drawn": made.drawn, "seed": made.seed}
    )
    return redirect("survey_frames:draw", survey_id, purpose)


def _with_ticket(unit, seed: str):
    unit.ticket = f"{rules.ticket(seed, unit.key):064x}"[:16]
    return unit


@login_required
def draw(request: HttpRequest, survey_id: int, purpose: str, check: bool = False) -> HttpResponse:
    survey = survey_selectors.survey_get(request.user, survey_id)
    shown = selectors.draw_get(survey, _purpose(purpose))
    context = {
        "survey": survey,
        "draw": shown,
        "label": survey_rules.DRAW_PURPOSES[purpose],
        "strata": [{"code": code or _("（未分小区）"), **row} for code, row in shown.strata.items()],
        "picks": [_with_ticket(p, shown.seed) for p in selectors.picks(shown)],
        "verification": selectors.verify(shown) if check else None,
    }
    return render(request, "surveys/frames/draw.html", context)


@login_required
def population(request: HttpRequest, survey_id: int, purpose: str) -> HttpResponse:
    """The population a draw was made from, in its order: what a recomputation starts from (no personal data)."""
    survey = survey_selectors.survey_get(request.user, survey_id)
    shown = selectors.draw_get(survey, _purpose(purpose))
    units, strata = selectors.population(shown)
    picked = set(shown.picks.values_list("unit_id", flat=True))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{survey.pk}-{purpose}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark
    out = csv.writer(response)
    out.writerow([_("序号"), _("名录序号"), _("名录键"), _("分层"), _("中选")])
    for i, unit in enumerate(units):
        out.writerow([i + 1, unit.position, unit.key, strata[i] if strata else "", 1 if unit.pk in picked else 0])
    return response
