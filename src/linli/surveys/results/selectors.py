"""进度与结果 reads, over the units and forms of the areas the user sees (surveys.selectors decides which): the
state of the units by area, by enumerator and by day, the census's population tables, the unit survey's hazards by
industry, and the forms' answers for the data files."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import roles
from linli.core.errors import PermissionDenied

from .. import rules as survey_rules
from .. import selectors as survey_selectors
from ..forms.selectors import survey_form
from ..models import AreaEnumerator, Response, Survey
from ..quality import rules as quality_rules
from . import rules

# The forms the results count: each unit's main form (the death form and re-check records are not answers of
# the unit's own).
MAIN_ROLES = {survey_rules.CENSUS: (survey_rules.SHORT, survey_rules.LONG), survey_rules.UNITS: (survey_rules.UNIT,)}


def survey_get(user, pk: int) -> Survey:
    """A survey whose results the user may read: VIEW_SURVEYS, and the survey in scope (404 otherwise)."""
    if not roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS):
        raise PermissionDenied(gettext("只有调查工作人员可以查看调查进度与结果"))
    return survey_selectors.survey_get(user, pk)


@dataclass
class Progress:
    by_area: list[rules.StateCounts]
    by_enumerator: list[rules.StateCounts]
    total: rules.StateCounts
    days: dict


def progress(user, survey: Survey) -> Progress:
    """Units by state per area and in all; per enumerator, the units of the areas assigned to them (an area with
    two enumerators counts for both); per day, the states recorded that day."""
    units = survey_selectors.unit_queryset(user, survey)
    areas = {a.pk: a for a in survey_selectors.area_queryset(user, survey)}
    per_area = {
        (row["area_id"], row["state"]): row["n"]
        for row in units.values("area_id", "state").annotate(n=Count("id")).order_by()
    }
    # A unit survey's organisations may lie in no area: they make a row of their own, after the areas.
    keys = sorted(areas, key=lambda pk: areas[pk].code) + ([None] if any(k is None for k, _ in per_area) else [])
    by_area = rules.state_counts(
        (pk, str(areas[pk]) if pk else quality_rules.NO_AREA, state, per_area.get((pk, state), 0))
        for pk in keys
        for state in rules.STATES
    )
    counts = {row.key: row.counts for row in by_area}
    assignments = (
        AreaEnumerator.objects.filter(area_id__in=areas, duty=AreaEnumerator.Duty.ENUMERATOR)
        .select_related("user")
        .order_by("user__username", "area__code")
    )
    by_enumerator = rules.state_counts(
        (a.user_id, a.user.get_full_name() or a.user.username, state, counts[a.area_id][state])
        for a in assignments
        for state in rules.STATES
    )
    total = rules.StateCounts("all", gettext("合计"))
    for row in by_area:
        total.counts.update(row.counts)
    days = (
        units.filter(visited_at__isnull=False)
        .annotate(day=TruncDate("visited_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Progress(by_area, by_enumerator, total, rules.cumulative((d["day"], d["state"], d["n"]) for d in days))


def responses(user, survey: Survey, role: str | None = None) -> QuerySet:
    """The main forms returned in the areas the user sees (or the forms of one role), in frame order."""
    qs = Response.objects.filter(unit__in=survey_selectors.unit_queryset(user, survey))
    qs = qs.filter(role=role) if role else qs.filter(role__in=MAIN_ROLES[survey.kind])
    return qs.order_by("unit__position", "role")


def population(user, survey: Survey) -> rules.Population:
    forms = (
        responses(user, survey)
        .order_by("unit__area__code", "unit__position")
        .values_list("unit__area__code", "unit__area__name", "answers")
    )
    moment = timezone.localtime(survey.standard_moment).date()
    return rules.population(((f"{code} {name}".strip(), answers) for code, name, answers in forms.iterator()), moment)


def hazards(user, survey: Survey) -> tuple[list[rules.IndustryRow], rules.IndustryRow]:
    definition = survey_form(survey, survey_rules.UNIT).definition
    forms = responses(user, survey).values_list("answers", flat=True)
    return rules.hazards_by_industry(forms.iterator(), definition)


def data_roles(survey: Survey) -> list[tuple[str, str]]:
    """The roles with a form in this survey whose data can be downloaded, with their names."""
    used = set(survey.forms.values_list("role", flat=True)) - {survey_rules.RECHECK}
    return [(form_role, label) for form_role, label in survey_rules.FORM_ROLES.items() if form_role in used]


def role_definition(survey: Survey, role: str) -> dict:
    return survey_form(survey, role).definition


def data_rows(user, survey: Survey, role: str) -> Iterator[tuple]:
    """(unit position, area code, form version number, answers) of each form of `role`."""
    return (
        responses(user, survey, role)
        .values_list("unit__position", "unit__area__code", "form_version__number", "answers")
        .iterator()
    )


def _state_dict(row: rules.StateCounts) -> dict:
    return {"label": row.label, "counts": {s: row.of(s) for s in rules.STATES}, "total": row.total, "rate": row.rate}


def _sex_dict(row: rules.SexRow) -> dict:
    return {"label": row.label, "male": row.male, "female": row.female, "total": row.total, "bands": dict(row.bands)}


def tables(user, survey: Survey) -> dict:
    """The result tables of the survey's kind: {"population": ...} for a census, {"hazards": (rows, total)}."""
    if survey.kind == survey_rules.CENSUS:
        return {"population": population(user, survey)}
    return {"hazards": hazards(user, survey)}


def results(user, survey: Survey) -> dict:
    """What the dashboard and the API show: progress, and the census's population or the unit survey's hazards."""
    p = progress(user, survey)
    out = {
        "survey_id": survey.pk,
        "kind": survey.kind,
        "by_area": [_state_dict(r) for r in p.by_area],
        "by_enumerator": [_state_dict(r) for r in p.by_enumerator],
        "total": _state_dict(p.total),
        "days": p.days,
        "data_roles": [role for role, _ in data_roles(survey)],
    }
    found = tables(user, survey)
    if "population" in found:
        pop = found["population"]
        out["population_by_area"] = [_sex_dict(r) for r in [*pop.by_area, pop.total]]
        out["population_by_broad_band"] = [_sex_dict(r) for r in pop.by_broad_band]
        out["population_by_five_year_band"] = [_sex_dict(r) for r in pop.by_five_year_band]
    else:
        rows, total = found["hazards"]
        out["hazards_by_industry"] = [vars(r) | {"exposed_share": r.exposed_share} for r in [*rows, total]]
    return out
