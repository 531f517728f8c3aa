from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.volunteers.stats import rules


@pytest.mark.parametrize(
    ("part", "whole", "want"),
    [(3000, 49953, Decimal("6.01")), (1, 3, Decimal("33.33")), (2, 3, Decimal("66.67")), (0, 5, Decimal("0.00")),
     (5, 5, Decimal("100.00")), (1, 0, None)],
)  # fmt: skip
def test_percent(part, whole, want):
    assert rules.percent(part, whole) == want


@pytest.mark.parametrize(
    ("hours", "persons", "want"),
    [(Decimal("4.5"), 4, Decimal("1.13")), (Decimal("18000"), 49953, Decimal("0.36")),
     (Decimal("0"), 3, Decimal("0.00")), (Decimal("7"), 0, None)],
)  # fmt: skip
def test_per_capita(hours, persons, want):
    assert rules.per_capita(hours, persons) == want


@pytest.mark.parametrize(
    ("taken", "most", "band"),
    [(0, 60, 0), (29, 60, 0), (30, 60, 1), (47, 60, 1), (48, 60, 2), (59, 60, 2), (60, 60, 3), (1, 2, 1), (1, 1, 3)],
)
def test_fill_band_of_a_choir_of_30_to_60(taken, most, band):
    assert rules.fill_band(taken, most) == band


def test_star_counts_from_those_reaching_each_threshold():
    # 10 volunteers; 6 reach 100 h, 3 reach 300 h, 1 reaches 600 h, none 1000 h
    assert rules.star_counts([6, 3, 1, 0, 0], 10) == [4, 3, 2, 1, 0, 0]
    with pytest.raises(ValueError):
        rules.star_counts([3, 6], 10)


def test_month_starts_cross_the_year():
    assert rules.month_starts(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert len(rules.month_starts(date(2026, 12, 6), 12)) == 12
    assert rules.month_label(date(2026, 3, 1)) == "2026年3月"


@given(st.lists(st.integers(0, 3000), min_size=1, max_size=8))
def test_star_counts_add_up_to_everyone(hours):
    thresholds = (100, 300, 600, 1000, 1500)
    at_least = [sum(h >= t for h in hours) for t in thresholds]
    counts = rules.star_counts(at_least, len(hours))
    assert sum(counts) == len(hours) and min(counts) >= 0
    assert counts[0] == sum(h < 100 for h in hours)


@given(st.integers(1, 500).flatmap(lambda m: st.tuples(st.integers(0, m), st.just(m))))
def test_fill_band_is_monotone_and_full_only_at_capacity(pair):
    taken, most = pair
    band = rules.fill_band(taken, most)
    assert (band == 3) == (taken == most)
    if taken < most:
        assert rules.fill_band(taken + 1, most) >= band


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_percent_stays_within_0_and_100_when_part_fits(a, b):
    part, whole = min(a, b), max(a, b)
    p = rules.percent(part, whole)
    assert p is None if whole == 0 else Decimal(0) <= p <= Decimal(100)
