"""Pure rules of the duplicate hints: the box a database index can read around a point, the distance that then
decides, and the order the hints are shown in. No Django."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext as _

# The mean radius of the Earth (IUGG). Within a few hundred metres the sphere is off the ellipsoid by well under
# a metre, far below what a resident's tap or a phone's fix can tell.
EARTH_RADIUS = 6_371_008.8
# Latitudes beyond which a box in degrees of longitude no longer makes sense; no district lies there.
MAX_LATITUDE = 85.0

T = TypeVar("T")


@dataclass(frozen=True)
class Box:
    """South, north, west and east bounds in degrees: every point within `metres` of the centre lies inside."""

    south: float
    north: float
    west: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def box_around(latitude: float, longitude: float, metres: float) -> Box:
    """The smallest latitude/longitude box holding the circle of `metres` around the point (not across the
    antimeridian or a pole: the platform serves one city)."""
    if not -MAX_LATITUDE <= latitude <= MAX_LATITUDE:
        raise ValueError("latitude out of range")
    dlat = math.degrees(metres / EARTH_RADIUS)
    # The circle is widest in longitude on the parallel nearer the pole.
    widest = min(abs(latitude) + dlat, 90.0)
    dlng = math.degrees(metres / (EARTH_RADIUS * math.cos(math.radians(widest)))) if widest < 90 else 180.0
    return Box(latitude - dlat, latitude + dlat, longitude - dlng, longitude + dlng)


def distance(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Hint:
    """One suspected duplicate: the case, and how far it lies (None when it matched by the same building or
    the same grid rather than by its point)."""

    case: object
    metres: float | None

    @property
    def distance_label(self) -> str:
        return about(self.metres) if self.metres is not None else _("同一楼栋或同一网格")


def ranked(candidates: Iterable[tuple[T, float | None]], limit: int) -> list[Hint]:
    """The nearest first (matches by building or grid, without a distance, after those with one), at most
    `limit`; candidates come in the order the database read them, oldest first, which breaks ties."""
    hints = [Hint(case, metres) for case, metres in candidates]
    hints.sort(key=lambda h: (h.metres is None, h.metres or 0.0))
    return hints[:limit]


def about(metres: float | None) -> str:
    """A distance as people say it: 约30米, 约150米; 相距不到10米 for the same spot."""
    if metres is None:
        return ""
    if metres < 10:
        return _("相距不到10米")
    step = 10 if metres < 100 else 50
    return _("约%(max)s米") % {"max": max(step, round(metres / step) * step)}
