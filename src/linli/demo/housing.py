"""Estates, buildings, units and houses of one community: pure functions of a random.Random.

Three styles of estate, as in an old North-Eastern city centre:
- 1980s–1990s walk-ups (6 floors, 3–4 units, two flats a landing, 45–75 m²), some with shops (网点) below;
- 2000s walk-ups and mid-rises (6–11 floors, 70–130 m²);
- 2010s towers (18–33 floors, 2 units, 2–4 flats a landing, 60–160 m²).
The exclusive area (专有部分面积) is 84–88% of the building area in walk-ups, 80–84% in towers.
Uses: mostly 自住, about 12% 出租, about 6% 空置 (more in new towers), a few 商铺 and 办公.
"""

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from linli.people.models import House

from . import catalog
from .geometry import Rect

OWN, RENT, VACANT, SHOP, OFFICE = (
    House.Use.OWNER_OCCUPIED,
    House.Use.RENTED,
    House.Use.VACANT,
    House.Use.SHOP,
    House.Use.OFFICE,
)


@dataclass
class HouseSpec:
    number: str
    floor: int
    building_area: Decimal
    exclusive_area: Decimal
    use: str
    grid: int = 0  # index of the grid within the community


@dataclass
class UnitSpec:
    number: str
    houses: list[HouseSpec]


@dataclass
class BuildingSpec:
    number: str
    floors: int
    units: list[UnitSpec]
    grid: int = 0
    lon: float = 0.0
    lat: float = 0.0

    @property
    def house_count(self) -> int:
        return sum(len(u.houses) for u in self.units)


@dataclass
class EstateSpec:
    name: str
    address: str
    built_year: int
    buildings: list[BuildingSpec] = field(default_factory=list)
    lon: float = 0.0
    lat: float = 0.0
    outline: dict | None = None

    def houses(self):
        for b in self.buildings:
            for u in b.units:
                for h in u.houses:
                    yield b, u, h


@dataclass(frozen=True)
class Style:
    years: tuple[int, int]
    floors: tuple[int, ...]
    units: tuple[int, int]
    per_landing: tuple[int, int]
    area: tuple[float, float, float]  # low, high, mode (m²)
    exclusive: tuple[float, float]  # share of the building area
    vacancy: float
    shop_buildings: float  # share of buildings with shops on the ground floor


OLD = Style((1982, 1999), (5, 6, 6, 6, 7), (3, 4), (2, 2), (45, 78, 58), (0.84, 0.88), 0.04, 0.15)
MID = Style((2000, 2010), (6, 6, 7, 9, 11), (2, 3), (2, 3), (70, 130, 92), (0.82, 0.87), 0.06, 0.08)
NEW = Style((2011, 2020), (18, 24, 26, 30, 33), (2, 2), (2, 4), (60, 160, 98), (0.80, 0.84), 0.10, 0.0)
STYLES = [(OLD, 0.42), (MID, 0.35), (NEW, 0.23)]


def _area(rng: random.Random, style: Style) -> tuple[Decimal, Decimal]:
    low, high, mode = style.area
    building = Decimal(f"{rng.triangular(low, high, mode):.2f}")
    exclusive = (building * Decimal(f"{rng.uniform(*style.exclusive):.4f}")).quantize(Decimal("0.01"))
    return building, exclusive


def _use(rng: random.Random, style: Style) -> str:
    x = rng.random()
    if x < 0.12:
        return RENT
    if x < 0.12 + style.vacancy:
        return VACANT
    if x < 0.12 + style.vacancy + 0.003:
        return OFFICE
    return OWN


def _building(rng: random.Random, style: Style, number: int, max_houses: int) -> BuildingSpec:
    floors = rng.choice(style.floors)
    per_landing = rng.randint(*style.per_landing)
    units = rng.randint(*style.units)
    units = max(1, min(units, max_houses // (floors * per_landing) or 1))
    shops = rng.random() < style.shop_buildings
    unit_specs = []
    for u in range(1, units + 1):
        houses = []
        for floor in range(1, floors + 1):
            for pos in range(1, per_landing + 1):
                building_area, exclusive = _area(rng, style)
                use = SHOP if shops and floor == 1 else _use(rng, style)
                houses.append(HouseSpec(f"{floor}{pos:02d}", floor, building_area, exclusive, use))
        unit_specs.append(UnitSpec(str(u), houses))
    return BuildingSpec(str(number), floors, unit_specs)


# A district of a million residents has more estates than prefixes × suffixes: later phases of one (锦绣花园二期).
PHASES = "二期 三期 四期 五期 六期 七期 八期 九期 十期".split()


def estate_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(1000):
        name = rng.choice(catalog.ESTATE_PREFIXES) + rng.choice(catalog.ESTATE_SUFFIXES)
        if name not in used:
            used.add(name)
            return name
    for _ in range(1000):
        base = rng.choice(catalog.ESTATE_PREFIXES) + rng.choice(catalog.ESTATE_SUFFIXES)
        name = next((base + phase for phase in PHASES if base + phase not in used), None)
        if name is not None:
            used.add(name)
            return name
    raise RuntimeError("out of estate names")


def community_housing(
    rng: random.Random, *, houses: int, estates: int, grid_rects: list[Rect], used_names: set[str]
) -> list[EstateSpec]:
    """About `houses` houses in `estates` estates; buildings are dealt to the grids in contiguous runs."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(estates)]
    targets = [max(1, round(houses * w / sum(weights))) for w in weights]
    result = []
    for target in targets:
        style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
        estate = EstateSpec(
            name=estate_name(rng, used_names),
            address=f"{rng.choice(catalog.ROADS)}{rng.randint(1, 320)}号",
            built_year=rng.randint(*style.years),
        )
        count = 0
        while count < target:
            building = _building(rng, style, len(estate.buildings) + 1, target - count)
            estate.buildings.append(building)
            count += building.house_count
        result.append(estate)
    _assign_grids(result, len(grid_rects))
    for estate in result:
        estate.lon, estate.lat = grid_rects[estate.buildings[0].grid].point(rng)
        _lay_out(estate, grid_rects)
    return result


# Buildings stand in rows about 60 m apart, one block per grid the estate reaches; the estate's outline is
# those blocks with a margin (a MultiPolygon when it spans grids, as an estate built in phases).
ROW = 0.00055  # degrees of latitude, about 60 m
COLUMN = 0.00075  # degrees of longitude, about 60 m at 41.8°N


def _lay_out(estate: EstateSpec, grid_rects: list[Rect]) -> None:
    """Points for the estate's buildings and its outline, inside each building's grid. A generator of its own,
    seeded by the estate's name, so the rest of the district's random draws stay what they were."""
    rng = random.Random(estate.name)
    by_grid: dict[int, list[BuildingSpec]] = {}
    for b in estate.buildings:
        by_grid.setdefault(b.grid, []).append(b)
    blocks = []
    for index, (grid, buildings) in enumerate(by_grid.items()):
        rect = grid_rects[grid]
        columns = math.ceil(math.sqrt(len(buildings)))
        rows = math.ceil(len(buildings) / columns)
        # Squeezed when the grid is smaller than the block would be.
        dx = min(COLUMN, (rect.east - rect.west) * 0.8 / columns)
        dy = min(ROW, (rect.north - rect.south) * 0.8 / rows)
        width, height = dx * (columns - 1), dy * (rows - 1)
        west, north = (estate.lon, estate.lat) if index == 0 else rect.point(rng)
        west = min(max(west, rect.west + dx), rect.east - dx - width)
        north = max(min(north, rect.north - dy), rect.south + dy + height)
        for i, b in enumerate(buildings):
            b.lon = round(west + dx * (i % columns) + rng.uniform(-0.1, 0.1) * dx, 6)
            b.lat = round(north - dy * (i // columns) + rng.uniform(-0.1, 0.1) * dy, 6)
        margin_x, margin_y = dx * 0.5, dy * 0.5
        blocks.append(Rect(west - margin_x, north - height - margin_y, west + width + margin_x, north + margin_y))
    first = blocks[0]  # the estate's point: the middle of its (first) block
    estate.lon, estate.lat = round((first.west + first.east) / 2, 6), round((first.south + first.north) / 2, 6)
    polygons = [b.polygon()["coordinates"] for b in blocks]
    if len(polygons) == 1:
        estate.outline = {"type": "Polygon", "coordinates": polygons[0]}
    else:
        estate.outline = {"type": "MultiPolygon", "coordinates": polygons}


def _assign_grids(estates: list[EstateSpec], grids: int) -> None:
    buildings = [b for e in estates for b in e.buildings]
    total = sum(b.house_count for b in buildings)
    done = 0
    for b in buildings:
        middle = done + b.house_count / 2
        b.grid = min(grids - 1, int(middle * grids / total))
        done += b.house_count
        for u in b.units:
            for h in u.houses:
                h.grid = b.grid
