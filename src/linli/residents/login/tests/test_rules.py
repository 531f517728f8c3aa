from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.residents.login import rules

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
M, H = timedelta(minutes=1), timedelta(hours=1)


def at(*minutes: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


@pytest.mark.parametrize(
    "drawn, code", [(0, "000000"), (7, "000007"), (123456, "123456"), (999_999, "999999")]
)  # fmt: skip
def test_codes_are_six_digits_with_leading_zeros(drawn, code):
    assert rules.new_code(lambda n: drawn) == code


@given(st.integers(0, 10**6 - 1))
def test_every_drawn_code_is_well_formed(drawn):
    assert rules.well_formed(rules.new_code(lambda n: drawn))


def test_codes_are_drawn_from_a_million():
    asked = []
    rules.new_code(lambda n: asked.append(n) or 0)
    assert asked == [10**6]


@pytest.mark.parametrize(
    "typed, code, ok",
    [
        ("123456", "123456", True),
        (" 123 456 ", "123456", True),
        ("１２３４５６", "123456", True),  # full-width, from a Chinese keyboard
        ("12345", "12345", False),
        ("1234567", "1234567", False),
        ("12345a", "12345a", False),
        ("١٢٣٤٥٦", "١٢٣٤٥٦", False),  # other scripts' digits are digits to isdigit(), not to us
        ("", "", False),
    ],
)
def test_what_a_resident_types(typed, code, ok):
    assert rules.normalize_code(typed) == code
    assert rules.well_formed(rules.normalize_code(typed)) is ok


@pytest.mark.parametrize(
    "age, expired",
    [(timedelta(0), False), (4 * M + timedelta(seconds=59), False), (5 * M, True), (6 * M, True)],
)
def test_a_code_lives_five_minutes(age, expired):
    assert rules.expired(T0, T0 + age) is expired


@pytest.mark.parametrize(
    "earlier, now, wait",
    [
        ([], 0, timedelta(0)),
        ([0], 0.5, timedelta(seconds=30)),  # one a minute
        ([0], 1, timedelta(0)),
        ([0, 10, 20, 30, 40], 41, timedelta(minutes=19)),  # five an hour: the first leaves the hour at 60
        ([0, 10, 20, 30], 41, timedelta(0)),
        ([0, 10, 20, 30, 40, 120, 130, 140, 150, 160], 170, timedelta(minutes=1440 - 170)),  # ten a day
        ([0, 10, 20, 30, 40, 120, 130, 140, 150], 170, timedelta(0)),
        ([10.5], 10, timedelta(seconds=90)),  # stamped after now by a request that held the lock first
    ],
)
def test_codes_per_phone(earlier, now, wait):
    assert rules.wait(rules.CODES_PER_PHONE, at(*earlier), at(now)[0]) == wait


@given(st.lists(st.integers(0, 3 * 24 * 60), max_size=40), st.integers(0, 3 * 24 * 60))
def test_wait_is_zero_exactly_when_every_window_has_room(minutes, now):
    now_at, earlier = at(now)[0], at(*(m for m in minutes if m <= now))
    room = all(sum(1 for t in earlier if now_at - w < t <= now_at) < n for w, n in rules.CODES_PER_PHONE)
    wait = rules.wait(rules.CODES_PER_PHONE, earlier, now_at)
    assert (wait == timedelta(0)) is room
    # Waiting as long as told is enough.
    assert rules.wait(rules.CODES_PER_PHONE, earlier, now_at + wait) == timedelta(0)


@pytest.mark.parametrize(
    "failures, now, until",
    [
        ([], 0, None),
        ([0, 1, 2, 3], 4, None),  # four wrong codes do not lock
        ([0, 1, 2, 3, 4], 5, 19),  # the fifth locks for a quarter of an hour after it
        ([0, 1, 2, 3, 4], 18.9, 19),
        ([0, 1, 2, 3, 4], 19, None),  # and then it is over
        ([0, 1, 2, 3, 16], 17, None),  # five, but over more than a quarter of an hour
        ([0, 5, 10, 14, 15], 16, 30),  # the fifth exactly 15 minutes after the first
        ([0, 1, 2, 3, 4, 20], 21, None),  # after a lockout, the earlier ones do not count again
    ],
)
def test_lockout(failures, now, until):
    expected = None if until is None else at(until)[0]
    assert rules.locked_until(at(*failures), at(now)[0]) == expected


@given(st.lists(st.integers(0, 240), max_size=12), st.integers(0, 300))
def test_never_locked_without_five_wrong_codes_in_a_quarter_hour(minutes, now):
    failures, now_at = sorted(at(*(m for m in minutes if m <= now))), at(now)[0]
    until = rules.locked_until(failures, now_at)
    recent = [t for t in failures if now_at - rules.LOOKBACK < t <= now_at]
    if len(recent) < rules.LOCKOUT_FAILURES:
        assert until is None
    if until is not None:
        assert now_at < until <= now_at + rules.LOCKOUT


@pytest.mark.parametrize(
    "delta, text",
    [(timedelta(seconds=0.2), "1秒"), (timedelta(seconds=59), "59秒"), (timedelta(seconds=60), "1分钟"),
     (timedelta(seconds=61), "2分钟"), (timedelta(minutes=19), "19分钟")],
)  # fmt: skip
def test_waits_in_words_round_up(delta, text):
    assert rules.wait_text(delta) == text
