from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.notifications import rules
from linli.notifications.rules import INBOX, SMS

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("联系13812345678", "联系*******5678"),
        ("电话 138-1234-5678 转", "电话 *******5678 转"),
        ("身份证210103199003078515", "身份证**************8515"),
        ("21010319900307851X", "**************851X"),
        ("１３８１２３４５６７８", "*******５６７８"),  # full-width digits
        ("3号楼2单元602室", "3号楼2单元602室"),  # short numbers stay
        ("2026年12月6日", "2026年12月6日"),
        ("编号123456", "编号123456"),  # six digits: not enough to name anyone
    ],
)
def test_numbers_long_enough_to_identify_someone_are_masked(text, expected):
    assert rules.mask_numbers(text) == expected


def test_a_template_renders_with_its_context_masked():
    context = {"task": "道路保洁", "text": "请联系13812345678", "issuer": "张三", "issued": "2026-12-06"}
    title, body, params = rules.render("campaigns.supervise", context)
    assert title == "督办：道路保洁"
    assert body == "请联系*******5678（张三，2026-12-06）"
    assert params["text"] == "请联系*******5678"


@pytest.mark.parametrize(
    "key, context",
    [
        ("nope", {}),
        ("accounts.login_code", {}),  # missing
        ("accounts.login_code", {"code": "123456", "phone": "13812345678"}),  # extra
        ("accounts.login_code", {"code": "13812345678"}),  # a code of the wrong shape is refused, not masked
        ("accounts.login_code", {"code": "１２３４５６"}),
        ("cases.closed", {"case_number": "13812345678"}),
    ],
)
def test_unknown_templates_and_wrong_contexts_are_refused(key, context):
    with pytest.raises(rules.TemplateError):
        rules.render(key, context)


def test_codes_pass_whole():
    assert rules.render("accounts.login_code", {"code": "042917"})[1].startswith("您的登录验证码为042917，")
    assert "（2026-000123）" in rules.render("cases.closed", {"case_number": "2026-000123"})[1]


def test_no_template_has_a_placeholder_for_personal_data():
    for key, template in rules.TEMPLATES.items():
        assert not template.placeholders() & {"phone", "id_number", "mobile", "address", "name"}, key
        assert not rules.has_number(template.title + template.body), key
        assert template.kind in rules.KINDS, key
        assert template.default <= template.channels and template.required <= template.channels, key


# ---------------------------------------------------------------- no personal number ever reaches a message

phones = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
ids = st.from_regex(r"[1-6][0-9]{5}(19|20)[0-9]{9}[0-9X]", fullmatch=True)
separators = st.sampled_from(["", " ", "-", "  ", ".", "—", " - "])


@st.composite
def hidden_number(draw):
    """A phone or ID number, its digits maybe full-width, split by separators, inside arbitrary text."""
    number = draw(st.one_of(phones, ids))
    if draw(st.booleans()):
        number_shown = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    else:
        number_shown = number
    cuts = sorted(draw(st.lists(st.integers(1, len(number) - 1), max_size=3, unique=True)))
    parts, last = [], 0
    for cut in cuts:
        parts.append(number_shown[last:cut])
        last = cut
    parts.append(number_shown[last:])
    shown = draw(separators).join(parts)
    return number, draw(st.text(max_size=20)) + shown + draw(st.text(max_size=20))


def _digits_only(text: str) -> str:
    folded = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return "".join(c for c in folded if c.isdigit() or c in "Xx*")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_no_template_lets_a_phone_or_id_number_through(data):
    key = data.draw(st.sampled_from(sorted(rules.TEMPLATES)))
    names = sorted(rules.TEMPLATES[key].placeholders())
    context, hidden = {}, []
    for name in names:
        if name == "code":
            context[name] = data.draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
        elif name == "issued":
            context[name] = data.draw(st.dates()).isoformat()
        elif name == "case_number":
            context[name] = data.draw(st.from_regex(r"20[0-9]{2}-[0-9]{6}", fullmatch=True))
        else:
            number, text = data.draw(hidden_number())
            hidden.append(number)
            context[name] = text
    title, body, params = rules.render(key, context)
    whole = [context[name] for name in names if name in rules.CODES]  # pass as they are, and may hold any digits
    for text in (title, body, *params.values()):
        for value in whole:
            text = text.replace(value, "")
        digits = _digits_only(text)
        for number in hidden:
            assert number not in digits
            assert number[:-4] not in digits  # not even all but the last four


# ---------------------------------------------------------------- channels

REACH_ALL = frozenset({INBOX, SMS})


@pytest.mark.parametrize(
    "key, chosen, only, reachable, expected",
    [
        ("campaigns.supervise", None, None, REACH_ALL, {INBOX}),  # the default
        ("campaigns.supervise", frozenset({INBOX, SMS}), None, REACH_ALL, {INBOX, SMS}),
        ("campaigns.supervise", frozenset({SMS}), None, frozenset({INBOX}), set()),  # no phone: nothing to do
        ("campaigns.supervise", frozenset(), None, REACH_ALL, set()),  # switched off
        ("cases.closed", None, frozenset({SMS}), REACH_ALL, {SMS}),  # the caller narrows
        ("accounts.login_code", frozenset(), None, REACH_ALL, {SMS}),  # required whatever the user chose
        ("accounts.login_code", None, frozenset({INBOX}), REACH_ALL, {SMS}),
        ("accounts.login_code", None, None, frozenset({INBOX}), set()),
    ],
)
def test_channels_follow_template_choice_request_and_reach(key, chosen, only, reachable, expected):
    assert rules.channels_for(key, chosen, only=only, reachable=reachable) == expected


def test_optional_channels_leave_out_required_ones():
    assert rules.optional_channels("supervision") == {INBOX, SMS}
    assert rules.optional_channels("security") == frozenset()


# ---------------------------------------------------------------- rate limits


@pytest.mark.parametrize(
    "channel, ago, expected",
    [
        (SMS, [], True),
        (SMS, [timedelta(seconds=10)], True),
        (SMS, [timedelta(seconds=10), timedelta(seconds=20)], False),  # 2 a minute
        (SMS, [timedelta(seconds=61), timedelta(seconds=70)], True),
        (SMS, [timedelta(minutes=2 + i) for i in range(10)], False),  # 10 an hour
        (SMS, [timedelta(minutes=61 + i) for i in range(10)], True),
        (SMS, [timedelta(hours=2, minutes=i) for i in range(30)], False),  # 30 a day
        (SMS, [timedelta(hours=25, minutes=i) for i in range(30)], True),
        (INBOX, [timedelta(seconds=i) for i in range(59)], True),
        (INBOX, [timedelta(seconds=i) for i in range(60)], False),
    ],
)
def test_rate_limits(channel, ago, expected):
    assert rules.within_limits(channel, [NOW - a for a in ago], NOW) is expected


@given(st.lists(st.integers(0, 3 * 86400), max_size=40), st.sampled_from([INBOX, SMS]))
def test_a_limit_once_reached_holds_until_the_window_moves(seconds_ago, channel):
    sent = [NOW - timedelta(seconds=s) for s in seconds_ago]
    if not rules.within_limits(channel, sent, NOW):
        assert not rules.within_limits(channel, [*sent, NOW], NOW)
    assert rules.within_limits(channel, sent, NOW + rules.longest_window(channel) + timedelta(seconds=3 * 86400))
