"""Reads of a survey's frame and draws: the frozen frame, each draw's population as it was drawn from (so that a
draw can be recomputed and compared), its picks, and the verification. Which survey a user sees is
linli.surveys.selectors'."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from .. import rules as survey_rules
from ..models import Draw, Frame, FrameUnit, Response, Survey
from . import rules

# The main form of each kind of survey: the returned forms a re-check is drawn from.
MAIN_ROLES = {survey_rules.CENSUS: [survey_rules.SHORT, survey_rules.LONG], survey_rules.UNITS: [survey_rules.UNIT]}


def frame_of(survey: Survey) -> Frame | None:
    return Frame.objects.filter(survey=survey).select_related("frozen_by").first()


def frame_areas(frame: Frame) -> list[dict]:
    """Units and persons per 普查小区 (units without one last)."""
    return list(
        FrameUnit.objects.filter(frame=frame)
        .values("area__code", "area__name")
        .annotate(units=Count("pk"), persons=Sum("persons"))
        .order_by("area__code")
    )


def draws(survey: Survey) -> dict[str, Draw]:
    return {d.purpose: d for d in Draw.objects.filter(survey=survey).select_related("drawn_by")}


def draw_get(survey: Survey, purpose: str) -> Draw:
    draw = Draw.objects.filter(survey=survey, purpose=purpose).select_related("drawn_by").first()
    if draw is None:
        raise Http404(_("本次调查尚未进行这项抽取"))
    return draw


def long_form_population(frame: Frame) -> tuple[list, list[str]]:
    """Every unit of the frame in its order (rows of pk, position, key), and its stratum: the 普查小区's code, ""
    without one. Rows, not model instances: a street's frame holds hundreds of thousands."""
    rows = (
        FrameUnit.objects.filter(frame=frame)
        .order_by("position")
        .values_list("pk", "position", "key", "area__code", named=True)
    )
    units = list(rows)
    return units, [u.area__code or "" for u in units]


def recheck_population(survey: Survey, until: datetime) -> list:
    """Units (rows of pk, position, key) whose main form had been received by `until`, in frame order."""
    returned = Response.objects.filter(
        unit__frame__survey=survey, role__in=MAIN_ROLES[survey.kind], received_at__lte=until
    )
    units = FrameUnit.objects.filter(pk__in=returned.values("unit_id")).order_by("position")
    return list(units.values_list("pk", "position", "key", named=True))


def population(draw: Draw) -> tuple[list, list[str] | None]:
    if draw.purpose == survey_rules.DRAW_LONG_FORM:
        return long_form_population(draw.survey.frame)
    return recheck_population(draw.survey, draw.drawn_at), None


def picks(draw: Draw) -> QuerySet:
    return (
        FrameUnit.objects.filter(pk__in=draw.picks.values("unit_id"))
        .select_related("area")
        .only("pk", "position", "key", "label", "area__code", "area__name")
        .order_by("position")
    )


@dataclass
class Verification:
    digest: str
    digest_matches: bool
    size: int
    recomputed: int
    picks_match: bool

    @property
    def ok(self) -> bool:
        return self.digest_matches and self.picks_match


def verify(draw: Draw) -> Verification:
    """Recompute the draw from its published seed over its population, and compare with what was recorded."""
    units, strata = population(draw)
    keys = [u.key for u in units]
    digest = rules.digest(keys)
    recomputed = {units[i].pk for i in rules.draw(keys, draw.percent, draw.seed, strata)}
    recorded = set(draw.picks.values_list("unit_id", flat=True))
    return Verification(digest, digest == draw.population_digest, rules.draw_size(len(keys), draw.percent),
                        len(recomputed), recomputed == recorded)  # fmt: skip
