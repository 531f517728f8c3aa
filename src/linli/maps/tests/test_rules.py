"""Coordinate conversion on published points, its round trip, the address parser and the tile settings."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.maps import rules

# (WGS-84 lon, lat) → GCJ-02 (lon, lat): the test points of eviltransform, the reference implementation.
KNOWN = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),  # 上海
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),  # 深圳
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),  # 北京
]


@pytest.mark.parametrize("wgs, gcj", KNOWN)
def test_wgs84_to_gcj02_on_published_points(wgs, gcj):
    assert rules.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)
    assert rules.metres(rules.gcj02_to_wgs84(*gcj), wgs) < 0.01


@pytest.mark.parametrize(
    "source, target, changed",
    [
        (rules.WGS84, rules.CGCS2000, False),
        (rules.CGCS2000, rules.WGS84, False),
        (rules.WGS84, rules.GCJ02, True),
        (rules.CGCS2000, rules.GCJ02, True),
        (rules.GCJ02, rules.WGS84, True),
        (rules.GCJ02, rules.GCJ02, False),
    ],
)
def test_convert_changes_only_between_datums(source, target, changed):
    point = (123.43, 41.80)  # 沈阳
    assert (rules.convert(*point, source, target) != point) is changed


def test_points_outside_china_are_left_alone():
    assert rules.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


china = st.tuples(st.floats(74, 134), st.floats(18, 53))


@given(china)
def test_round_trip_within_a_centimetre(point):
    there = rules.convert(*point, rules.WGS84, rules.GCJ02)
    assert rules.metres(rules.convert(*there, rules.GCJ02, rules.WGS84), point) < 0.01


@given(china)
def test_the_offset_is_hundreds_of_metres_not_more(point):
    assert 1 < rules.metres(rules.wgs84_to_gcj02(*point), point) < 1000


def test_tile_shift_is_the_offset_at_that_point():
    dlon, dlat = rules.tile_shift(116.377817, 39.911954, rules.GCJ02)
    assert (116.377817 + dlon, 39.911954 + dlat) == pytest.approx(KNOWN[2][1], abs=1e-9)
    assert rules.tile_shift(116.377817, 39.911954, rules.CGCS2000) == (0, 0)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("金域花园", rules.Query("金域花园")),
        ("金域花园7号楼", rules.Query("金域花园", "7")),
        ("金域花园 7 号楼", rules.Query("金域花园", "7")),
        ("金域花园７号楼", rules.Query("金域花园", "7")),
        ("金域花园7栋", rules.Query("金域花园", "7")),
        ("金域花园7号楼2单元301室", rules.Query("金域花园", "7", "2", "301")),
        ("金域花园7号楼2单元301", rules.Query("金域花园", "7", "2", "301")),
        ("金域花园7-2-301", rules.Query("金域花园", "7", "2", "301")),
        ("大南街195号", rules.Query("大南街195号", road="大南街", road_number="195")),
        ("文艺路12号", rules.Query("文艺路12号", road="文艺路", road_number="12")),
        ("7号楼", rules.Query("7号楼")),  # no estate named: nothing to look the building up in
    ],
)
def test_parse_address(text, expected):
    assert rules.parse_address(text) == expected


def test_flat_label():
    assert rules.flat_label("金域花园", "7") == "金域花园7号楼"
    assert rules.flat_label("金域花园", "7", "2", "301") == "金域花园7号楼2单元301室"


def test_no_tile_service_means_the_registry_base_map():
    assert rules.tiles() is None


def test_tianditu_needs_only_its_key_and_is_cgcs2000():
    config = rules.tiles(tianditu_key="abc123")
    assert config["system"] == rules.CGCS2000 and config["attribution"] == "天地图"
    assert all("tk=abc123" in url for url in config["layers"]) and len(config["layers"]) == 2
    assert "https://t0.tianditu.gov.cn" in config["hosts"]


def test_a_named_tile_service_states_its_system_and_hosts():
    config = rules.tiles(
        url="https://webrd0{s}.example.cn/tiles/{z}/{x}/{y}.png", attribution="© 某地图", system=rules.GCJ02
    )
    assert config["system"] == rules.GCJ02 and config["subdomains"] == "abc"
    assert config["hosts"] == ["https://webrd0a.example.cn", "https://webrd0b.example.cn", "https://webrd0c.example.cn"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"url": "https://x.cn/{z}/{x}/{y}.png", "attribution": "x", "system": "bd09"}, "坐标系"),
        ({"url": "https://x.cn/{z}/{x}/{y}.png"}, "版权说明"),
        ({"url": "http://x.cn/{z}/{x}/{y}.png", "attribution": "x"}, "https://"),
        ({"url": "https://x.cn/tiles.png", "attribution": "x"}, "{z}"),
    ],
)
def test_a_tile_service_misconfigured_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rules.tiles(**kwargs)
