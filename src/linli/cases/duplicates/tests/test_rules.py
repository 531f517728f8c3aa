"""The duplicate hints' pure rules: distances on known points, the box that must hold every point within reach,
the order of the hints and how a distance is said."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.cases.duplicates import rules

# (a, b, metres, tolerance in metres). A degree of latitude is 2πR/360 = 111,195 m on the mean sphere; the
# city-to-city figures are the great-circle distances published for them (about 0.3 % off the ellipsoid's).
KNOWN = [
    ((41.7968, 123.4510), (41.7968, 123.4510), 0.0, 0.001),  # the same point
    ((41.0, 123.0), (42.0, 123.0), 111_195.1, 0.1),  # one degree of latitude
    ((0.0, 0.0), (0.0, 1.0), 111_195.1, 0.1),  # one degree of longitude on the equator
    # At 60° half as much, a little under the parallel's 55,597.5 m: the great circle bows towards the pole.
    ((60.0, 10.0), (60.0, 11.0), 55_597.0, 0.1),
    ((41.7968, 123.4510), (41.7977, 123.4510), 100.1, 0.1),  # 0.0009° north in 沈河区: a hundred metres
    ((39.9042, 116.4074), (31.2304, 121.4737), 1_067_000, 4_000),  # 北京 天安门 → 上海 人民广场
    ((41.8057, 123.4315), (39.9042, 116.4074), 624_000, 4_000),  # 沈阳 → 北京
]


@pytest.mark.parametrize(("a", "b", "metres", "tolerance"), KNOWN)
def test_distance_on_known_points(a, b, metres, tolerance):
    assert rules.distance(*a, *b) == pytest.approx(metres, abs=tolerance)
    assert rules.distance(*b, *a) == pytest.approx(metres, abs=tolerance)


def test_the_box_is_wider_in_longitude_away_from_the_equator():
    equator, shenyang = rules.box_around(0, 0, 150), rules.box_around(41.8, 123.4, 150)
    assert shenyang.north - shenyang.south == pytest.approx(equator.north - equator.south)
    assert (shenyang.east - shenyang.west) / (equator.east - equator.west) == pytest.approx(
        1 / math.cos(math.radians(41.8)), rel=0.01
    )


def test_a_box_is_refused_near_the_poles():
    with pytest.raises(ValueError):
        rules.box_around(89.0, 0, 150)


latitudes = st.floats(min_value=-70, max_value=70)
longitudes = st.floats(min_value=-170, max_value=170)
offsets = st.floats(min_value=-0.01, max_value=0.01)


@given(latitudes, longitudes, offsets, offsets, st.integers(min_value=1, max_value=1000))
def test_every_point_within_reach_lies_in_the_box(lat, lng, dlat, dlng, metres):
    # A point the database's box would miss would be a duplicate never shown.
    if rules.distance(lat, lng, lat + dlat, lng + dlng) <= metres:
        assert rules.box_around(lat, lng, metres).contains(lat + dlat, lng + dlng)


@given(latitudes, longitudes, offsets, offsets)
def test_distance_is_symmetric_and_never_negative(lat, lng, dlat, dlng):
    there = rules.distance(lat, lng, lat + dlat, lng + dlng)
    assert there >= 0 and there == pytest.approx(rules.distance(lat + dlat, lng + dlng, lat, lng), abs=1e-6)


def test_hints_come_nearest_first_then_by_building_oldest_first_and_are_capped():
    candidates = [("old, same building", None), ("80 m", 80.0), ("5 m", 5.0), ("newer, same building", None)]
    assert [h.case for h in rules.ranked(candidates, 3)] == ["5 m", "80 m", "old, same building"]
    assert [h.case for h in rules.ranked(candidates, 10)][-1] == "newer, same building"


@pytest.mark.parametrize(
    ("metres", "said"),
    [(0, "相距不到10米"), (9.9, "相距不到10米"), (12, "约10米"), (47, "约50米"), (99, "约100米"), (124, "约100米"),
     (126, "约150米"), (149, "约150米")],
)  # fmt: skip
def test_a_distance_is_said_as_people_say_it(metres, said):
    assert rules.about(metres) == said


def test_a_hint_without_a_distance_says_how_it_matched():
    assert rules.Hint("case", None).distance_label == "同一楼栋或同一网格"
    assert rules.Hint("case", 47.0).distance_label == "约50米"
