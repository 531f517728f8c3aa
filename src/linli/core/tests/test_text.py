"""The text rule: what each kind of field refuses (table), and `printable` (properties: its result passes the rule,
leaves good text alone, and opens in Excel and Word)."""

import io

import docx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from linli.core.text import Kind, Problem, check, printable, problems

LINE, TEXT, NAME = Kind.LINE, Kind.TEXT, Kind.NAME


@pytest.mark.parametrize(
    ("value", "kind", "problem"),
    [
        # allowed
        ("李秀英", NAME, None),
        ("Anne-Marie O'Neil", NAME, None),
        ("阿卜杜拉·买买提", NAME, None),
        ("幸福里3号楼2单元501", LINE, None),
        ("第一行\n第二行\r\n\t缩进", TEXT, None),
        ("", LINE, None),
        ("家庭👨\u200d👩\u200d👧", TEXT, None),  # emoji joined by zero-width joiners
        ("\ufeff粘贴来的文字", LINE, None),  # byte-order mark pasted along
        ("مرحبا\u200fabc", TEXT, None),  # a direction mark in mixed-direction text
        ("\ue000", LINE, None),  # private use: a font may show it
        ("\U0001f600", NAME, None),  # astral characters are whole characters
        # invalid: not text at all
        ("\ud800", TEXT, Problem.INVALID),
        ("a\udfffb", NAME, Problem.INVALID),
        ("\uffff", LINE, Problem.INVALID),
        ("\ufffe", TEXT, Problem.INVALID),
        # bidi overrides and isolates, in every kind
        ("\u202eevil\u202c名", NAME, Problem.BIDI),
        ("\u202eevil\u202c", TEXT, Problem.BIDI),
        ("金额\u2066100\u2069", LINE, Problem.BIDI),
        ("\u202a", TEXT, Problem.BIDI),
        # controls
        ("a\u0000\u0001b", TEXT, Problem.CONTROL),
        ("a\x00", LINE, Problem.CONTROL),
        ("\x7f", TEXT, Problem.CONTROL),
        ("\x85", TEXT, Problem.CONTROL),  # C1: NEXT LINE
        ("\x9f", NAME, Problem.CONTROL),
        ("\x0b\x0c", TEXT, Problem.CONTROL),  # vertical tab, form feed
        ("\x1b[31m", LINE, Problem.CONTROL),  # a terminal escape
        # line breaks and tabs in one line
        ("a\tb", LINE, Problem.LINE_BREAK),
        ("a\nb", NAME, Problem.LINE_BREAK),
        ("a\rb", LINE, Problem.LINE_BREAK),
        ("a\u2028b", LINE, Problem.LINE_BREAK),
        # invisible format characters in names only
        ("张\u200b三", NAME, Problem.INVISIBLE),
        ("张\u200c三", NAME, Problem.INVISIBLE),
        ("张\u200d三", NAME, Problem.INVISIBLE),
        ("张三\u200e", NAME, Problem.INVISIBLE),
        ("张三\u200f", NAME, Problem.INVISIBLE),
        ("\u061c张三", NAME, Problem.INVISIBLE),
        ("张\u2060三", NAME, Problem.INVISIBLE),
        ("\ufeff张三", NAME, Problem.INVISIBLE),
        ("张\u00ad三", NAME, Problem.INVISIBLE),
        ("张\u200b三", LINE, None),
        # the most serious comes first
        ("\u202e\x00\ud800", TEXT, Problem.INVALID),
        ("\x00\u202e", LINE, Problem.BIDI),
        ("\x00\n", LINE, Problem.CONTROL),
        ("\n\u200b", NAME, Problem.LINE_BREAK),
    ],
)
def test_check(value, kind, problem):
    assert check(value, kind) is problem


def test_problems_lists_each_once():
    assert problems("\u202e\x00\n\u200b\ud800", NAME) == [
        Problem.INVALID,
        Problem.BIDI,
        Problem.CONTROL,
        Problem.LINE_BREAK,
        Problem.INVISIBLE,
    ]
    assert problems("张\u202e三", NAME) == [Problem.BIDI]  # a bidi control is a format character too: named once


def test_messages_are_chinese_and_name_what_is_wrong():
    assert Problem.CONTROL.message == "含有不可见的控制字符，请删除后重试"
    assert all(p.message.endswith(("重试", "重新输入", "制表符")) for p in Problem)


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("a\u0000\u0001b", TEXT, "ab"),
        ("标题\x00", LINE, "标题"),
        ("\u202eevil\u202c名", NAME, "evil名"),
        ("张\u200b三", NAME, "张三"),
        ("张\u200b三", LINE, "张\u200b三"),
        ("一\r\n二\t三", LINE, "一 二 三"),
        ("一\r\n二\t三", TEXT, "一\r\n二\t三"),
        ("\ud800好\uffff", TEXT, "好"),
        ("好", NAME, "好"),
    ],
)
def test_printable(value, kind, expected):
    assert printable(value, kind) == expected


any_text = st.text(st.characters(codec=None, categories=None))  # every code point, lone surrogates included
kinds = st.sampled_from(Kind)


@given(any_text, kinds)
@example("\x00\u202e\ud800\r\n\u200b", NAME)
def test_printable_always_passes_the_check(value, kind):
    assert check(printable(value, kind), kind) is None


@given(any_text, kinds)
def test_printable_leaves_allowed_text_alone(value, kind):
    if check(value, kind) is None:
        assert printable(value, kind) == value
    assert printable(printable(value, kind), kind) == printable(value, kind)


def _visible(text: str) -> str:
    return "".join(text.split())


@given(st.lists(any_text, min_size=1, max_size=5))
@example(["a\u0000\u0001b", "\ud800", "\ufffe\u202e"])
def test_printable_text_opens_in_excel(values):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([printable(v) for v in values])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    row = next(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    # An empty string is stored as no value, and XML may normalise whitespace: the characters are what must survive
    assert [_visible(v or "") for v in row] == [_visible(printable(v)) for v in values]


@given(any_text)
@example("a\u0000\u0001b\ud800\uffff")
def test_printable_text_opens_in_word(value):
    document = docx.Document()
    document.add_paragraph(printable(value))
    out = io.BytesIO()
    document.save(out)
    out.seek(0)
    assert _visible(docx.Document(out).paragraphs[-1].text) == _visible(printable(value))
