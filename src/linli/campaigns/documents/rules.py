"""Structural numbers of official documents (一、（一）1.（1）) and Chinese dates; pure functions, no ORM.

GB/T 9704-2012 §7.3.3 numbers the levels of a body 一、 → （一） → 1. → （1）. Task tables number their tree
一、 → 1. → （1） → ①. What a user typed in front of a heading (“（一）集贸市场环境整治工作”) is recognised so that
a heading is never numbered twice, and an imported table's 序号 column gives the tree back.
"""

import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CN = "cn"  # 一、
CN_PAREN = "cn_paren"  # （一）
ARABIC = "arabic"  # 1.
ARABIC_PAREN = "arabic_paren"  # （1）
CIRCLED = "circled"  # ①

BODY_STYLES = (CN, CN_PAREN, ARABIC, ARABIC_PAREN)
TABLE_STYLES = (CN, ARABIC, ARABIC_PAREN, CIRCLED)

# How deep a style sits in the usual hierarchy; an imported 序号 column is read with these ranks.
STYLE_RANK = {CN: 1, CN_PAREN: 2, ARABIC: 3, ARABIC_PAREN: 4, CIRCLED: 5}

_DIGITS = gettext_lazy("零一二三四五六七八九")
# ① to ㊿: Unicode has circled numbers up to 50, in three blocks.
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" + "".join(map(chr, range(0x3251, 0x3260))) + "".join(map(chr, range(0x32B1, 0x32C0)))


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (enough for any plan)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + _("十") + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = _("零") + _DIGITS[rest]
    else:
        tail = chinese_number(rest) if rest >= 20 else _("一") + chinese_number(rest)
    return _DIGITS[hundreds] + _("百") + tail if hundreds < 10 else str(n)


def marker(style: str, n: int) -> str:
    if style == CN:
        return f"{chinese_number(n)}、"
    if style == CN_PAREN:
        return f"（{chinese_number(n)}）"
    if style == ARABIC:
        return f"{n}."
    if style == ARABIC_PAREN:
        return f"（{n}）"
    if style == CIRCLED:
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"（{n}）"
    raise ValueError(style)


def style_at(styles: tuple[str, ...], level: int) -> str:
    """The style of a 1-based level; deeper levels than the sequence names repeat its last style."""
    return styles[min(level, len(styles)) - 1]


_CN_NUM = gettext_lazy("[一二三四五六七八九十百零〇两]+")
_OWN_NUMBER = [
    (CN_PAREN, re.compile(rf"^[(（]\s*({_CN_NUM})\s*[)）]\s*")),
    (ARABIC_PAREN, re.compile(r"^[(（]\s*(\d+)\s*[)）]\s*")),
    (CN, re.compile(rf"^({_CN_NUM})\s*[、.．，,]\s*")),
    (ARABIC, re.compile(r"^(\d+)\s*[.．、，,](?!\d)\s*")),
    (CIRCLED, re.compile(rf"^([{_CIRCLED}])\s*")),
]
# “一是……”, “第一，……” enumerate within running text: they are the writer's own words, never replaced.
_PROSE_NUMBER = re.compile(rf"^(?:{_CN_NUM}是|第{_CN_NUM}[，,、])")


def split_own_number(text: str) -> tuple[str | None, str]:
    """(style, rest) of a heading that starts with a structural number, else (None, text)."""
    stripped = text.strip()
    for style, pattern in _OWN_NUMBER:
        match = pattern.match(stripped)
        if match and match.end() < len(stripped):
            return style, stripped[match.end() :]
    return None, stripped


def numbered(style: str, n: int, text: str) -> str:
    """The heading with our number, replacing one the user typed; prose enumerations (一是) keep theirs."""
    if _PROSE_NUMBER.match(text.strip()):
        return text.strip()
    return marker(style, n) + split_own_number(text)[1]


def has_prose_number(text: str) -> bool:
    return bool(_PROSE_NUMBER.match(text.strip()))


# ---------------------------------------------------------------------------------------------- 序号 column

_DOTTED = re.compile(r"^(\d+(?:[.．]\d+)+)[.．]?$")
_PLAIN_INT = re.compile(r"^(\d+)$")


def number_rank(text: str) -> int | None:
    """How deep a 序号 cell's number sits: 一、=1, （一）=2, 1.=3, （1）=4, ①=5; “1.2.3” counts its parts, and a
    bare “1” is a top-level number. None when the cell holds no number we know."""
    value = text.strip()
    if not value:
        return None
    dotted = _DOTTED.match(value)
    if dotted:
        return len(re.split(r"[.．]", dotted.group(1)))
    if _PLAIN_INT.match(value):
        return 1
    for style, pattern in _OWN_NUMBER:
        match = pattern.match(value + " x")  # a 序号 cell holds the number alone
        if match and match.end() == len(value) + 1:
            return STYLE_RANK[style]
    return None


def is_dotted(text: str) -> bool:
    return bool(_DOTTED.match(text.strip()) or _PLAIN_INT.match(text.strip()))


# ---------------------------------------------------------------------------------------------- dates


def chinese_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 §7.3.5.4 writes it: arabic numerals, no leading zeros (2026年3月1日)."""
    return _("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def date_range(start: date, end: date) -> str:
    """2026年3月1日—4月30日; the year is repeated only when it changes."""
    if start == end:
        return chinese_date(start)
    tail = (
        _("%(month)s月%(day)s日") % {"month": end.month, "day": end.day}
        if start.year == end.year
        else chinese_date(end)
    )
    return f"{chinese_date(start)}—{tail}"


def text_width(text: str) -> float:
    """Width in full-width characters: arabic digits and latin letters take half a character."""
    return sum(0.5 if ord(ch) < 0x2000 else 1 for ch in text)
