from django.db.models import QuerySet

from linli.accounts.scope import get_or_404, region_path

from .models import Region


def region_queryset(*, user) -> QuerySet:
    path = region_path(user)
    if path is None:
        return Region.objects.none()
    qs = Region.objects.all()
    return qs.filter(path__startswith=path) if path else qs


def region_list(*, user, parent: int | None = None, level: int | None = None, name: str | None = None) -> QuerySet:
    qs = region_queryset(user=user)
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if name:
        qs = qs.filter(name__contains=name.strip())
    return qs.select_related("parent").order_by("path")


def region_get(*, user, pk: int) -> Region:
    return get_or_404(region_queryset(user=user).select_related("parent"), pk=pk)


def grids_under(*, user, region: Region) -> QuerySet:
    return region_queryset(user=user).filter(level=Region.Level.GRID, path__startswith=region.path)


def grid_staff_list(*, user, grid_id: int) -> QuerySet:
    """Staff named for a region node in the user's scope (404 otherwise)."""
    return region_get(user=user, pk=grid_id).staff.all()


def region_scope_users(user) -> QuerySet:
    """Accounts attached to a node of the user's subtree (e.g. to name as grid staff)."""
    from linli.accounts.models import User

    path = region_path(user)
    if path is None:
        return User.objects.none()
    users = User.objects.filter(region__isnull=False)
    return users.filter(region__path__startswith=path) if path else users
