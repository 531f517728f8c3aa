"""The burden app's scope reads: which lists, applications and work rows a user sees. Every page and endpoint of
the app reads through here.
"""

from django.db.models import Q, QuerySet

from linli.accounts import roles, scope
from linli.regions.models import Region

from . import rules
from .models import AccessApplication, DutyItem, WorkRequest

# ---------------------------------------------------------------- part B: work given to communities


def district_of(region: Region) -> Region | None:
    """The district a region lies in (itself for a district)."""
    if region.level == Region.Level.DISTRICT:
        return region
    return scope.ancestors_or_self(region.path).filter(level=Region.Level.DISTRICT).first()


def user_district_ids(user) -> QuerySet:
    """The ids of the districts whose lists and applications a user picks a basis from: the district of their
    region or organisation, every district for an administrator."""
    districts = Region.objects.filter(level=Region.Level.DISTRICT)
    path = scope.region_path(user)
    if path is None:
        return districts.none().values("pk")
    if path == "":
        return districts.values("pk")
    return districts.filter(path__in=scope.enclosing_paths(path)).values("pk")


def work_queryset(user) -> QuerySet:
    """Work rows a user sees: with VIEW_BURDEN those given to the communities of their subtree (a community its
    own, a street its communities, the district all); with APPLY_ACCESS also those their own body asked for (a
    department's, or an office's at or under the user's own), so that it can apply for what is held."""
    if roles.effective_role(user) is None:
        return WorkRequest.objects.none()
    q = Q(pk__in=[])
    if roles.can(user, roles.BURDEN, roles.VIEW_BURDEN):
        q |= scope.region_q(scope.region_path(user), "community")
    if roles.can(user, roles.BURDEN, roles.APPLY_ACCESS):
        q |= asked_by_q(user)
    return WorkRequest.objects.filter(q)


def asked_by_q(user) -> Q:
    """Work asked by the user's own body: their organisation, or a region office at or under their own node."""
    if user.organization_id:
        return Q(organization_id=user.organization_id)
    path = scope.office_path(user)
    if path is None:
        return Q(pk__in=[])
    return Q(office__isnull=False) & scope.region_q(path, "office")


def report_path(user) -> str | None:
    """The subtree whose communities' burden the user's report covers (None: no report)."""
    if not roles.can(user, roles.BURDEN, roles.VIEW_BURDEN):
        return None
    return scope.region_path(user)


def has_lists(district_id: int) -> bool:
    """Whether the district keeps its two lists (any item, retired ones included)."""
    return DutyItem.objects.filter(district_id=district_id).exists()


def held_source_ids(source: str, community_ids=None) -> QuerySet:
    """The ids of `source`'s rows (e.g. "campaigns.taskunit") whose work is withheld from the community: 待准入 or
    准入未批. A module excludes these from what the community sees; narrow with `community_ids` when known."""
    qs = WorkRequest.objects.filter(source=source, state__in=(rules.HELD, rules.DECLINED))
    if community_ids is not None:
        qs = qs.filter(community_id__in=community_ids)
    return qs.values("source_id")


def held_communities(source: str, source_id: int) -> QuerySet:
    """The communities from which the work of one module row (e.g. a survey's forms) is withheld."""
    qs = WorkRequest.objects.filter(source=source, source_id=source_id, state__in=(rules.HELD, rules.DECLINED))
    return qs.values("community_id")


def basis_items(district_ids) -> QuerySet:
    return DutyItem.objects.filter(district_id__in=district_ids, active=True).order_by("list", "number")


def basis_applications(district_ids) -> QuerySet:
    """Applications work may be asked under: approved, or still being decided (the work then waits for them)."""
    states = (rules.APPROVED, rules.SUBMITTED, rules.FIRST_PASSED)
    return AccessApplication.objects.filter(district_id__in=district_ids, state__in=states).order_by("-id")
