"""Who sees which survey, area and unit: every package of the surveys app reads through these.

Offices with VIEW_SURVEYS see the surveys of their subtree and those above it that cover them (a community sees
its street's census), and of a survey the areas lying in their subtree; an enumerator sees the surveys and areas
it is assigned to, and nothing else.
"""

from django.db.models import Q, QuerySet

from linli.accounts import roles, scope

from .models import Area, AreaEnumerator, FrameUnit, Survey


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
    """The areas of `survey` the user sees: those in its subtree (with VIEW_SURVEYS) and those assigned to it."""
    qs = survey.areas.all()
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
    """The frame's units in the areas the user sees (none before the frame is frozen)."""
    return FrameUnit.objects.filter(frame__survey_id=survey.pk, area__in=area_queryset(user, survey))
