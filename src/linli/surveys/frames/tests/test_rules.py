import hashlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.surveys.frames import rules


@pytest.mark.parametrize(
    ("population", "percent", "size"),
    [
        (0, 2, 0),
        (1, 2, 1),  # at least one where the frame is small
        (49, 2, 1),  # 0.98
        (50, 2, 1),  # 1.00
        (74, 2, 1),  # 1.48
        (75, 2, 2),  # 1.50: half rounds up
        (76, 2, 2),  # 1.52
        (124, 2, 2),  # 2.48
        (125, 2, 3),  # 2.50
        (5, 10, 1),  # 0.5 → 1
        (14, 10, 1),  # 1.4
        (15, 10, 2),  # 1.5
        (1000, 10, 100),
        (3, Decimal("33.33"), 1),  # 0.9999
        (10, 0, 0),  # no share asked, none drawn
        (10, 100, 10),
        (7, Decimal("2.5"), 1),  # 0.175 → at least 1
    ],
)
def test_draw_size_rounds_half_up_and_draws_at_least_one(population, percent, size):
    assert rules.draw_size(population, percent) == size


def test_digest_is_sha256_of_the_keys_one_per_line():
    assert rules.digest(["0001", "户0002"]) == hashlib.sha256("0001\n户0002\n".encode()).hexdigest()
    assert rules.digest([]) == hashlib.sha256(b"").hexdigest()
    assert rules.digest(["a", "b"]) != rules.digest(["b", "a"])


def test_ticket_is_the_sha256_of_seed_bar_key():
    expected = int(hashlib.sha256(b"2026-11-01|0001").hexdigest(), 16)
    assert rules.ticket("2026-11-01", "0001") == expected


def test_a_simple_draw_takes_the_smallest_tickets():
    keys = [f"H{i:03d}" for i in range(40)]
    picked = rules.draw(keys, 10, "seed")
    by_ticket = sorted(range(40), key=lambda i: rules.ticket("seed", keys[i]))
    assert picked == sorted(by_ticket[:4])


@pytest.mark.parametrize(
    ("sizes", "total", "expected"),
    [
        ({"001": 10, "002": 10, "003": 10}, 3, {"001": 1, "002": 1, "003": 1}),
        ({"001": 10, "002": 10, "003": 10}, 2, {"001": 1, "002": 1, "003": 0}),  # equal remainders: by name
        ({"001": 15, "002": 25}, 4, {"001": 2, "002": 2}),  # 1.5 / 2.5: equal remainders, by name
        ({"001": 14, "002": 26}, 4, {"001": 1, "002": 3}),  # 1.4 / 2.6
        ({"001": 1, "002": 1, "003": 98}, 10, {"001": 0, "002": 0, "003": 10}),  # 0.1 / 0.1 / 9.8
        ({"001": 5, "002": 0}, 1, {"001": 1, "002": 0}),
        ({"001": 0}, 0, {"001": 0}),
    ],
)
def test_strata_get_the_largest_remainder_allocation(sizes, total, expected):
    assert rules.allocate(sizes, total) == expected


def test_a_stratified_draw_keeps_the_overall_size_and_the_quotas():
    strata = ["001"] * 14 + ["002"] * 26 + ["003"] * 5
    keys = [f"H{i:03d}" for i in range(len(strata))]
    picked = rules.draw(keys, 10, "s", strata)
    assert len(picked) == rules.draw_size(45, 10) == 5  # 4.5 → 5
    table = rules.strata_table(strata, picked)
    assert table == {
        "001": {"population": 14, "drawn": 2},  # 1.556: ties with 003 at .556, first by name
        "002": {"population": 26, "drawn": 3},  # 2.889
        "003": {"population": 5, "drawn": 0},  # 0.556
    }


def test_strata_must_match_the_keys():
    with pytest.raises(ValueError):
        rules.draw(["a", "b"], 50, "s", ["x"])


keys_st = st.lists(st.text(min_size=1, max_size=8), max_size=120, unique=True)
percent_st = st.decimals(min_value=0, max_value=100, places=2)


@given(keys=keys_st, percent=percent_st, seed=st.text(max_size=20))
def test_a_draw_is_inside_the_frame_without_duplicates_of_the_right_size_and_reproducible(keys, percent, seed):
    picked = rules.draw(keys, percent, seed)
    assert len(picked) == len(set(picked)) == rules.draw_size(len(keys), percent)
    assert all(0 <= i < len(keys) for i in picked)
    assert picked == rules.draw(list(keys), percent, seed)


@given(
    keys=keys_st,
    percent=percent_st,
    seed=st.text(max_size=20),
    data=st.data(),
)
def test_a_stratified_draw_has_the_overall_size_and_respects_its_strata(keys, percent, seed, data):
    strata = data.draw(st.lists(st.sampled_from(["001", "002", "003", "004"]), min_size=len(keys), max_size=len(keys)))
    picked = rules.draw(keys, percent, seed, strata)
    assert len(picked) == len(set(picked)) == rules.draw_size(len(keys), percent)
    assert all(0 <= i < len(keys) for i in picked)
    table = rules.strata_table(strata, picked)
    n = len(picked)
    for row in table.values():
        # Largest remainder: each stratum within one unit of its exact share.
        assert abs(row["drawn"] - row["population"] * n / len(keys)) < 1
    assert picked == rules.draw(keys, percent, seed, list(strata))


@given(keys=st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=60, unique=True), seed=st.text(max_size=8))
def test_a_unit_drawn_stays_drawn_when_the_share_grows(keys, seed):
    # The smallest tickets: a larger share adds units, never swaps one out.
    assert set(rules.draw(keys, 10, seed)) <= set(rules.draw(keys, 20, seed))
