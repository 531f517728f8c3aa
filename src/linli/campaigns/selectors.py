"""Reads of campaign plans, always through the user's scope.

Who sees a plan: users whose region lies in the plan's region subtree or above it (a district user sees a street's
plan; a community worker sees the district's), organisations named as a unit on one of its tasks, and
organisations whose region lies in the plan's subtree. Who writes one: admin, district and street staff whose region
contains the plan's region.
"""

from django.db.models import Q, QuerySet

from linli.accounts.models import Role
from linli.accounts.scope import get_or_404, in_subtree

from .models import Plan, TaskUnit

EDITOR_ROLES = {Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF}
REGION_USER_ROLES = {Role.DISTRICT_STAFF, Role.STREET_STAFF, Role.COMMUNITY_WORKER, Role.GRID_WORKER}


def _ancestors_or_self(path: str) -> QuerySet:
    """Regions whose subtree contains the region at `path`: their paths are prefixes of it."""
    from linli.regions.models import Region

    return Region.objects.filter(path__in=[path[:i] for i in range(1, len(path) + 1)]).values("pk")


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def plan_queryset(user) -> QuerySet:
    qs = Plan.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if _is_admin(user):
        return qs
    q = Q(pk__in=[])
    if user.role in REGION_USER_ROLES and user.region_id:
        path = user.region.path
        q |= in_subtree("region", path) | Q(region__in=_ancestors_or_self(path))
    if user.organization_id:
        named = TaskUnit.objects.filter(organization_id=user.organization_id).values("task__plan_id")
        q |= Q(pk__in=named) | Q(region__in=_ancestors_or_self(user.organization.region.path))
    return qs.filter(q)


def plan_get(user, pk: int) -> Plan:
    """One plan in the user's scope, with its region; Http404 when missing or out of scope."""
    return get_or_404(plan_queryset(user).select_related("region"), pk=pk)


def can_edit_plan(user, plan: Plan) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if _is_admin(user):
        return True
    return user.role in EDITOR_ROLES and bool(user.region_id) and plan.region.path.startswith(user.region.path)


def can_create_in(user, region) -> bool:
    """Whether the user may draw up a plan for `region` (their own region or one below it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if _is_admin(user):
        return True
    return user.role in EDITOR_ROLES and bool(user.region_id) and region.path.startswith(user.region.path)
