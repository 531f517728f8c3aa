"""The one place where a user's region scope is decided. Every selector filters through here.

A region's `path` is the significant prefix of its statistical code, so "region B lies in the subtree of A" is
"B.path starts with A.path". That comparison is written here and in the regions app's tree code only; a test
(`linli/tests/test_architecture.py`) fails if it appears anywhere else. What a role may do is `accounts/roles.py`.
"""

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .roles import REGION_ROLES, effective_role, in_group, is_admin


def _regions() -> QuerySet:
    # By its app label, as the User model names it: regions sit above accounts and import this module.
    return apps.get_model("regions", "Region").objects.all()


def region_path(user) -> str | None:
    """The path prefix of the user's subtree; "" means the whole tree; None means no region scope."""
    if effective_role(user) is None:
        return None
    if is_admin(user):
        return ""
    if in_group(user, REGION_ROLES) and user.region_id:
        return user.region.path
    if user.organization_id:  # departments and companies see the tree of the region they serve
        return user.organization.region.path
    return None


def registry_path(user) -> str | None:
    """Like region_path, but only roles that keep the people registry get any of it."""
    if in_group(user, REGION_ROLES):
        return region_path(user)
    return None


def contains(scope: str | None, path: str) -> bool:
    """Whether the region at `path` lies in the subtree at `scope` (None: no scope, "" the whole tree)."""
    return scope is not None and path.startswith(scope)


def covers(user, region) -> bool:
    """Whether `region` (a Region) lies in the user's region subtree."""
    return region is not None and contains(region_path(user), region.path)


def office_path(user) -> str | None:
    """The path of the user's own region node (their office), whatever their scope: "" for the administrator (the
    whole tree), None for a user without one (departments, companies, anonymous)."""
    if is_admin(user):
        return ""
    return user.region.path if effective_role(user) and user.region_id else None


def office_covers(user, region) -> bool:
    """Whether `region` lies under the user's own region node (their office), whatever their scope: the test for
    acting *as* a region office, e.g. a street office drawing up a plan for one of its communities."""
    return region is not None and contains(office_path(user), region.path)


def subtree(path: str | None, queryset: QuerySet | None = None) -> QuerySet:
    """The regions of the subtree at `path` (optionally narrowing `queryset` of regions)."""
    qs = _regions() if queryset is None else queryset
    if path is None:
        return qs.none()
    return qs if path == "" else qs.filter(path__startswith=path)


def user_regions(user, queryset: QuerySet | None = None) -> QuerySet:
    """The regions in the user's scope: the choices a form may offer."""
    return subtree(region_path(user), queryset)


def office_regions(user, queryset: QuerySet | None = None) -> QuerySet:
    """The regions under the user's own node, those `office_covers` admits (optionally narrowing `queryset`)."""
    return subtree(office_path(user), queryset)


def enclosing_paths(path: str) -> list[str]:
    """The paths of every region whose subtree holds the region at `path`, itself included: its prefixes."""
    return [path[:i] for i in range(1, len(path) + 1)]


def scope_roots(path: str | None) -> QuerySet:
    """The regions whose subtrees together make up the scope at `path`: its own node, or every root for the whole
    tree (""); none without a scope. Summaries kept per subtree (linli.stats) are read through these."""
    if path is None:
        return _regions().none()
    return _regions().filter(parent__isnull=True) if path == "" else _regions().filter(path=path)


def ancestors_or_self(path: str) -> QuerySet:
    """Regions whose subtree contains the region at `path`."""
    return _regions().filter(path__in=enclosing_paths(path))


def subtree_or_above_q(path: str, region_field: str) -> Q:
    """Rows whose `region_field` lies in the subtree at `path` or above it (that node or one of its ancestors), on
    the way to the root: what a region answers to and what answers to it — a street sees the district's plans and
    index systems and its communities' ("" all)."""
    if path == "":
        return Q()
    return in_subtree(region_field, path) | Q(**{f"{region_field}__in": ancestors_or_self(path)})


def in_subtree(region_field: str, path: str) -> Q:
    """Rows whose `region_field` (a Region FK path, e.g. "grid") lies in the subtree at `path`.

    A subquery on the subtree's region ids, not a join on their paths: the database then filters and counts
    through the foreign-key index (about six times faster for a street's 25,000 residents on SQLite).
    """
    return Q(**{f"{region_field}__in": _regions().filter(path__startswith=path).values("pk")})


def within(qs: QuerySet, path: str | None, region_field: str) -> QuerySet:
    """Limit `qs` to rows whose `region_field` lies in the subtree; None means nothing, "" everything."""
    if path is None:
        return qs.none()
    if path == "":
        return qs
    return qs.filter(in_subtree(region_field, path))


def region_q(path: str | None, region_field: str) -> Q:
    if path is None:
        return Q(pk__in=[])
    return Q() if path == "" else in_subtree(region_field, path)


NOT_FOUND = _("未找到该记录或无权访问")


def get_or_404(qs: QuerySet, **lookup):
    """Fetch one object from an already scoped queryset; out of scope and missing look the same. The lookup names one
    row (its key), so it is read unordered: ordering it by key, as first() does, made Django compare the ORDER BY
    with each selected column, about 0.45 ms for a case's fifty columns."""
    obj = next(iter(qs.filter(**lookup).order_by()[:1]), None)
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def all_or_404(qs: QuerySet, pks: list[int]) -> None:
    """404 unless every id names a row of an already scoped queryset, as get_or_404 for one; one query."""
    if qs.filter(pk__in=pks).count() < len(set(pks)):
        raise Http404(NOT_FOUND)
