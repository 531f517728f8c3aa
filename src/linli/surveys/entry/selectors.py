"""Reads of 入户登记: an enumerator's areas with their units counted by state, an area's units, and what the device
needs to fill in a unit's forms. Who sees what is decided in linli.surveys.selectors."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.core.errors import DomainError, PermissionDenied
from linli.surveys import rules as survey_rules
from linli.surveys import selectors as survey_selectors
from linli.surveys.forms.selectors import survey_form
from linli.surveys.models import Area, FrameUnit, Response, Survey

from . import rules


def _counted(areas: QuerySet) -> QuerySet:
    counts = {
        f"n_{state}": Count("frame_units", filter=Q(frame_units__state=state)) for state in survey_rules.UNIT_STATES
    }
    return areas.annotate(n_units=Count("frame_units"), **counts)


def state_counts(area: Area) -> list[tuple[str, str, int]]:
    """(state, label, units) of an area annotated by my_areas or area_counted."""
    return [(state, label, getattr(area, f"n_{state}")) for state, label in survey_rules.UNIT_STATES.items()]


def entry_check(user) -> None:
    """入户登记 is for those who enumerate or follow surveys: 403 for the others, whatever they ask."""
    if not (roles.can(user, roles.SURVEYS, roles.ENUMERATE) or roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS)):
        raise PermissionDenied(_("只有普查员和调查工作人员可以使用入户登记"))


def may_enter(user, unit: FrameUnit) -> bool:
    """Whether the user records the unit's visit and enters its forms: the enumerators of its area; for a unit in
    no area (a unit survey's organisation, whose form comes back on paper) those who run the survey."""
    if unit.area is None:
        return survey_selectors.can_run(user, unit.frame.survey)
    return survey_selectors.is_enumerator(user, unit.area)


def my_areas(user) -> QuerySet:
    """The areas assigned to the user, with their survey and community, units counted by state; newest survey
    first."""
    entry_check(user)
    areas = survey_selectors.assigned_areas(user).select_related("survey", "community")
    return _counted(areas).order_by("-survey__created_at", "survey_id", "code")


def area_counted(user, survey: Survey, pk: int) -> Area:
    """One area the user sees, its units counted by state; Http404 otherwise."""
    area = survey_selectors.area_get(user, survey, pk)
    counted = _counted(Area.objects.filter(pk=area.pk)).get()
    for state in survey_rules.UNIT_STATES:
        setattr(area, f"n_{state}", getattr(counted, f"n_{state}"))
    area.n_units = counted.n_units
    return area


def area_units(user, survey: Survey, area: Area, state: str | None = None) -> QuerySet:
    """The units of an area in walking order, of one state if given."""
    units = survey_selectors.unit_queryset(user, survey).filter(area=area).order_by("position")
    return units.filter(state=state) if state else units


def returned_units(user, survey: Survey, state: str | None = None) -> tuple[list[tuple[str, str, int]], QuerySet]:
    """A unit survey's organisations, in no area, whose paper forms the office that runs the survey enters: the
    units counted by state, and the units in frame order (of one state if given)."""
    if not survey_selectors.can_run(user, survey):
        raise PermissionDenied(_("只有组织本次调查的单位可以录入回收的调查表"))
    units = survey_selectors.unit_queryset(user, survey).filter(area__isnull=True)
    counts = dict(units.values_list("state").annotate(n=Count("pk")).order_by())
    states = [(state_, label, counts.get(state_, 0)) for state_, label in survey_rules.UNIT_STATES.items()]
    units = units.order_by("position")
    return states, units.filter(state=state) if state else units


def received(unit: FrameUnit) -> dict[str, Response]:
    """The unit's forms received, by role."""
    return {r.role: r for r in Response.objects.filter(unit=unit).select_related("entered_by")}


def device_forms(unit: FrameUnit, got: dict[str, Response]) -> list[dict]:
    """The forms the device renders for a unit: its main form, and for a census household the death form (shown
    once the main form reports a death), each with its definition and whether it is in already."""
    survey = unit.frame.survey
    form_roles = [unit.form_role]
    if unit.form_role in (survey_rules.SHORT, survey_rules.LONG):
        form_roles.append(survey_rules.DEATH)
    forms = []
    for form_role in form_roles:
        try:
            version = survey_form(survey, form_role)
        except DomainError:  # a form the survey has not set up yet: the device says so
            continue
        forms.append({
            "role": form_role, "label": survey_rules.FORM_ROLES[form_role], "definition": version.definition,
            "read_back": form_role in rules.CENSUS_FORMS, "received": form_role in got,
        })  # fmt: skip
    return forms
