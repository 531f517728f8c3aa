"""Where a case happened: the grid (or community) containing a point, from the regions' GeoJSON boundaries."""

from functools import lru_cache

from django.db.models import Count, Max
from shapely import prepared
from shapely.geometry import Point, shape

from linli.regions.models import Region


@lru_cache(maxsize=4)
def _shapes(stamp) -> list[tuple[int, int, object]]:
    """(level, region id, prepared polygon), finest level first. `stamp` changes whenever a boundary may have."""
    rows = Region.objects.exclude(boundary=None).filter(level__gte=Region.Level.COMMUNITY)
    shapes = [(r.level, r.pk, prepared.prep(shape(r.boundary))) for r in rows.only("pk", "level", "boundary")]
    return sorted(shapes, key=lambda s: -s[0])


def region_at(latitude, longitude) -> Region | None:
    """The finest region whose boundary contains the point (GeoJSON order: longitude, latitude)."""
    stamp = tuple(Region.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    point = Point(float(longitude), float(latitude))
    for _level, pk, polygon in _shapes(stamp):
        if polygon.covers(point):
            return Region.objects.get(pk=pk)
    return None
