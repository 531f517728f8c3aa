"""Reads of the volunteers' files and teams, always through the app's scope (volunteers.selectors)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.core.pii import lookup_hash
from linli.people.rules import normalize_id_number
from linli.people.selectors import person_queryset
from linli.regions.rules import COMMUNITY

from .. import rules as vocabulary
from .. import selectors
from ..models import Team, TeamMember, Volunteer


def volunteer_list(
    *, user, state: str | None = None, name: str = "", skill: str | None = None, team: int | None = None
) -> QuerySet:
    qs = selectors.volunteer_queryset(user).select_related("person", "region")
    if state:
        qs = qs.filter(state=state)
    if name.strip():
        qs = qs.filter(Q(person__name__contains=name.strip()) | Q(number__startswith=name.strip()))
    if skill:
        qs = qs.filter(skills__icontains=f'"{skill}"')  # the JSON list's text: one lookup on both databases
    if team:
        qs = qs.filter(memberships__team_id=team)
    return qs


def volunteer_get(*, user, pk: int) -> Volunteer:
    check_viewer(user)
    return selectors.volunteer_get(user, pk)


def teams_of(volunteer: Volunteer) -> QuerySet:
    return Team.objects.filter(memberships__volunteer=volunteer).select_related("region").order_by("name")


def team_list(*, user, kind: str | None = None) -> QuerySet:
    qs = selectors.team_queryset(user).select_related("region", "leader__person")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(member_count=Count("memberships")).order_by("region__path", "name", "id")


def team_get(*, user, pk: int) -> Team:
    check_viewer(user)
    return selectors.team_get(user, pk)


def team_members(team: Team) -> QuerySet:
    return (
        TeamMember.objects.filter(team=team)
        .select_related("volunteer__person", "volunteer__region")
        .order_by("joined_at", "id")
    )


def team_candidates(*, user, team: Team) -> QuerySet:
    """Active volunteers of the team's region who are not yet members: the choices for adding one."""
    qs = selectors.volunteer_queryset(user).filter(state=vocabulary.ACTIVE)
    qs = scope.within(qs, team.region.path, "region").exclude(memberships__team=team)
    return qs.select_related("person").order_by("number")


def member_prefetch() -> Prefetch:
    return Prefetch("memberships", queryset=TeamMember.objects.select_related("team"))


def person_by_id_number(*, user, id_number: str):
    """The registry person of the user's scope with this ID number, or None."""
    number = normalize_id_number(id_number or "")
    if not number:
        return None
    return person_queryset(user=user).filter(id_hash=lookup_hash(number)).select_related("grid").first()


def community_of(grid):
    """The community a person's grid lies in (the grid itself when the person is filed at community level)."""
    if grid.level <= COMMUNITY:
        return grid
    return scope.ancestors_or_self(grid.path).filter(level=COMMUNITY).first()


def volunteer_of_person(person_id: int) -> Volunteer | None:
    return Volunteer.objects.filter(person_id=person_id).first()


def check_viewer(user) -> None:
    """Offices reading volunteers (VIEW_VOLUNTEERS); every other role is refused (403) rather than shown nothing."""
    if not roles.can(user, roles.VOLUNTEERS, roles.VIEW_VOLUNTEERS):
        raise PermissionDenied(_("您没有查看志愿者的权限"))


def may_manage(user) -> bool:
    return roles.can(user, roles.VOLUNTEERS, roles.MANAGE_VOLUNTEERS)
