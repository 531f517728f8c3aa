"""实名认证 and 更正申请 rules: tables and properties."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.residents import rules
from linli.residents.rules import Status, Why

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "on_file, applicant, other, why",
    [
        ("h1", "h1", False, Why.NONE),  # the phone on file is the account's: bound at once
        ("h1", "h2", False, Why.PHONE_DIFFERS),
        ("", "h2", False, Why.NO_PHONE),
        ("h1", "h1", True, Why.CLAIMED),  # a second claim waits even with the same phone
        ("", "h2", True, Why.CLAIMED),
    ],
)
def test_binding_outcome(on_file, applicant, other, why):
    assert rules.binding_outcome(phone_on_file=on_file, applicant_phone=applicant, other_account=other) == why


@pytest.mark.parametrize(
    "given_name, on_file, match",
    [
        ("张三", "张三", True),
        (" 张 三 ", "张三", True),
        ("阿依古丽•买买提", "阿依古丽·买买提", True),
        ("阿依古丽・买买提", "阿依古丽·买买提", True),
        ("ＬＩ　Ｍｉｎｇ", "LIMing", True),  # full-width letters and space
        ("张四", "张三", False),
        ("", "", False),
        ("   ", "张三", False),
    ],
)
def test_names_match(given_name, on_file, match):
    assert rules.names_match(given_name, on_file) is match


@given(st.text(min_size=1))
def test_a_name_matches_itself_unless_it_is_blank(name):
    assert rules.names_match(name, name) == bool(rules.normalize_name(name))


@pytest.mark.parametrize(
    "ages_in_hours, left",
    [
        ([], 5),
        ([1, 2, 3, 4], 1),
        ([1, 2, 3, 4, 5], 0),
        ([1, 2, 3, 4, 5, 6], 0),
        ([25, 26, 30, 47, 48], 5),  # older than a day: forgotten
        ([23.9, 24, 24.1], 4),  # exactly a day old no longer counts
    ],
)
def test_tries_left(ages_in_hours, left):
    assert rules.tries_left([NOW - timedelta(hours=h) for h in ages_in_hours], NOW) == left


@given(st.lists(st.integers(min_value=0, max_value=72 * 60), max_size=20))
def test_tries_left_is_the_limit_less_the_last_days_tries(minutes):
    tries = [NOW - timedelta(minutes=m) for m in minutes]
    recent = sum(1 for m in minutes if m < 24 * 60)
    assert rules.tries_left(tries, NOW) == max(rules.BINDING_TRIES_PER_DAY - recent, 0)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REFUSED, Status.WITHDRAWN])
def test_only_a_pending_request_is_decided(status):
    rules.may_decide(Status.PENDING)
    with pytest.raises(rules.Refused, match="不能再处理"):
        rules.may_decide(status)


@pytest.mark.parametrize(
    "approve, note, result, field",
    [
        (True, "", "", None),
        (True, " 核实无误 ", "核实无误", None),
        (False, "电话不符，请到社区办理", "电话不符，请到社区办理", None),
        (False, "  ", None, "note"),  # a refusal says why
        (False, "长" * 201, None, "note"),
    ],
)
def test_decision_note(approve, note, result, field):
    if field:
        with pytest.raises(rules.Refused) as exc:
            rules.decision_note(approve, note)
        assert exc.value.field == field
    else:
        assert rules.decision_note(approve, note) == result


CURRENT = {"phone": "13812345678", "employer": "市一医院", "education": "bachelor"}


@pytest.mark.parametrize(
    "proposed, changed, refused_field",
    [
        ({"employer": "市二医院"}, ["employer"], None),
        ({"employer": " 市一医院 ", "phone": "13900001111"}, ["phone"], None),  # unchanged values drop out
        ({"current_address": "青年大街1号"}, ["current_address"], None),  # empty before
        ({"employer": "市一医院"}, None, "changes"),  # nothing changes
        ({}, None, "changes"),
        ({"name": "李四"}, None, "name"),  # the binding rests on it: at the office
        ({"id_number": "x", "employer": "y"}, None, "id_number"),
    ],
)
def test_correction_changes(proposed, changed, refused_field):
    if refused_field:
        with pytest.raises(rules.Refused) as exc:
            rules.correction_changes(CURRENT, proposed)
        assert exc.value.field == refused_field
    else:
        assert [c.field for c in rules.correction_changes(CURRENT, proposed)] == changed


@given(st.dictionaries(st.sampled_from(sorted(rules.CORRECTABLE)), st.text(max_size=5), max_size=5))
def test_a_correction_lists_exactly_the_fields_it_changes(proposed):
    changed = {f for f, v in proposed.items() if v.strip() != (CURRENT.get(f) or "").strip()}
    if not changed:
        with pytest.raises(rules.Refused):
            rules.correction_changes(CURRENT, proposed)
        return
    changes = rules.correction_changes(CURRENT, proposed)
    assert {c.field for c in changes} == changed
    assert all(c.new == proposed[c.field].strip() and c.label == rules.CORRECTABLE[c.field] for c in changes)


def test_name_and_identity_fields_are_not_correctable_online():
    assert not {"name", "id_number", "id_type", "gender", "birth_date"} & set(rules.CORRECTABLE)


@pytest.mark.parametrize("reason, ok", [("搬家了", True), ("", False), ("x", False), ("长" * 201, False)])
def test_correction_reason(reason, ok):
    if ok:
        assert rules.correction_reason(reason) == reason
    else:
        with pytest.raises(rules.Refused):
            rules.correction_reason(reason)
