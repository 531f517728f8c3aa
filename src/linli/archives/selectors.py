"""Reads of archive boxes and items: THE one module that decides which boxes and items a user sees.

A box is its office's (a community's, a street's, the district's): the office keeps it (roles.KEEP_ARCHIVES) and
the offices above read it (roles.READ_ARCHIVES, the user's region subtree). Items are read through their box. The
search package filters its results through `item_queryset` too. Items attached as evidence are read through their
link by whoever may read the target (linli.archives.evidence), and by nobody else outside the box's scope.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.regions.models import Region

from . import evidence, rules
from .models import Box, Category, EvidenceLink, Item

NOT_READER = _("只有社区、街道和区级工作人员可以查看电子台账")
NOT_KEEPER = _("只有本单位工作人员可以整理本单位的档案盒")
NOT_CONFIGURER = _("只有区级工作人员可以设置档案类别")
OFFICE_LEVELS = (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.COMMUNITY)
PICKER_MAX = 300  # items offered in an evidence picker: the newest of the user's own boxes


def check_reader(user) -> None:
    if not roles.can(user, roles.ARCHIVES, roles.READ_ARCHIVES):
        raise PermissionDenied(NOT_READER)


def check_keeper(user) -> None:
    if not roles.can(user, roles.ARCHIVES, roles.KEEP_ARCHIVES):
        raise PermissionDenied(NOT_KEEPER)


def check_configurer(user) -> None:
    if not roles.can(user, roles.ARCHIVES, roles.CONFIGURE_ARCHIVES):
        raise PermissionDenied(NOT_CONFIGURER)


def may_keep(user) -> bool:
    return roles.can(user, roles.ARCHIVES, roles.KEEP_ARCHIVES)


def may_configure(user) -> bool:
    return roles.can(user, roles.ARCHIVES, roles.CONFIGURE_ARCHIVES)


# ---------------------------------------------------------------- boxes


def box_queryset(*, user) -> QuerySet:
    """The boxes of offices in the user's region subtree (403 without READ_ARCHIVES)."""
    check_reader(user)
    return scope.within(Box.objects.all(), scope.region_path(user), "region")


def box_list(*, user, year: int | None = None, topic: str = "", region_id: int | None = None) -> QuerySet:
    qs = box_queryset(user=user)
    if year:
        qs = qs.filter(year=year)
    if topic:
        qs = qs.filter(topic__icontains=topic)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return qs.select_related("region").annotate(item_count=Count("items")).order_by("-year", "region__path", "topic",
                                                                                    "id")  # fmt: skip


def box_get(*, user, pk: int) -> Box:
    return scope.get_or_404(box_queryset(user=user).select_related("region"), pk=pk)


def keep_regions(*, user) -> QuerySet:
    """The offices whose boxes the user keeps: their own (a district, street or community office); the
    administrator any office."""
    if not may_keep(user):
        return Region.objects.none()
    offices = Region.objects.filter(level__in=OFFICE_LEVELS)
    if roles.is_admin(user):
        return offices.order_by("path")
    return offices.filter(pk=user.region_id) if user.region_id else offices.none()


def may_keep_box(user, box: Box) -> bool:
    if not may_keep(user):
        return False
    return roles.is_admin(user) or box.region_id == user.region_id


def box_to_keep(*, user, pk: int) -> Box:
    """A box the user reads (404 otherwise) and keeps (403 otherwise)."""
    box = box_get(user=user, pk=pk)
    if not may_keep_box(user, box):
        raise PermissionDenied(NOT_KEEPER)
    return box


def district_of(region: Region) -> Region | None:
    return scope.ancestors_or_self(region.path).filter(level=Region.Level.DISTRICT).first()


def categories_for(region: Region, *, active_only: bool = True) -> QuerySet:
    """The categories offered in the boxes of `region`: the eight of every district and its district's own."""
    district = district_of(region)
    qs = Category.objects.filter(Q(district__isnull=True) | Q(district=district))
    return (qs.filter(active=True) if active_only else qs).order_by("district_id", "order", "id")


def configurable_districts(*, user) -> QuerySet:
    """The districts whose own categories the user sets: those in their scope."""
    if not may_configure(user):
        return Region.objects.none()
    return scope.user_regions(user, Region.objects.filter(level=Region.Level.DISTRICT)).order_by("path")


def category_list(*, user) -> QuerySet:
    """The eight defaults and the own categories of the districts in the user's scope."""
    check_reader(user)
    districts = scope.user_regions(user, Region.objects.filter(level=Region.Level.DISTRICT))
    qs = Category.objects.filter(Q(district__isnull=True) | Q(district__in=districts.values("pk")))
    return qs.select_related("district").order_by("district_id", "order", "id")


def item_regions(box: Box) -> QuerySet:
    """The places an item of `box` may be about: the box's office and the places below it."""
    return scope.subtree(box.region.path).order_by("path")


# ---------------------------------------------------------------- items


def item_queryset(*, user) -> QuerySet:
    """The items of the boxes the user reads: the filter every list, page, file and search result goes through."""
    check_reader(user)
    return scope.within(Item.objects.all(), scope.region_path(user), "box__region")


def item_get(*, user, pk: int) -> Item:
    return scope.get_or_404(item_queryset(user=user).select_related("box__region", "category", "region"), pk=pk)


def item_to_keep(*, user, pk: int) -> Item:
    item = item_get(user=user, pk=pk)
    if not may_keep_box(user, item.box):
        raise PermissionDenied(NOT_KEEPER)
    return item


def box_items(box: Box, *, category_id: int | None = None) -> QuerySet:
    qs = Item.objects.filter(box=box).select_related("category", "region").defer("file_text")
    if category_id:
        qs = qs.filter(category_id=category_id)
    return qs.order_by("category__order", "category_id", "date", "id")


@dataclass
class Shelf:
    """One category of a box with its items: the box page's sections, in the checklist's order."""

    category: Category
    items: list[Item] = field(default_factory=list)
    default: bool = True


@dataclass
class BoxContents:
    shelves: list[Shelf]
    missing: list[str]  # the eight of "一盒档案" still empty
    count: int


def box_contents(box: Box) -> BoxContents:
    """The box's items by category (the eight in order, then the district's own that hold items or are active)
    and which of the eight are still empty. Two queries."""
    categories = list(categories_for(box.region, active_only=False))
    items = list(box_items(box))
    by_category: dict[int, list[Item]] = {}
    for item in items:
        by_category.setdefault(item.category_id, []).append(item)
    shelves = [
        Shelf(c, by_category.get(c.pk, []), c.district_id is None)
        for c in categories
        if c.active or c.pk in by_category
    ]
    filled = {s.category.name for s in shelves if s.default and s.items}
    return BoxContents(shelves, rules.missing_categories(list(rules.DEFAULT_CATEGORIES), filled), len(items))


def pickable_items(*, user) -> list[Item]:
    """The items offered in an evidence picker: the newest of the boxes the user keeps."""
    if not roles.can(user, roles.ARCHIVES, roles.READ_ARCHIVES):
        return []
    boxes = box_queryset(user=user).filter(region__in=keep_regions(user=user).values("pk"))
    if roles.is_admin(user):
        boxes = box_queryset(user=user)
    qs = Item.objects.filter(box__in=boxes.values("pk")).select_related("box", "category").defer("text", "file_text")
    return list(qs.order_by("-date", "-id")[:PICKER_MAX])


# ---------------------------------------------------------------- evidence links


def links_of(source: str, source_id: int) -> QuerySet:
    """The items attached to a target (the caller has checked the user may read the target)."""
    qs = EvidenceLink.objects.filter(source=source, source_id=source_id)
    return qs.select_related("item__box", "item__category").defer("item__text", "item__file_text").order_by(
        "part_id", "linked_at", "id")  # fmt: skip


def links_of_item(item: Item) -> QuerySet:
    return EvidenceLink.objects.filter(item=item).order_by("linked_at", "id")


def evidence_for(*, user, source: str, source_id: int):
    """The target as the user reads it (404 otherwise) and the items attached to it."""
    found = evidence.target(user, source, source_id)
    return found, list(links_of(source, source_id))


def link_get(*, user, pk: int) -> EvidenceLink:
    """A link whose target the user reads (404 otherwise): the way a reviewer opens an item outside their boxes."""
    link = scope.get_or_404(EvidenceLink.objects.select_related("item__box", "item__category"), pk=pk)
    evidence.target(user, link.source, link.source_id)
    return link
