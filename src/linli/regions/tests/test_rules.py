"""Statistical division codes (统计用区划代码) and grid boundaries."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.regions import rules


@pytest.mark.parametrize(
    ("code", "level", "parent", "parent_level"),
    [
        ("210103000000", rules.DISTRICT, None, None),
        ("210103001000", rules.STREET, "210103000000", rules.DISTRICT),
        ("210103001002", rules.COMMUNITY, "210103001000", rules.STREET),
        ("210103001002003", rules.GRID, "210103001002", rules.COMMUNITY),
        ("210103001002003001", rules.GRID, "210103001002003", rules.GRID),  # a 微网格 inside a grid
    ],
)
def test_codes_that_extend_their_parent_are_accepted(code, level, parent, parent_level):
    assert rules.validate_code(code, level, parent, parent_level) == code


@pytest.mark.parametrize(
    ("code", "level", "parent", "parent_level", "message"),
    [
        ("21010300000", rules.DISTRICT, None, None, "12位数字"),
        ("210103001000", rules.DISTRICT, None, None, "第7位起应全为0"),
        ("210104001000", rules.STREET, "210103000000", rules.DISTRICT, "应以上级代码210103开头"),
        ("210103000000", rules.STREET, "210103000000", rules.DISTRICT, "本级代码段不能全为0"),
        ("210103002001", rules.COMMUNITY, "210103001000", rules.STREET, "应以上级代码210103001开头"),
        ("210103001002", rules.GRID, "210103001002", rules.COMMUNITY, "后加3位数字"),
        ("210103001002000", rules.GRID, "210103001002", rules.COMMUNITY, "末3位不能为000"),
        ("210103001002001", rules.GRID, "210103001000", rules.STREET, "网格必须隶属于社区"),
    ],
)
def test_codes_that_do_not_extend_their_parent_are_refused(code, level, parent, parent_level, message):
    with pytest.raises(rules.InvalidCode, match=message):
        rules.validate_code(code, level, parent, parent_level)


@given(st.integers(1, 999), st.integers(1, 999), st.integers(1, 999))
def test_a_childs_path_always_starts_with_its_parents(street, community, grid):
    district = "210103000000"
    s = f"210103{street:03d}000"
    c = f"210103{street:03d}{community:03d}"
    g = c + f"{grid:03d}"
    rules.validate_code(s, rules.STREET, district, rules.DISTRICT)
    rules.validate_code(c, rules.COMMUNITY, s, rules.STREET)
    rules.validate_code(g, rules.GRID, c, rules.COMMUNITY)
    paths = [
        rules.path_for(district, rules.DISTRICT),
        rules.path_for(s, rules.STREET),
        rules.path_for(c, rules.COMMUNITY),
        rules.path_for(g, rules.GRID),
    ]
    assert all(child.startswith(parent) for parent, child in zip(paths, paths[1:], strict=False))


SQUARE = {"type": "Polygon", "coordinates": [[[123.4, 41.8], [123.5, 41.8], [123.5, 41.9], [123.4, 41.8]]]}


def test_boundaries():
    assert rules.validate_boundary(SQUARE) == SQUARE
    assert rules.validate_boundary(None) is None
    with pytest.raises(rules.InvalidCode, match="首尾相同"):
        rules.validate_boundary({"type": "Polygon", "coordinates": [[[1, 2], [2, 2], [2, 3], [1, 3]]]})
    with pytest.raises(rules.InvalidCode, match="Polygon"):
        rules.validate_boundary({"type": "Point", "coordinates": [1, 2]})
    with pytest.raises(rules.InvalidCode, match="经纬度范围"):
        rules.validate_boundary({"type": "Polygon", "coordinates": [[[200, 2], [2, 2], [2, 3], [200, 2]]]})
    with pytest.raises(rules.InvalidCode, match="GeoJSON"):
        rules.validate_boundary("{not json")
