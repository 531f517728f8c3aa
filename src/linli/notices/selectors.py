"""Reads of community notices: the staff's list in their scope with read counts, what an audience may be, who is
in one; a resident's notices (those addressed to their community, grid, estate or building, where they live or
rent)."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.people.models import Building, Estate, Person, RentalTenant
from linli.regions import rules as region_rules
from linli.residents.models import Resident

from . import rules
from .models import Notice, NoticeRead

HOUSE = "household__house"  # where a person lives, for notices to an estate or a building
NOT_PUBLISHER = _("只有社区、街道和区级工作人员可以发布和查看社区公告")


def check_publisher(user) -> None:
    if not roles.can(user, roles.NOTICES, roles.PUBLISH_NOTICES):
        raise PermissionDenied(NOT_PUBLISHER)


# ---------------------------------------------------------------- staff


def notice_queryset(*, user) -> QuerySet:
    """The notices of the user's scope (404 for others): what a service locks before changing one."""
    check_publisher(user)
    return scope.within(Notice.objects.all(), scope.region_path(user), "region")


def notice_list(*, user, status: str | None = None) -> QuerySet:
    """The notices of the user's scope, drafts first, then newest first, each with its read count (`read_count`)."""
    qs = notice_queryset(user=user)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("region", "estate", "building__estate", "created_by", "published_by")
        .annotate(read_count=Count("reads"))
        .order_by(F("published_at").desc(nulls_first=True), "-created_at", "-id")
    )


def notice_get(*, user, pk: int) -> Notice:
    return scope.get_or_404(notice_list(user=user), pk=pk)


def _renting(prefix: str = "") -> Q:
    """A tenancy of a rental running today (`prefix`: the path from the filtered model to the tenancy)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}rental__starts_on__lte": today}) & (
        Q(**{f"{prefix}rental__ends_on__isnull": True}) | Q(**{f"{prefix}rental__ends_on__gte": today})
    )


def audience_residents(notice) -> QuerySet:
    """The bound residents a notice (or anything addressed as one) reaches, as they live now: their person's grid,
    or the house of their household or of a tenancy running today (a tenant registered through a rental lives there
    too)."""
    bound = Resident.objects.filter(person__isnull=False)
    if notice.audience in (rules.BUILDING, rules.ESTATE):
        where, place = (
            ("unit__building_id", notice.building_id)
            if notice.audience == rules.BUILDING
            else ("unit__building__estate_id", notice.estate_id)
        )
        tenant = Q(**{f"person__tenancies__rental__house__{where}": place}) & _renting("person__tenancies__")
        return bound.filter(Q(**{f"person__{HOUSE}__{where}": place}) | tenant).distinct()
    return scope.within(bound, notice.region.path, "person__grid")


def audience_size(notice: Notice) -> int:
    return audience_residents(notice).count()


def audience_regions(*, user) -> QuerySet:
    """The communities and grids of the user's scope, the regions a notice may be addressed to."""
    check_publisher(user)
    return scope.user_regions(user).filter(level__in=rules.REGION_AUDIENCES).order_by("path")


def audience_estates(*, user) -> QuerySet:
    check_publisher(user)
    return scope.within(Estate.objects.all(), scope.region_path(user), "region").order_by("region__path", "name")


def audience_buildings(*, user) -> QuerySet:
    check_publisher(user)
    qs = scope.within(Building.objects.all(), scope.region_path(user), "grid")
    return qs.select_related("estate").order_by("estate__region__path", "estate__name", "number")


def audience_target(*, user, audience: str, target: int) -> dict:
    """The fields of a notice addressed to `target` (a region, estate or building id, as `audience` says) by `user`:
    404 when the target is not in their scope, as when it does not exist."""
    if audience in (rules.COMMUNITY, rules.GRID):
        level = {v: k for k, v in rules.REGION_AUDIENCES.items()}[audience]
        region = scope.get_or_404(audience_regions(user=user).filter(level=level), pk=target)
        return {"region": region, "estate": None, "building": None}
    if audience == rules.ESTATE:
        estate = scope.get_or_404(audience_estates(user=user).select_related("region"), pk=target)
        return {"region": estate.region, "estate": estate, "building": None}
    building = scope.get_or_404(audience_buildings(user=user).select_related("grid"), pk=target)
    return {"region": building.grid, "estate": None, "building": building}


def audience_label(notice: Notice) -> str:
    """Whom a notice is addressed to, in words: 甲一社区, 甲一1号网格, 阳光小区, 阳光小区3号楼."""
    if notice.audience == rules.BUILDING:
        return f"{notice.building.estate.name}{notice.building}"
    if notice.audience == rules.ESTATE:
        return notice.estate.name
    return notice.region.name


def issuer(notice: Notice) -> str:
    """Who speaks in a notice: the community office, or the office above that published for it."""
    region = notice.region
    if region.level == region_rules.GRID:
        region = region.parent
    return region.name


# ---------------------------------------------------------------- residents


def lived_places(person_id: int) -> tuple[str, set[tuple[int, int]]] | None:
    """Where a registry person lives: the path of their grid and the (building id, estate id) of the house of their
    household and of each tenancy running today; None for no such person."""
    place = (
        Person.objects.filter(pk=person_id)
        .values_list("grid__path", f"{HOUSE}__unit__building_id", f"{HOUSE}__unit__building__estate_id")
        .first()
    )
    if place is None:
        return None
    grid_path, building_id, estate_id = place
    homes = {(building_id, estate_id)} if building_id is not None else set()
    rented = RentalTenant.objects.filter(_renting(), person_id=person_id)
    homes |= set(rented.values_list("rental__house__unit__building_id", "rental__house__unit__building__estate_id"))
    return grid_path, homes


def addressed_to(grid_paths: list[str], homes: set[tuple[int, int]]) -> Q:
    """Rows addressed as notices are (audience, region, estate, building) that reach the grids at `grid_paths` (from
    their community or grid) or the buildings and estates of `homes` ((building id, estate id) pairs)."""
    regions = Q()
    for path in grid_paths:
        regions |= Q(region__in=scope.ancestors_or_self(path))
    reaches = Q(audience__in=list(rules.REGION_AUDIENCES.values())) & regions
    if homes:
        buildings, estates = zip(*homes, strict=True)
        reaches |= Q(audience=rules.BUILDING, building_id__in=buildings) | Q(
            audience=rules.ESTATE, estate_id__in=estates
        )
    return reaches


def resident_notices(resident: Resident) -> QuerySet:
    """The published notices addressed to where a bound resident lives, newest first, `read` marking those read."""
    place = lived_places(resident.person_id) if resident.person_id is not None else None
    if place is None:
        return Notice.objects.none()
    grid_path, homes = place
    reaches = addressed_to([grid_path], homes)
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), resident=resident)
    return (
        Notice.objects.filter(reaches, status=rules.PUBLISHED)
        .select_related("region__parent")
        .annotate(read=Exists(read))
        .order_by("-published_at", "-id")
    )


def resident_notice_get(*, resident: Resident, pk: int) -> Notice:
    return scope.get_or_404(resident_notices(resident), pk=pk)
