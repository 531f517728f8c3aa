"""The volunteer number, skills and availability: pure rules."""

from hypothesis import given
from hypothesis import strategies as st

from linli.volunteers import rules as vocabulary
from linli.volunteers.registry import rules

COMMUNITY = "210103001001"


def test_numbers_count_per_community_and_year():
    assert rules.number(COMMUNITY, 2026, 42) == "210103001001-2026-00042"
    assert rules.next_number(COMMUNITY, 2026, []) == "210103001001-2026-00001"
    taken = ["210103001001-2026-00001", "210103001001-2026-0007", "210103001001-2025-0099"]
    assert rules.next_number(COMMUNITY, 2026, taken) == "210103001001-2026-00008"
    assert len(rules.number(COMMUNITY, 2026, 99999)) <= 24  # the column holds 24


@given(st.lists(st.integers(1, 99998), unique=True, max_size=30))
def test_the_next_number_is_new_and_after_every_taken_one(seqs):
    taken = [rules.number(COMMUNITY, 2026, s) for s in seqs]
    nxt = rules.next_number(COMMUNITY, 2026, taken)
    assert nxt not in taken and all(nxt > t for t in taken)


def test_skills_and_availability_come_from_the_vocabulary():
    assert rules.choice_errors(["medical", "it"], ["weekend"]) == []
    fields = [e.field for e in rules.choice_errors(["flying"], ["midnight"])]
    assert fields == ["skills", "availability"]
    assert rules.ordered(["it", "medical", "it"], vocabulary.SKILLS) == ["medical", "it"]
    assert rules.labels(["medical", "it"], vocabulary.SKILLS) == "医疗护理、信息技术"
