"""/api/v1/map: address search and the registry's base map; who finds what; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.maps import geocoders, rules
from linli.people.models import Building, Estate
from linli.testing import factories
from linli.testing.apiclient import ApiClient, registry
from linli.testing.authz import Endpoint, answers, matrix_cases, uncovered

ALL_200 = "200 200 200 200 200 200 200 200"
# Estates and building numbers are what a street sign shows: everyone reads them, residents without a login too.
# fmt: off
ENDPOINTS = [
    Endpoint("GET", "/map/search?q=甲一小区1号楼1单元101", ALL_200, out_of_scope=ALL_200),
    Endpoint("GET", "/map/base?west=123.4&south=41.7&east=123.5&north=41.8&buildings=true", ALL_200),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(world):
    places = registry(world)
    got, table = answers(world.users, CASES, {"in": places["a1"], "out": places["b1"]})
    assert got == table


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/map") == (set(), set())


@pytest.fixture
def estates(world):
    """金域花园 (7 and 8号楼, with points) in 甲一1, 金域花园二期 beside it, and 和平里 at 大南街195号 in 乙一1."""
    golden = Estate.objects.create(
        region=world.community_a1, name="金域花园", address="文艺路12号", latitude="41.801", longitude="123.401"
    )
    factories.house(world.grid_a1, golden, building="7", unit="2", number="301")
    Building.objects.filter(estate=golden, number="7").update(latitude="41.8012", longitude="123.4013")
    factories.house(world.grid_a1, golden, building="8", unit="1", number="101")
    Estate.objects.create(region=world.community_a1, name="金域花园二期", address="文艺路14号")
    peace = Estate.objects.create(
        region=world.community_b1, name="和平里", address="大南街195号", latitude="41.75", longitude="123.45"
    )
    factories.house(world.grid_b1, peace, building="1", unit="1", number="101")
    return golden, peace


def labels(client, q):
    response = client.get("/map/search", {"q": q})
    assert response.status_code == 200, response.content
    return [(p["kind"], p["label"]) for p in response.json()]


def test_a_building_is_found_by_estate_and_number(world, estates):
    got = ApiClient().get("/map/search", {"q": "金域花园7号楼"}).json()
    assert [(p["kind"], p["label"], p["address"]) for p in got] == [
        ("building", "金域花园7号楼", "文艺路12号金域花园7号楼")
    ]
    assert (got[0]["lon"], got[0]["lat"]) == (123.4013, 41.8012)  # the building's own point


def test_a_building_without_a_point_answers_its_estates(world, estates):
    (place,) = ApiClient().get("/map/search", {"q": "金域花园8号楼"}).json()
    assert (place["label"], place["lon"], place["lat"]) == ("金域花园8号楼", 123.401, 41.801)


def test_an_estate_by_name_exact_name_first(world, estates):
    assert labels(ApiClient(), "金域花园") == [("estate", "金域花园"), ("estate", "金域花园二期")]


def test_an_estate_by_its_street_number(world, estates):
    assert labels(ApiClient(), "大南街195号") == [("estate", "和平里")]


def test_an_unknown_building_falls_back_to_the_estate(world, estates):
    assert labels(ApiClient(), "金域花园99号楼") == [("estate", "金域花园"), ("estate", "金域花园二期")]


def test_nothing_found_is_an_empty_list(world, estates):
    assert labels(ApiClient(), "不存在的小区") == []


@pytest.mark.parametrize(
    "persona, finds_house",
    [("street_staff", True), ("grid_worker", True), ("community_worker2", False), ("dept_handler", False)],
)
def test_a_house_is_found_only_by_those_who_see_it(world, estates, persona, finds_house):
    got = labels(ApiClient(world.users[persona]), "金域花园7号楼2单元301")
    house = ("house", "金域花园7号楼2单元301室")
    assert (house in got) is finds_house
    assert ("building", "金域花园7号楼") in got


def test_anonymous_search_never_finds_a_house(world, estates):
    assert labels(ApiClient(), "金域花园7-2-301") == [("building", "金域花园7号楼")]


def test_search_input_is_checked(world):
    assert ApiClient().get("/map/search", {"q": ""}).status_code == 400
    assert ApiClient().get("/map/search", {"q": "x" * 101}).status_code == 400


def test_base_map_holds_the_estates_and_buildings_in_the_box(world, estates):
    box = {"west": 123.40, "south": 41.79, "east": 123.41, "north": 41.81}
    data = ApiClient().get("/map/base", box).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["金域花园"]  # 和平里 lies outside
    assert data["shift"] is None and data["truncated"] is False
    data = ApiClient().get("/map/base", {**box, "buildings": "true"}).json()
    building = data["features"][1]
    assert building["properties"] | {"id": 0} == {
        "kind": "building",
        "id": 0,
        "estate": "金域花园",
        "name": "7号楼",
        "address": "文艺路12号金域花园7号楼",
    }
    assert building["geometry"] == {"type": "Point", "coordinates": [123.4013, 41.8012]}


@pytest.mark.parametrize(
    "box",
    [
        {"west": 123.5, "south": 41.7, "east": 123.4, "north": 41.8},  # west of east
        {"west": 123.0, "south": 41.7, "east": 123.5, "north": 41.8},  # wider than a district
    ],
)
def test_base_map_refuses_a_wrong_or_huge_box(world, box):
    assert ApiClient().get("/map/base", box).status_code == 400


def test_base_map_runs_two_queries_however_many_buildings(world, estates):
    golden, _ = estates
    for n in range(10, 40):
        factories.house(world.grid_a1, golden, building=str(n))
    Building.objects.filter(estate=golden).update(latitude="41.8", longitude="123.405")
    client = ApiClient()
    box = {"west": 123.40, "south": 41.79, "east": 123.41, "north": 41.81, "buildings": "true"}
    client.get("/map/base", box)  # the token's first use
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get("/map/base", box).json()["features"]) == 33  # the estate and its 32 buildings
    assert len([q for q in queries if "people_" in q["sql"]]) == 2


def test_gcj02_tiles_get_the_shift_at_the_view_centre(world, settings):
    settings.MAP_TILES = rules.tiles(url="https://t.example.cn/{z}/{x}/{y}.png", attribution="x", system=rules.GCJ02)
    box = {"west": 116.37, "south": 39.90, "east": 116.39, "north": 39.92}
    dlon, dlat = ApiClient().get("/map/base", box).json()["shift"]
    assert (dlon, dlat) == pytest.approx(rules.tile_shift(116.38, 39.91, rules.GCJ02))


class Fixed(geocoders.Geocoder):
    """An outside service answering in GCJ-02, as 高德 does."""

    system = rules.GCJ02

    def find(self, text, *, user, limit):
        return [rules.Place("address", text, text, 116.38404722455657, 39.91334545536069)]


def test_an_outside_geocoder_is_chosen_by_settings_and_its_points_converted(world, settings):
    settings.LINLI_GEOCODER = f"{__name__}.Fixed"
    (place,) = ApiClient().get("/map/search", {"q": "北京某处"}).json()
    assert (place["lon"], place["lat"]) == pytest.approx((116.377817, 39.911954), abs=1e-7)
