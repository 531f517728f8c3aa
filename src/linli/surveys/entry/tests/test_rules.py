from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.surveys import rules as s
from linli.surveys.entry import rules


@pytest.mark.parametrize(
    "current, new, note, field",
    [
        (s.NOT_VISITED, s.VISITED, "", None),
        (s.VISITED, s.NOT_VISITED, "", None),
        (s.NOT_VISITED, s.REFUSED, "户主不愿登记", None),
        (s.NOT_VISITED, s.REFUSED, "  ", "note"),
        (s.NOT_VISITED, s.EMPTY, "", "note"),
        (s.REFUSED, s.VISITED, "", None),
        (s.NOT_VISITED, s.DONE, "", "state"),
        (s.NOT_VISITED, "gone", "", "state"),
        (s.DONE, s.VISITED, "", "state"),
        (s.DONE, s.REFUSED, "后悔了", "state"),
        (s.NOT_VISITED, s.VISITED, "长" * 201, "note"),
    ],
)
def test_state_errors(current, new, note, field):
    errors = rules.state_errors(current, new, note)
    assert [f for f, _ in errors] == ([field] if field else [])
    assert all("：" in message for _, message in errors)


@pytest.mark.parametrize(
    "main, answers, needed",
    [
        (s.SHORT, {"H3": 0}, [s.SHORT]),
        (s.SHORT, {"H3": 1}, [s.SHORT, s.DEATH]),
        (s.LONG, {"H3": 2}, [s.LONG, s.DEATH]),
        (s.SHORT, None, [s.SHORT]),
        (s.SHORT, {"H3": True}, [s.SHORT]),  # not a number of deaths
        (s.SHORT, {"H3": "1"}, [s.SHORT]),
        (s.UNIT, {"H3": 3}, [s.UNIT]),  # not a census form
    ],
)
def test_forms_needed(main, answers, needed):
    assert rules.forms_needed(main, answers) == needed


@pytest.mark.parametrize(
    "role, main, main_answers, refused",
    [
        (s.SHORT, s.SHORT, None, False),
        (s.LONG, s.SHORT, None, True),  # drawn households fill the long form, the others the short one
        (s.SHORT, s.LONG, None, True),
        (s.DEATH, s.SHORT, None, True),  # the census form first
        (s.DEATH, s.SHORT, {"H3": 0}, True),
        (s.DEATH, s.SHORT, {"H3": 1}, False),
        (s.DEATH, s.UNIT, {"H3": 1}, True),
        (s.RECHECK, s.SHORT, {"H3": 0}, True),  # the re-check's form is not entered door to door
        (s.UNIT, s.UNIT, None, False),
    ],
)
def test_role_error(role, main, main_answers, refused):
    assert (rules.role_error(role, main, main_answers) is not None) == refused


@pytest.mark.parametrize(
    "main, received, complete",
    [
        (s.SHORT, {}, False),
        (s.SHORT, {s.SHORT: {"H3": 0}}, True),
        (s.SHORT, {s.SHORT: {"H3": 1}}, False),
        (s.SHORT, {s.SHORT: {"H3": 1}, s.DEATH: {}}, True),
        (s.SHORT, {s.DEATH: {}}, False),
        (s.UNIT, {s.UNIT: {}}, True),
    ],
)
def test_complete(main, received, complete):
    assert rules.complete(main, received) is complete


def test_filled_at_allows_a_phones_clock_a_little_ahead():
    now = datetime(2026, 11, 5, 10, 0)
    assert rules.filled_at_error(now - timedelta(days=3), now) is None
    assert rules.filled_at_error(now + rules.CLOCK_SKEW, now) is None
    assert rules.filled_at_error(now + rules.CLOCK_SKEW + timedelta(seconds=1), now) is not None


@given(
    main=st.sampled_from([s.SHORT, s.LONG, s.UNIT]),
    deaths=st.one_of(st.none(), st.integers(0, 3)),
    extra=st.sets(st.sampled_from([s.SHORT, s.LONG, s.DEATH, s.UNIT])),
)
def test_a_unit_is_complete_exactly_when_each_form_it_needs_is_in(main, deaths, extra):
    received = {role: {} for role in extra}
    if deaths is not None:
        received[main] = {"H3": deaths}
    death_needed = main != s.UNIT and bool(deaths)
    expected = main in received and (not death_needed or s.DEATH in received)
    assert rules.complete(main, received) is expected
