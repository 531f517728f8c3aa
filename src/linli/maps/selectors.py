"""Reads behind the maps: the registry as a base map (estates, buildings) and the registry's address search.

Estate names, addresses and building numbers are what a street sign shows, so everyone (residents on the public
form too) may read them; houses are registry data and only a user with the registry in scope finds them."""

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length

from linli.people.models import Building, Estate
from linli.people.selectors import house_list

from . import rules
from .rules import Place

ESTATES_MAX = 300  # a view wider than a street's estates draws outlines only up to this many
BUILDINGS_MAX = 1500


def _point(obj) -> tuple[float | None, float | None]:
    if obj.longitude is None or obj.latitude is None:
        return None, None
    return float(obj.longitude), float(obj.latitude)


def _in_box(qs, box: tuple[float, float, float, float]):
    west, south, east, north = box
    return qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def base_map(box: tuple[float, float, float, float], *, buildings: bool) -> dict:
    """Estates (outline, else point) and, when asked, buildings inside the box, as one GeoJSON FeatureCollection.
    `truncated` says the box held more than a map can usefully draw."""
    estates = list(
        _in_box(Estate.objects.all(), box)
        .order_by("pk")
        .values("pk", "name", "address", "outline", "longitude", "latitude")[: ESTATES_MAX + 1]
    )
    truncated = len(estates) > ESTATES_MAX
    features = [
        {
            "type": "Feature",
            "geometry": e["outline"] or {"type": "Point", "coordinates": [float(e["longitude"]), float(e["latitude"])]},
            "properties": {"kind": "estate", "id": e["pk"], "name": e["name"], "address": e["address"] + e["name"]},
        }
        for e in estates[:ESTATES_MAX]
    ]
    if buildings:
        rows = list(
            _in_box(Building.objects.all(), box)
            .order_by("pk")
            .values("pk", "number", "longitude", "latitude", "estate__name", "estate__address")[: BUILDINGS_MAX + 1]
        )
        truncated = truncated or len(rows) > BUILDINGS_MAX
        features += [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(b["longitude"]), float(b["latitude"])]},
                "properties": {
                    "kind": "building",
                    "id": b["pk"],
                    "estate": b["estate__name"],
                    "name": rules.building_label(b["number"]),
                    "address": b["estate__address"] + rules.flat_label(b["estate__name"], b["number"]),
                },
            }
            for b in rows[:BUILDINGS_MAX]
        ]
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


def tile_shift(box: tuple[float, float, float, float]) -> tuple[float, float] | None:
    """How far the configured tiles draw a point off its WGS-84 place at the box's centre; None when they agree."""
    tiles = settings.MAP_TILES
    if not tiles or rules.same_datum(tiles["system"], rules.WGS84):
        return None
    west, south, east, north = box
    return rules.tile_shift((west + east) / 2, (south + north) / 2, tiles["system"])


def _estates_named(query: rules.Query, limit: int) -> list[Estate]:
    if query.road:
        wanted = Q(address=f"{query.road}{query.road_number}号") | Q(name__contains=query.name)
        exact = Q(address=f"{query.road}{query.road_number}号")
    else:
        if not query.name:
            return []
        wanted = Q(name__contains=query.name) | Q(address__contains=query.name)
        exact = Q(name=query.name)
    # The estate named exactly comes first, then shorter names (金域花园 before 金域花园二期).
    rank = Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    qs = Estate.objects.filter(wanted).annotate(rank=rank, size=Length("name")).order_by("rank", "size", "pk")
    return list(qs[:limit])


def _estate_place(e: Estate) -> Place:
    lon, lat = _point(e)
    return Place("estate", e.name, e.address + e.name, lon, lat, estate=e.pk)


def registry_places(text: str, *, user, limit: int = 10) -> list[Place]:
    """ "金域花园7号楼" → that building; "金域花园7号楼2单元301" → the house too, for a user who may see it;
    "大南街195号" → the estate at that number; a name alone → the estates so named. Best match first."""
    query = rules.parse_address(text)
    estates = _estates_named(query, limit)
    if not query.building:
        return [_estate_place(e) for e in estates]
    buildings = list(
        Building.objects.filter(estate__in=estates, number=query.building).select_related("estate")[:limit]
    )
    if not buildings:  # the estate is known, that building is not: the estate at least
        return [_estate_place(e) for e in estates]
    order = {e.pk: i for i, e in enumerate(estates)}
    buildings.sort(key=lambda b: order[b.estate_id])
    places = []
    if query.unit and query.room and user.is_authenticated:
        houses = house_list(user=user).filter(unit__building__in=buildings, unit__number=query.unit, number=query.room)
        for h in houses[:limit]:
            b = h.unit.building
            lon, lat = _point(b) if b.latitude is not None else _point(b.estate)
            label = rules.flat_label(b.estate.name, b.number, h.unit.number, h.number)
            places.append(Place("house", label, b.estate.address + label, lon, lat, b.estate_id, b.pk, h.pk))
    for b in buildings:
        lon, lat = _point(b) if b.latitude is not None else _point(b.estate)
        label = rules.flat_label(b.estate.name, b.number)
        places.append(Place("building", label, b.estate.address + label, lon, lat, b.estate_id, b.pk))
    return places[:limit]
