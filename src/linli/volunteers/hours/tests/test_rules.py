"""Star levels, periods, ranks, masked names and certificate codes: tables from SPEC §6 and the seeds, and
properties."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.volunteers.hours import rules
from linli.volunteers.rules import DEFAULT_STARS

BEIJING = (100, 200, 500, 800, 1000)


@pytest.mark.parametrize(
    ("hours", "thresholds", "stars", "to_next"),
    [
        (0, DEFAULT_STARS, 0, 100),
        (Decimal("99.5"), DEFAULT_STARS, 0, Decimal("0.5")),
        (100, DEFAULT_STARS, 1, 200),
        (Decimal("299.9"), DEFAULT_STARS, 1, Decimal("0.1")),
        (300, DEFAULT_STARS, 2, 300),
        (600, DEFAULT_STARS, 3, 400),
        (1000, DEFAULT_STARS, 4, 500),
        (1500, DEFAULT_STARS, 5, None),
        (4000, DEFAULT_STARS, 5, None),
        (500, BEIJING, 3, 300),  # Beijing's 三星 at 500 h is the national 二星
        (1000, BEIJING, 5, None),
    ],
)
def test_stars_and_hours_to_the_next_follow_the_thresholds(hours, thresholds, stars, to_next):
    assert rules.stars(hours, thresholds) == stars
    assert rules.to_next(hours, thresholds) == (None if to_next is None else Decimal(to_next))


increasing = st.lists(st.integers(1, rules.THRESHOLD_MAX), min_size=5, max_size=5, unique=True).map(sorted)
hours = st.decimals(min_value=0, max_value=200_000, places=1)


@given(hours, hours, increasing)
def test_more_hours_never_mean_fewer_stars(a, b, thresholds):
    low, high = sorted((a, b))
    assert 0 <= rules.stars(low, thresholds) <= rules.stars(high, thresholds) <= 5


@given(hours, increasing)
def test_serving_the_hours_to_the_next_star_reaches_it(h, thresholds):
    need = rules.to_next(h, thresholds)
    if need is None:
        assert rules.stars(h, thresholds) == 5
    else:
        assert need > 0
        assert rules.stars(h + need, thresholds) == rules.stars(h, thresholds) + 1
        assert rules.stars(h + need - Decimal("0.1"), thresholds) == rules.stars(h, thresholds)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ([100, 300, 600, 1000, 1500], None),
        ([100, 200, 500, 800, 1000], None),
        ([100, 300, 600, 1000], "共五项"),
        ([100, 100, 600, 1000, 1500], "须多于1星"),
        ([100, 300, 200, 1000, 1500], "须多于2星"),
        ([0, 300, 600, 1000, 1500], "整数小时"),
        ([100, 300, 600, 1000, 1.5], "整数小时"),
        ([100, 300, 600, 1000, True], "整数小时"),
    ],
)
def test_a_district_sets_five_increasing_whole_thresholds(values, problem):
    errors = rules.threshold_errors(values)
    assert (problem is None) == (not errors)
    if problem:
        assert problem in errors[0].message and errors[0].field == "thresholds"


@given(increasing)
def test_any_increasing_five_are_accepted(values):
    assert rules.threshold_errors(values) == []


@pytest.mark.parametrize(
    ("period", "today", "start"),
    [
        ("month", date(2026, 12, 6), date(2026, 12, 1)),
        ("quarter", date(2026, 12, 6), date(2026, 10, 1)),
        ("quarter", date(2026, 3, 31), date(2026, 1, 1)),
        ("quarter", date(2026, 4, 1), date(2026, 4, 1)),
        ("year", date(2026, 12, 6), date(2026, 1, 1)),
        ("all", date(2026, 12, 6), None),
    ],
)
def test_periods_start_on_their_first_day(period, today, start):
    assert rules.period_start(period, today) == start


@given(st.dates(), st.sampled_from(["month", "quarter", "year"]))
def test_a_period_holds_today(today, period):
    start = rules.period_start(period, today)
    assert start <= today and start.day == 1 and (start.month - 1) % {"month": 1, "quarter": 3, "year": 12}[period] == 0


def test_equal_totals_share_a_rank():
    totals = [Decimal(x) for x in ("50", "40", "40", "12.5", "12.5", "3")]
    assert rules.ranks(totals) == [1, 2, 2, 4, 4, 6]


def test_codes_are_typed_back_however_they_are_written():
    code = rules.new_code()
    assert len(code) == 12 and set(code) <= set(rules.CODE_ALPHABET)
    shown = rules.shown_code(code)
    assert shown.count("-") == 2
    assert rules.normalize_code(shown.lower()) == code
    assert rules.normalize_code(" ".join(shown.split("-"))) == code


@pytest.mark.parametrize("text", ["", "ABCD", "ABCD-EFGH-IJK0", "ABCD-EFGH-JKLMN", "<script>", "0OIL" * 3])
def test_malformed_codes_are_none(text):
    assert rules.normalize_code(text) is None


def test_serials_count_per_district_and_year():
    assert rules.serial(2026, "210103000000", 42) == "ZYSC-2026-210103-000042"
    assert rules.next_seq([]) == 1
    assert rules.next_seq(["ZYSC-2026-210103-000009", "ZYSC-2026-210103-000041"]) == 42


@pytest.mark.parametrize(
    ("found", "revoked", "verdict"), [(True, False, "valid"), (True, True, "revoked"), (False, False, "unknown")]
)
def test_verdicts(found, revoked, verdict):
    assert rules.verdict(found, revoked) == verdict
