"""Boundaries of the demo district as GeoJSON: pure functions of a random.Random.

The district is a rectangle around CENTER, cut west/east into two streets; each street is cut into a
2×2 block of communities and each community into five grids (two above, three below). Cuts are jittered
so the map does not look like a chessboard, but every level tiles its parent exactly: children share
edges, never overlap and leave no gaps. Coordinates are WGS84 (lon, lat), rounded to six decimals.
"""

import random
from dataclasses import dataclass

DISTRICT_WIDTH = 0.088  # degrees of longitude, about 7.3 km at 41.8°N
DISTRICT_HEIGHT = 0.060  # degrees of latitude, about 6.7 km


@dataclass(frozen=True)
class Rect:
    west: float
    south: float
    east: float
    north: float

    @property
    def area(self) -> float:
        return (self.east - self.west) * (self.north - self.south)

    def polygon(self) -> dict:
        """A closed GeoJSON Polygon, counter-clockwise (the right-hand rule of RFC 7946)."""
        w, s, e, n = (round(v, 6) for v in (self.west, self.south, self.east, self.north))
        return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}

    def point(self, rng: random.Random, margin: float = 0.15) -> tuple[float, float]:
        """A point well inside the rectangle (lon, lat)."""
        lon = self.west + (self.east - self.west) * rng.uniform(margin, 1 - margin)
        lat = self.south + (self.north - self.south) * rng.uniform(margin, 1 - margin)
        return round(lon, 6), round(lat, 6)

    def intersection_area(self, other: "Rect") -> float:
        w, e = max(self.west, other.west), min(self.east, other.east)
        s, n = max(self.south, other.south), min(self.north, other.north)
        return max(0.0, e - w) * max(0.0, n - s)


def _cut(rng: random.Random, low: float, high: float, parts: int) -> list[float]:
    """Split [low, high] into `parts` intervals of roughly equal width (±20%); returns the parts + 1 edges."""
    weights = [rng.uniform(0.8, 1.2) for _ in range(parts)]
    total = sum(weights)
    edges, at = [low], low
    for weight in weights[:-1]:
        at += (high - low) * weight / total
        edges.append(at)
    edges.append(high)
    return edges


def split_columns(rng: random.Random, rect: Rect, parts: int) -> list[Rect]:
    xs = _cut(rng, rect.west, rect.east, parts)
    return [Rect(xs[i], rect.south, xs[i + 1], rect.north) for i in range(parts)]


def split_grid(rng: random.Random, rect: Rect, rows: int, cols: int) -> list[Rect]:
    """rows × cols cells, north row first, west to east within a row."""
    ys = _cut(rng, rect.south, rect.north, rows)[::-1]
    xs = _cut(rng, rect.west, rect.east, cols)
    return [Rect(xs[c], ys[r + 1], xs[c + 1], ys[r]) for r in range(rows) for c in range(cols)]


def split_community(rng: random.Random, rect: Rect, grids: int = 5) -> list[Rect]:
    """Grids of a community: an upper row of grids // 2 and a lower row of the rest, each row cut on its own."""
    upper = grids // 2
    south, north = rect.south, rect.north
    mid = south + (north - south) * rng.uniform(0.42, 0.58)
    cells = []
    if upper:
        cells += split_columns(rng, Rect(rect.west, mid, rect.east, north), upper)
    else:
        mid = north
    cells += split_columns(rng, Rect(rect.west, south, rect.east, mid), grids - upper)
    return cells


@dataclass(frozen=True)
class Layout:
    district: Rect
    streets: list[Rect]
    communities: list[list[Rect]]  # per street
    grids: list[list[list[Rect]]]  # per street, per community


def district_layout(
    rng: random.Random, center: tuple[float, float], streets: int = 2, communities: int = 4, grids: int = 5
) -> Layout:
    lon, lat = center
    district = Rect(
        lon - DISTRICT_WIDTH / 2, lat - DISTRICT_HEIGHT / 2, lon + DISTRICT_WIDTH / 2, lat + DISTRICT_HEIGHT / 2
    )
    street_rects = split_columns(rng, district, streets)
    rows = 2 if communities % 2 == 0 and communities > 1 else 1
    community_rects = [split_grid(rng, s, rows, communities // rows) for s in street_rects]
    grid_rects = [[split_community(rng, c, grids) for c in street] for street in community_rects]
    return Layout(district, street_rects, community_rects, grid_rects)
