"""The notices' pure rules: their life, what their text may hold, paragraphs, the share of readers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.notices import rules

D, P, W = rules.DRAFT, rules.PUBLISHED, rules.WITHDRAWN


@pytest.mark.parametrize(
    "action, status, allowed",
    [
        ("edit", D, True), ("edit", P, False), ("edit", W, False),
        ("publish", D, True), ("publish", P, False), ("publish", W, False),
        ("withdraw", D, False), ("withdraw", P, True), ("withdraw", W, False),
    ],
)  # fmt: skip
def test_only_a_draft_changes_and_only_a_published_notice_is_withdrawn(action, status, allowed):
    assert rules.may(action, status) is allowed


def test_every_action_leads_to_a_known_state_and_has_a_refusal():
    assert {rules.after(a) for a in rules.ACTIONS} <= set(rules.STATUS_LABELS)
    assert set(rules.ACTION_REFUSED) == set(rules.ACTIONS)


@pytest.mark.parametrize(
    "title, body, errors",
    [
        ("停水通知", "明日停水", []),
        ("", "明日停水", [("title", "请填写标题")]),
        ("停水通知", " \n\u3000\n", [("body", "请填写正文")]),
        ("停" * 60, "水" * 5000, []),
        ("停" * 61, "水" * 5001, [("title", "标题不能超过60个字"), ("body", "正文不能超过5000个字")]),
    ],
)
def test_a_notice_has_a_title_and_a_body_within_bounds(title, body, errors):
    assert rules.text_errors(title, body) == errors


@pytest.mark.parametrize(
    "body, paragraphs",
    [
        ("各位居民：\n\u3000\u3000明日停水。\n\n特此通知。\n", ["各位居民：", "明日停水。", "特此通知。"]),
        ("一段\r\n两段", ["一段", "两段"]),
        ("  \n", []),
    ],
)
def test_the_body_falls_into_paragraphs_one_a_line(body, paragraphs):
    assert rules.paragraphs(body) == paragraphs


def _ink(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


@given(st.text())
def test_paragraphs_keep_all_the_text_and_no_line_breaks(body):
    got = rules.paragraphs(body)
    assert all(p and p == p.strip() and len(p.splitlines()) == 1 for p in got)
    assert _ink("".join(got)) == _ink(body)


@pytest.mark.parametrize(
    "read, audience, share", [(0, 0, None), (3, 0, None), (0, 7, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (5, 3, 100)]
)
def test_the_share_of_readers_is_rounded_down_and_stops_at_100(read, audience, share):
    assert rules.read_share(read, audience) == share


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_the_share_is_a_percentage(read, audience):
    share = rules.read_share(read, audience)
    assert 0 <= share <= 100 and (share == 100) == (read >= audience)
