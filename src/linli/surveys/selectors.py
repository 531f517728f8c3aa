"""Who sees which survey, area and unit: every package of the surveys app reads through these.

Offices with VIEW_SURVEYS see the surveys of their subtree and those above it that cover them (a community sees
its street's census), and of a survey the areas lying in their subtree; an enumerator sees the surveys and areas
it is assigned to, and nothing else.
"""

from django.db.models import Count, Q, QuerySet

from linli.accounts import roles, scope
from linli.burden import selectors as burden_selectors
from linli.campaigns.plans import rules as plan_rules
from linli.campaigns.plans import selectors as plan_selectors
from linli.regions import rules as region_rules
from linli.regions.models import Region

from . import rules
from .models import Area, AreaEnumerator, Frame, FrameUnit, Survey


def _assigned_area_ids(user) -> QuerySet:
    return AreaEnumerator.objects.filter(user_id=user.pk).values("area_id")


def survey_queryset(user) -> QuerySet:
    qs = Survey.objects.all()
    if roles.effective_role(user) is None:
        return qs.none()
    q = Q(pk__in=Area.objects.filter(pk__in=_assigned_area_ids(user)).values("survey_id"))
    if roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS):
        path = scope.region_path(user)
        if path == "":  # the whole tree: an empty Q would vanish from the OR below
            return qs
        if path is not None:
            q |= scope.subtree_or_above_q(path, "plan__region")
    return qs.filter(q)


def survey_get(user, pk: int) -> Survey:
    """One survey the user sees, with its plan and region; Http404 when missing or out of scope."""
    return scope.get_or_404(survey_queryset(user).select_related("plan__region"), pk=pk)


def can_run(user, survey: Survey) -> bool:
    """Whether the user runs this survey: its forms, frame, areas, enumerators, draws and coverage review."""
    return roles.can(user, roles.SURVEYS, roles.RUN_SURVEYS) and scope.office_covers(user, survey.plan.region)


def area_queryset(user, survey: Survey) -> QuerySet:
    """The areas of `survey` the user sees: those in its subtree (with VIEW_SURVEYS) and those assigned to it; the
    areas of a community whose forms are held (社区工作准入: 待准入) only by those above it who run the survey."""
    qs = survey.areas.all()
    if not scope.office_covers(user, survey.plan.region):
        qs = qs.exclude(community_id__in=burden_selectors.held_communities(rules.WORK_SOURCE, survey.pk))
    q = Q(pk__in=_assigned_area_ids(user))
    if roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS):
        path = scope.region_path(user)
        if path == "":  # the whole tree: an empty Q would vanish from the OR below
            return qs
        q |= scope.region_q(path, "community")
    return qs.filter(q)


def area_get(user, survey: Survey, pk: int) -> Area:
    return scope.get_or_404(area_queryset(user, survey).select_related("community"), pk=pk)


def is_enumerator(user, area: Area) -> bool:
    """Whether the user enters the forms of `area`: assigned to it, in a role that may enumerate."""
    return (
        roles.can(user, roles.SURVEYS, roles.ENUMERATE)
        and AreaEnumerator.objects.filter(area_id=area.pk, user_id=user.pk).exists()
    )


def unit_queryset(user, survey: Survey) -> QuerySet:
    """The frame's units in the areas the user sees (none before the frame is frozen), and those in no area (a
    unit survey's organisations) for the offices whose subtree holds the survey."""
    q = Q(area__in=area_queryset(user, survey))
    if roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS) and scope.covers(user, survey.plan.region):
        q |= Q(area__isnull=True)
    return FrameUnit.objects.filter(q, frame__survey_id=survey.pk)


# ---- projects: the list of surveys and what a survey's page shows of each part


def may_see_surveys(user) -> bool:
    """Whether the surveys' pages are for the user at all: a role in the SURVEYS table (others get 403)."""
    return bool(roles.capabilities(user, roles.SURVEYS))


def survey_list(user, *, state: str | None = None, kind: str | None = None) -> QuerySet:
    """The surveys the user sees, newest first, with the frame's size and the units done (entry progress)."""
    qs = survey_queryset(user).select_related("plan__region", "frame")
    if state in rules.STATES:
        qs = qs.filter(state=state)
    if kind in rules.KINDS:
        qs = qs.filter(kind=kind)
    done = Count("frame__frame_units", filter=Q(frame__frame_units__state=rules.DONE))
    return qs.annotate(done=done).order_by("-created_at", "-id")


def progress_percent(done: int, units: int) -> int | None:
    """Units done as a whole per cent of the frame, rounded down (100 only when every unit is done)."""
    return done * 100 // units if units else None


ROLE_ORDER = list(rules.FORM_ROLES)


def survey_overview(user, survey: Survey) -> dict:
    """What the survey's page shows of each part: the plan's phases, the forms in use, the areas the user sees,
    the frame and its draws, and the units by visit state."""
    frame = Frame.objects.filter(survey=survey).first()
    states = dict.fromkeys(rules.UNIT_STATES, 0)
    if frame is not None:
        units = unit_queryset(user, survey) if not can_run(user, survey) else frame.frame_units.all()
        states |= dict(units.values_list("state").annotate(n=Count("pk")).order_by())
    return {
        "phases": list(survey.plan.phases.all()),
        "forms": sorted(survey.forms.select_related("version__form"), key=lambda f: ROLE_ORDER.index(f.role)),
        "areas": area_queryset(user, survey).count(),
        "frame": frame,
        "draws": list(survey.draws.order_by("drawn_at")),
        "states": [(key, rules.UNIT_STATES[key], states[key]) for key in rules.UNIT_STATES],
        "units": sum(states.values()),
    }


# Where a survey may be organised: a district, a street (a census's 普查区 are its communities) or a community.
SURVEY_LEVELS = (region_rules.DISTRICT, region_rules.STREET, region_rules.COMMUNITY)


def region_choices(user) -> QuerySet:
    """The regions the user may organise a survey for: its office's node and those below it, down to communities."""
    if not roles.can(user, roles.SURVEYS, roles.RUN_SURVEYS):
        return Region.objects.none()
    return scope.office_regions(user, Region.objects.filter(level__in=SURVEY_LEVELS)).order_by("path")


def plan_choices(user) -> QuerySet:
    """Draft plans of the user's office without a survey, on which a survey may be set up."""
    return (
        plan_selectors.plan_queryset(user)
        .filter(status=plan_rules.DRAFT, survey__isnull=True, region__in=region_choices(user))
        .select_related("region")
        .order_by("-created_at")
    )


# ---- entry: an enumerator's own areas, and one unit by its id (the entry API and pages name units alone)


def assigned_areas(user) -> QuerySet:
    """The areas the user is assigned to (as 普查员 or 普查指导员), of every survey."""
    return Area.objects.filter(pk__in=_assigned_area_ids(user))


def unit_get(user, pk: int) -> FrameUnit:
    """One unit the user sees (unit_queryset of its survey; and, for those who run the survey, the units in no area:
    a unit survey's organisations, whose returned forms the office enters), with its frame's survey and its area;
    Http404 when missing or out of scope."""
    survey_id = FrameUnit.objects.filter(pk=pk).values_list("frame__survey_id", flat=True).first()
    survey = survey_get(user, survey_id or 0)
    units = unit_queryset(user, survey)
    if can_run(user, survey):
        units |= FrameUnit.objects.filter(frame__survey_id=survey.pk, area__isnull=True)
    unit = scope.get_or_404(units.select_related("frame", "area"), pk=pk)
    unit.frame.survey = survey
    return unit
