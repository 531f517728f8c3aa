from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from linli.accounts.roles import EDIT_REGIONS, EDIT_ROOT_REGIONS, REGISTRY, can
from linli.accounts.scope import (
    ancestors_or_self,
    get_or_404,
    office_covers,
    region_path,
    subtree,
    user_regions,
    within,
)
from linli.core.reference import kept

from .models import GridStaff, Region


def can_add_below(user, node: Region) -> bool:
    """Whether the user may add a node below `node`: admins anywhere, district/street offices at or below their own
    node. The page offers 添加下级 and regions.services allows it on this same answer."""
    if can(user, REGISTRY, EDIT_ROOT_REGIONS):
        return True
    return can(user, REGISTRY, EDIT_REGIONS) and office_covers(user, node)


def can_edit_region(user, node: Region) -> bool:
    """Whether the user may change `node` (and name its grid staff): as for adding below it, except that an office
    does not edit its own node."""
    if can(user, REGISTRY, EDIT_ROOT_REGIONS):
        return True
    return can_add_below(user, node) and node.pk != user.region_id


def region_queryset(*, user) -> QuerySet:
    return user_regions(user)


def region_list(*, user, parent: int | None = None, level: int | None = None, name: str | None = None) -> QuerySet:
    qs = region_queryset(user=user)
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if name:
        qs = qs.filter(name__contains=name.strip())
    return qs.select_related("parent").order_by("path")


class Node(NamedTuple):
    """A region as choices and names need it."""

    pk: int
    parent_id: int | None
    level: int
    name: str
    path: str


@kept(Region, maxsize=1024)
def subtree_nodes(path: str | None) -> tuple[Node, ...]:
    """The nodes of the subtree at `path` ("" the whole tree, None none) in path order, kept in memory
    (linli.core.reference): for drawing choices and names. Which rows a user reaches is decided by scoped queries."""
    return tuple(Node(*row) for row in subtree(path).order_by("path").values_list(*Node._fields))


@kept(Region)
def region_names() -> Mapping[int, str]:
    """Every region's name by id, kept in memory (linli.core.reference): for labels."""
    return MappingProxyType(dict(Region.objects.values_list("pk", "name")))


def scope_nodes(*, user) -> tuple[Node, ...]:
    """The nodes of the user's scope (see subtree_nodes)."""
    return subtree_nodes(region_path(user))


def region_get(*, user, pk: int) -> Region:
    return get_or_404(region_queryset(user=user).select_related("parent"), pk=pk)


def region_tree(*, user) -> tuple[list[Region], list[Region]]:
    """The user's subtree from one scoped query: its roots, whose `kids` hold their children, and all its nodes."""
    nodes = list(region_list(user=user))
    by_pk = {node.pk: node for node in nodes}
    roots = []
    for node in nodes:
        node.kids = []
    for node in nodes:
        parent = by_pk.get(node.parent_id)
        (parent.kids if parent else roots).append(node)
    return roots, nodes


def region_ancestors(*, user, node: Region) -> list[Region]:
    """The in-scope nodes above `node`, top first, in one query."""
    return list((region_queryset(user=user) & ancestors_or_self(node.path)).exclude(pk=node.pk).order_by("path"))


def grids_under(*, user, region: Region) -> QuerySet:
    return subtree(region.path, region_queryset(user=user).filter(level=Region.Level.GRID))


def map_grids(*, user, parent: int | None = None) -> QuerySet:
    """The grids under `parent` (404 outside the scope), or every grid in the user's scope, for the map layer."""
    if parent:
        return grids_under(user=user, region=region_get(user=user, pk=parent)).order_by("path")
    return region_list(user=user, level=Region.Level.GRID)


def grid_staff_list(*, user, grid_id: int) -> QuerySet:
    """Staff named for a region node in the user's scope (404 otherwise)."""
    return region_get(user=user, pk=grid_id).staff.all()


def staff_under(*, user, region: Region) -> QuerySet:
    """Staff of every grid below `region` in the user's scope, grid by grid."""
    grids = grids_under(user=user, region=region)
    return GridStaff.objects.filter(grid__in=grids).select_related("grid").order_by("grid__path", "duty", "id")


def _feature(node: Region, role: str) -> dict | None:
    if not node.boundary:
        return None
    properties = {"id": node.pk, "name": node.name, "role": role, "url": f"/regions/{node.pk}/"}
    return {"type": "Feature", "geometry": node.boundary, "properties": properties}


def region_overview(*, user, node: Region) -> dict:
    """What a node's page shows around it: the nodes above and below it, the staff of its grids, and its boundary
    with its children's as a GeoJSON FeatureCollection."""
    children = list(region_list(user=user, parent=node.pk))
    features = [f for f in [_feature(node, "self"), *(_feature(c, "child") for c in children)] if f]
    return {
        "ancestors": region_ancestors(user=user, node=node),
        "children": children,
        "staff": staff_under(user=user, region=node),
        "geojson": {"type": "FeatureCollection", "features": features},
    }


def region_scope_users(user) -> QuerySet:
    """Accounts attached to a node of the user's subtree (e.g. to name as grid staff)."""
    users = get_user_model().objects.filter(region__isnull=False)
    return within(users, region_path(user), "region")
