from ninja import Router

from linli.core.schemas import Id, Schema

from . import selectors

router = Router(tags=["stats"])


class RegionRef(Schema):
    id: int
    name: str


class Headline(Schema):
    persons: int
    households: int
    houses: int
    estates: int
    grids: int


class Pyramid(Schema):
    bands: list[str]
    male: list[int]
    female: list[int]
    unknown_age: int


class ResidenceCount(Schema):
    code: str
    label: str
    count: int


class TagSeries(Schema):
    code: str
    name: str
    sensitive: bool
    counts: list[int]


class TaggedByGrid(Schema):
    grids: list[RegionRef]
    series: list[TagSeries]


class PopulationOut(Schema):
    region: RegionRef | None
    headline: Headline
    pyramid: Pyramid
    residence_types: list[ResidenceCount]
    tagged_by_grid: TaggedByGrid


@router.get("/population", response=PopulationOut, summary="人口结构统计")
def population(request, region: Id | None = None):
    """Population pyramid by 5-year band and sex, residence types, tagged groups per grid and headline counts,
    for the caller's scope or a region node within it (`region`, out of scope → 404)."""
    return selectors.population_overview(user=request.user, region=region)
