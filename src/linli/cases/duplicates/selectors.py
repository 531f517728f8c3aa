"""Reads of the duplicate hints: open cases (not yet resolved, 缓办 included) of one category, received within
settings.DUPLICATE_DAYS, lying within settings.DUPLICATE_METRES of a point, in the same building as a house, or
(with neither) in the same grid. One query: a box on the indexed latitude and longitude (index case_open_place) or
the building (index case_open_building), then the distance in Python over the few rows read."""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import reduce

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles
from linli.core.errors import PermissionDenied
from linli.people.models import House

from .. import rules as case_rules
from ..models import Case
from ..open311.selectors import PUBLIC_CHANNELS
from ..selectors import case_queryset
from . import rules

SHOWN = 5  # hints shown at most; the nearest
# What the case page's hints show (cases/duplicates/hints.html) and measure (the distance, the same building or
# region node): a case has 56 columns.
PAGE_FIELDS = (
    "number", "state", "received_at", "description", "address", "latitude", "longitude", "building_id", "region_id",
)  # fmt: skip
READ = 50  # rows read at most from the box: a handful in practice, the bound keeps a hot spot cheap
REFUSED = _("您无权受理事件，因此无法查看疑似重复件")
SIX_PLACES = Decimal("0.000001")
# In the order of the index case_open_place's condition: SQLite uses a partial index only for the same IN list.
UNRESOLVED = sorted(case_rules.UNRESOLVED)


@dataclass(frozen=True)
class Place:
    """Where a case is, as far as it is known: its point, its house (or, for a case taken in, its house's
    building), its region node."""

    latitude: Decimal | float | None = None
    longitude: Decimal | float | None = None
    house_id: int | None = None
    region_id: int | None = None
    building_id: int | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude)


def window() -> dict:
    """How near and how recent a case must be to be hinted at, for the pages to say."""
    return {"metres": settings.DUPLICATE_METRES, "days": settings.DUPLICATE_DAYS}


def check_viewer(user) -> None:
    """Hints are for those who take cases in (roles.INTAKE), on the page and in the API alike."""
    if not roles.can(user, roles.CASES, roles.INTAKE):
        raise PermissionDenied(REFUSED)


def _box(point: tuple[float, float]) -> Q | None:
    """The rows whose point lies in the box around `point`, read through the index case_open_place."""
    if not -rules.MAX_LATITUDE <= point[0] <= rules.MAX_LATITUDE or not -180 <= point[1] <= 180:
        return None
    box = rules.box_around(*point, settings.DUPLICATE_METRES)
    # Outwards to the stored six places, so that a case on the box's edge is read, then measured.
    return Q(
        latitude__gte=Decimal(box.south).quantize(SIX_PLACES, ROUND_FLOOR),
        latitude__lte=Decimal(box.north).quantize(SIX_PLACES, ROUND_CEILING),
        longitude__gte=Decimal(box.west).quantize(SIX_PLACES, ROUND_FLOOR),
        longitude__lte=Decimal(box.east).quantize(SIX_PLACES, ROUND_CEILING),
    )


def _same_place(place: Place) -> tuple[Q, Callable[[Case], bool]] | None:
    """The rows in the same building as the place's house; with neither a point nor a house, in its region node: as
    a condition, and as a test of a row read. Tested in Python, not annotated: an annotation is compiled and
    planned once more."""
    building = place.building_id
    if building is None and place.house_id is not None:
        building = House.objects.filter(pk=place.house_id).values_list("unit__building_id", flat=True).first()
    if building is not None:
        return Q(building_id=building), lambda row: row.building_id == building
    if place.house_id is None and place.point is None and place.region_id is not None:
        return Q(region_id=place.region_id), lambda row: row.region_id == place.region_id
    return None


def _hints(qs: QuerySet, place: Place, category_id: int | None, since: datetime) -> list[rules.Hint]:
    point = place.point
    box = _box(point) if point is not None else None
    same, is_same = _same_place(place) or (None, None)
    if category_id is None or (box is None and same is None):
        return []
    qs = qs.filter(category_id=category_id, state__in=UNRESOLVED, received_at__gte=since)
    # The case's own columns only: the hints' pages show no related row, and joined, the planner took longer to
    # order the tables than the read of a usually empty box (the API reads what it shows by key, after).
    near = reduce(operator.or_, [q for q in (box, same) if q is not None])
    rows = qs.filter(near).order_by("received_at", "id")[:READ]
    candidates = []
    for case in rows:
        d = None
        if point is not None and case.latitude is not None:
            d = rules.distance(*point, float(case.latitude), float(case.longitude))
        if d is not None and d <= settings.DUPLICATE_METRES:
            candidates.append((case, d))
        elif is_same is not None and is_same(case):
            candidates.append((case, None))
    return rules.ranked(candidates, SHOWN)


def similar(*, user, category_id: int | None, place: Place, now: datetime | None = None) -> list[rules.Hint]:
    """Suspected duplicates of a case being taken in by `user`, among the cases they see."""
    check_viewer(user)
    since = (now or timezone.now()) - timedelta(days=settings.DUPLICATE_DAYS)
    return _hints(case_queryset(user=user), place, category_id, since)


def similar_to(*, user, case: Case) -> list[rules.Hint]:
    """Suspected duplicates of a case on the dispatcher's desk, for its page: other unresolved cases the user
    sees, received from the window before it on."""
    place = Place(case.latitude, case.longitude, case.house_id, case.region_id, case.building_id)
    since = case.received_at - timedelta(days=settings.DUPLICATE_DAYS)
    qs = case_queryset(user=user).exclude(pk=case.pk).only(*PAGE_FIELDS)
    return _hints(qs, place, case.category_id, since)


def similar_public(*, category_id: int | None, latitude, longitude, now: datetime | None = None) -> list[rules.Hint]:
    """Suspected duplicates for a resident's report: by the point only, among the cases residents reported
    themselves (online or through Open311), which Open311 lists publicly anyway. Cases taken in by staff are
    never shown, as Open311 never lists them."""
    since = (now or timezone.now()) - timedelta(days=settings.DUPLICATE_DAYS)
    qs = Case.objects.filter(channel__in=PUBLIC_CHANNELS)
    return _hints(qs, Place(latitude, longitude), category_id, since)
