"""Who sees which volunteer, team and activity: every package of the volunteers app reads through these.

Offices with VIEW_VOLUNTEERS see the volunteers, teams and activities of their region's subtree. A resident sees
their own volunteer file (`own_volunteer`) and, in the portal, the published activities (`portal_activities`). Who
organises an activity — its named organiser, or an office with ORGANISE_ACTIVITIES over its region — is
`organises`, the one test every organiser action (check-in codes, confirming hours, corrections) goes through.
"""

from django.db.models import QuerySet

from linli.accounts import roles, scope

from . import rules
from .models import Activity, Team, Volunteer


def _path(user) -> str | None:
    return scope.region_path(user) if roles.can(user, roles.VOLUNTEERS, roles.VIEW_VOLUNTEERS) else None


def volunteer_queryset(user) -> QuerySet:
    """The volunteers of the user's scope (none for roles without VIEW_VOLUNTEERS)."""
    return scope.within(Volunteer.objects.all(), _path(user), "region")


def volunteer_get(user, pk: int) -> Volunteer:
    return scope.get_or_404(volunteer_queryset(user).select_related("person", "region"), pk=pk)


def team_queryset(user) -> QuerySet:
    return scope.within(Team.objects.all(), _path(user), "region")


def team_get(user, pk: int) -> Team:
    return scope.get_or_404(team_queryset(user).select_related("region", "leader__person"), pk=pk)


def activity_queryset(user) -> QuerySet:
    """The activities an office sees (its subtree's), and those a resident organises (as its team's leader)."""
    qs = Activity.objects.all()
    path = _path(user)
    if path is None:
        return qs.filter(organiser_id=user.pk) if user.is_authenticated else qs.none()
    return scope.within(qs, path, "region")


def activity_get(user, pk: int) -> Activity:
    return scope.get_or_404(activity_queryset(user).select_related("region", "team", "organiser"), pk=pk)


def manages(user, region) -> bool:
    """Whether the user keeps volunteers' files and teams in `region` (MANAGE_VOLUNTEERS over its office's subtree)."""
    return roles.can(user, roles.VOLUNTEERS, roles.MANAGE_VOLUNTEERS) and scope.office_covers(user, region)


def organises(user, activity: Activity) -> bool:
    """Whether the user organises `activity`: its named organiser, or an office organising activities over its
    region."""
    if user.is_authenticated and activity.organiser_id == user.pk:
        return True
    return roles.can(user, roles.VOLUNTEERS, roles.ORGANISE_ACTIVITIES) and scope.office_covers(user, activity.region)


def own_volunteer(user) -> Volunteer | None:
    """The volunteer file of a resident bound to a registry person, or None (not bound, or not a volunteer)."""
    person_id = getattr(getattr(user, "resident", None), "person_id", None)
    if person_id is None:
        return None
    return Volunteer.objects.filter(person_id=person_id).select_related("region").first()


def portal_activities() -> QuerySet:
    """The activities residents see in the portal: published ones (open, finished or cancelled), never drafts."""
    return Activity.objects.exclude(state=rules.DRAFT)
