"""The waiting list's rules (volunteers.rules, section "waiting list"): a table with the choir of seed 001 篇2 (a
team of 30–60), and properties over random sequences of sign-ups and cancellations: never over capacity, places go
to the waiting in sign-up order, nobody waits while a place is free."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.volunteers import rules


@pytest.mark.parametrize(
    ("taken", "max_people", "placed"),
    [(0, 60, rules.CONFIRMED), (59, 60, rules.CONFIRMED), (60, 60, rules.WAITING), (1, 1, rules.WAITING)],
)
def test_a_sign_up_takes_a_place_while_one_is_free(taken, max_people, placed):
    assert rules.placed(taken, max_people) == placed


@pytest.mark.parametrize(
    ("waiting", "taken", "max_people", "promoted"),
    [
        ([7, 9, 12], 59, 60, [7]),  # one of the choir's sixty cancels: the first waiting gets the place
        ([7, 9, 12], 57, 60, [7, 9, 12]),  # the maximum raised by three
        ([7, 9, 12], 58, 60, [7, 9]),
        ([7, 9, 12], 60, 60, []),  # nobody left: nothing moves
        ([], 10, 60, []),
    ],
)
def test_freed_places_go_to_the_first_waiting(waiting, taken, max_people, promoted):
    assert rules.promoted(waiting, taken, max_people) == promoted


def test_position_counts_from_one():
    assert [rules.position([4, 8, 15], i) for i in (4, 8, 15, 16)] == [1, 2, 3, None]


@pytest.mark.parametrize(
    ("taken", "min_people", "on_short", "outcome"),
    [
        (30, 30, rules.SHORT_CANCEL, rules.CUTOFF_OK),  # the choir's minimum reached
        (29, 30, rules.SHORT_CANCEL, rules.SHORT_CANCEL),
        (29, 30, rules.SHORT_FLAG, rules.SHORT_FLAG),
        (0, 1, rules.SHORT_FLAG, rules.SHORT_FLAG),
    ],
)
def test_the_cutoff_cancels_or_flags_below_the_minimum(taken, min_people, on_short, outcome):
    assert rules.at_cutoff(taken, min_people, on_short) == outcome


class Roster:
    """A model of one activity driven only by the rules, as the services drive them under the row lock."""

    def __init__(self, max_people: int):
        self.max_people, self.confirmed, self.waiting, self.next_id = max_people, [], [], 1
        self.promotions: list[int] = []

    def sign_up(self) -> None:
        sid, self.next_id = self.next_id, self.next_id + 1
        if rules.placed(len(self.confirmed), self.max_people) == rules.CONFIRMED:
            self.confirmed.append(sid)
        else:
            self.waiting.append(sid)

    def cancel(self, pick: int) -> None:
        live = self.confirmed + self.waiting
        if not live:
            return
        sid = live[pick % len(live)]
        (self.confirmed if sid in self.confirmed else self.waiting).remove(sid)
        self.promote()

    def resize(self, max_people: int) -> None:
        self.max_people = max(max_people, len(self.confirmed))  # the service refuses less than taken
        self.promote()

    def promote(self) -> None:
        chosen = rules.promoted(self.waiting, len(self.confirmed), self.max_people)
        self.waiting = [s for s in self.waiting if s not in chosen]
        self.confirmed += chosen
        self.promotions += chosen


steps = st.lists(
    st.one_of(
        st.just(("sign_up", 0)),
        st.tuples(st.just("cancel"), st.integers(0, 100)),
        st.tuples(st.just("resize"), st.integers(1, 12)),
    ),
    max_size=80,
)


@given(st.integers(1, 10), steps)
def test_never_over_capacity_and_nobody_waits_for_a_free_place(max_people, actions):
    roster = Roster(max_people)
    for action, arg in actions:
        getattr(roster, action)(*([arg] if action != "sign_up" else []))
        assert len(roster.confirmed) <= roster.max_people
        assert not roster.waiting or len(roster.confirmed) == roster.max_people


@given(st.integers(1, 10), steps)
def test_promotion_keeps_sign_up_order(max_people, actions):
    roster = Roster(max_people)
    for action, arg in actions:
        getattr(roster, action)(*([arg] if action != "sign_up" else []))
        assert roster.waiting == sorted(roster.waiting)
        # whoever was promoted signed up before everyone still waiting
        assert all(p < w for p in roster.promotions for w in roster.waiting)
    assert roster.promotions == sorted(roster.promotions)
