"""普查小区 rules: the proposal (contiguous, about N people, never a split building) and the coverage check on
hand-built overlapping, gapped and stray areas."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.surveys.areas import rules


def people(*counts: int) -> list[tuple[int, int]]:
    """Buildings 1, 2, … with these people counts, in walking order."""
    return [(i, n) for i, n in enumerate(counts, start=1)]


@pytest.mark.parametrize(
    "counts, target, groups",
    [
        ((), 300, []),
        ((100, 100, 100), 300, [[1, 2, 3]]),
        ((100, 100, 100, 100), 300, [[1, 2, 3], [4]]),
        # 250 + 100 = 350 is 50 off, 250 alone is 50 off: a tie keeps the building with its neighbour
        ((250, 100), 300, [[1, 2]]),
        ((250, 120), 300, [[1], [2]]),
        ((200, 90, 80), 300, [[1, 2], [3]]),
        # a building of the target or more is an area of its own, even between small ones
        ((10, 300, 10), 300, [[1], [2], [3]]),
        ((10, 900), 300, [[1], [2]]),
        ((10, 900, 0, 0, 5), 300, [[1], [2, 3, 4], [5]]),
        ((900,), 300, [[1]]),
        # empty buildings ride along with their neighbours
        ((0, 0, 150, 0, 150, 0), 300, [[1, 2, 3, 4, 5, 6]]),
        ((160, 160, 160, 160), 300, [[1, 2], [3, 4]]),
        ((149, 149, 149), 300, [[1, 2], [3]]),
    ],
)
def test_propose_table(counts, target, groups):
    assert rules.propose(people(*counts), target) == groups


def test_propose_refuses_a_target_of_nobody():
    with pytest.raises(ValueError):
        rules.propose(people(1), 0)


@given(
    counts=st.lists(st.integers(min_value=0, max_value=1200), max_size=60),
    target=st.integers(min_value=1, max_value=600),
)
def test_a_proposal_covers_every_building_exactly_once_in_order(counts, target):
    buildings = people(*counts)
    groups = rules.propose(buildings, target)
    assert [b for g in groups for b in g] == [b for b, _ in buildings]
    assert all(groups)
    size = dict(buildings)
    for g in groups:  # a building of the target or more shares its area with empty buildings only
        big = [b for b in g if size[b] >= target]
        assert big in ([], [g[0]])
        assert not big or all(size[b] == 0 for b in g[1:])
    check = rules.coverage({i: g for i, g in enumerate(groups)}, [b for b, _ in buildings], {})
    assert check.ok


@given(
    counts=st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=60),
    target=st.integers(min_value=50, max_value=600),
)
def test_no_area_but_the_last_could_have_come_nearer_by_taking_the_next_building(counts, target):
    buildings = people(*counts)
    groups = rules.propose(buildings, target)
    size = dict(buildings)
    for g, following in zip(groups, groups[1:], strict=False):
        total, nxt = sum(size[b] for b in g), size[following[0]]
        if nxt < target and size[g[0]] < target:
            assert abs(total + nxt - target) > abs(total - target)


@pytest.mark.parametrize(
    "community, number, code",
    [("210103001002", 1, "001002-001"), ("210103001002", 12, "001002-012"), ("210103002010", 300, "002010-300")],
)
def test_area_code(community, number, code):
    assert rules.area_code(community, number) == code
    assert rules.area_number(code) == number


def test_next_number_follows_the_highest():
    assert rules.next_number([]) == 1
    assert rules.next_number(["001002-001", "001002-004", "odd"]) == 5


HOUSEHOLDS = {1: [11, 12], 2: [21], 3: [31, 32, 33], 4: []}


def test_coverage_exactly_once_passes():
    check = rules.coverage({100: [1, 2], 200: [3, 4]}, [1, 2, 3, 4], HOUSEHOLDS)
    assert check.ok
    assert (check.overlaps, check.gaps, check.outside) == ({}, [], {})


def test_coverage_names_both_areas_of_a_building_counted_twice():
    check = rules.coverage({100: [1, 2, 3], 200: [3, 4]}, [1, 2, 3, 4], HOUSEHOLDS)
    assert not check.ok
    assert check.overlaps == {3: [100, 200]}
    assert check.households_twice == [31, 32, 33]
    assert check.gaps == [] and check.households_left_out == []


def test_coverage_lists_buildings_and_households_left_out():
    check = rules.coverage({100: [1], 200: [4]}, [1, 2, 3, 4], HOUSEHOLDS)
    assert check.gaps == [2, 3]
    assert check.households_left_out == [21, 31, 32, 33]
    assert not check.ok


def test_an_empty_building_left_out_still_fails():
    check = rules.coverage({100: [1, 2, 3]}, [1, 2, 3, 4], HOUSEHOLDS)
    assert check.gaps == [4] and check.households_left_out == []
    assert not check.ok


def test_coverage_flags_a_building_outside_the_place():
    check = rules.coverage({100: [1, 2, 9], 200: [3, 4, 9]}, [1, 2, 3, 4], HOUSEHOLDS)
    assert check.outside == {9: [100, 200]}
    assert not check.ok


def test_overlap_and_gap_together_and_a_triple_overlap():
    check = rules.coverage({1: [1, 3], 2: [3], 3: [3, 1]}, [1, 2, 3], HOUSEHOLDS)
    assert check.overlaps == {1: [1, 3], 3: [1, 2, 3]}
    assert check.gaps == [2]
    assert check.households_twice == [11, 12, 31, 32, 33]


def test_no_areas_leave_the_whole_place_out():
    check = rules.coverage({}, [1, 2], HOUSEHOLDS)
    assert check.gaps == [1, 2] and check.households_left_out == [11, 12, 21]


@given(
    assignment=st.dictionaries(st.integers(1, 30), st.lists(st.integers(1, 5), max_size=3)),
)
def test_coverage_partitions_the_place(assignment):
    """Each building of the place is either in one area, in several (overlap) or in none (gap), never two of these."""
    areas: dict[int, list[int]] = {}
    for building, held_by in assignment.items():
        for area in held_by:
            areas.setdefault(area, []).append(building)
    place = list(range(1, 31))
    check = rules.coverage(areas, place, {})
    once = [b for b in place if len(set(assignment.get(b, ()))) == 1]
    assert sorted(once + list(check.overlaps) + check.gaps) == place
    assert check.ok == (len(once) == len(place))
