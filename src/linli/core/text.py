"""Which characters text may hold: one rule for every way text comes in (API schemas, page forms), and `printable`
for text that goes out (Excel, Word, XML), so that nothing stored can break a download.

Three kinds of field:

- LINE, one line (codes, numbers, addresses, search words): no control character at all, tab and line breaks
  included.
- TEXT, several lines (descriptions, notes, report content, reasons): tab, line feed and carriage return allowed.
- NAME, the name of a person, an organisation or a place, or a title: a LINE without format characters (Unicode
  category Cf: zero-width spaces and joiners, direction marks, the byte-order mark, the soft hyphen). A name is
  recognised by eye, and an invisible character makes two names that look the same differ, or one look like another.

Every kind refuses
- lone surrogates and the noncharacters U+FFFE/U+FFFF: they are not text, cannot be written as UTF-8 and make every
  Excel or Word file that holds them fail;
- the bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they reorder what follows
  them, so any text can be made to display as something else ("\u202eevil" shows as "live").

Outside names, zero-width characters and direction marks (U+200B–U+200F, U+061C, U+2060, U+FEFF ...) are allowed:
emoji sequences are joined with U+200D, some scripts need U+200C, and text pasted from other programs brings U+FEFF
or U+00AD along. They reorder nothing and break no export, so refusing them would only turn away honest text.

How long a value may be is the fields' max_length, not this rule's business.
"""

import enum
import re
import unicodedata

from django.utils.translation import gettext, gettext_noop


class Kind(enum.Enum):
    LINE = "line"
    TEXT = "text"
    NAME = "name"


class Problem(enum.Enum):
    """What is wrong with a value, most serious first; the message is shown after the field's name."""

    INVALID = gettext_noop("含有无效的字符编码，请重新输入")
    BIDI = gettext_noop("含有改变文字显示方向的控制字符，请删除后重试")
    CONTROL = gettext_noop("含有不可见的控制字符，请删除后重试")
    LINE_BREAK = gettext_noop("只能填写一行，请删除其中的换行符或制表符")
    INVISIBLE = gettext_noop("含有零宽字符等不可见的格式字符，请删除后重试")

    @property
    def message(self) -> str:
        return gettext(self.value)


_INVALID = "\ud800-\udfff\ufffe\uffff"
_BIDI = "\u202a-\u202e\u2066-\u2069"
# C0 and C1 controls and DEL, except the three a multi-line text keeps.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_LINE_BREAK = "\t\n\r\u2028\u2029"

_PATTERNS = {
    Problem.INVALID: re.compile(f"[{_INVALID}]"),
    Problem.BIDI: re.compile(f"[{_BIDI}]"),
    Problem.CONTROL: re.compile(f"[{_CONTROL}]"),
    Problem.LINE_BREAK: re.compile(f"[{_LINE_BREAK}]"),
}
# Format characters are tested one by one (names are short) against the Unicode database Python ships, rather than
# a list copied here that would age.
_REFUSED = {
    Kind.TEXT: re.compile(f"[{_INVALID}{_BIDI}{_CONTROL}]"),
    Kind.LINE: re.compile(f"[{_INVALID}{_BIDI}{_CONTROL}{_LINE_BREAK}]"),
    Kind.NAME: re.compile(f"[{_INVALID}{_BIDI}{_CONTROL}{_LINE_BREAK}]"),
}
_CHECKED = {
    Kind.TEXT: (Problem.INVALID, Problem.BIDI, Problem.CONTROL),
    Kind.LINE: (Problem.INVALID, Problem.BIDI, Problem.CONTROL, Problem.LINE_BREAK),
    Kind.NAME: (Problem.INVALID, Problem.BIDI, Problem.CONTROL, Problem.LINE_BREAK),
}


def _is_format(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf"


def problems(value: str, kind: Kind) -> list[Problem]:
    """Everything wrong with `value` as a field of `kind`, most serious first; [] when it may be stored."""
    found = []
    if _REFUSED[kind].search(value):
        found = [p for p in _CHECKED[kind] if _PATTERNS[p].search(value)]
    if kind is Kind.NAME and any(map(_is_format, _PATTERNS[Problem.BIDI].sub("", value))):
        found.append(Problem.INVISIBLE)
    return found


def check(value: str, kind: Kind) -> Problem | None:
    """The most serious thing wrong with `value` as a field of `kind`, or None when it may be stored."""
    found = problems(value, kind)
    return found[0] if found else None


_CRLF = re.compile(f"\r\n|[{_LINE_BREAK}]")


def printable(value: str, kind: Kind = Kind.TEXT) -> str:
    """`value` without what `check` refuses for `kind`: a line's breaks and tabs become spaces, every other refused
    character is dropped. Text that passes the check comes back unchanged; the result always passes it. A lazily
    translated label (gettext_lazy) comes back as its text in the language of the moment."""
    value = str(value)
    if kind is not Kind.TEXT:
        value = _CRLF.sub(" ", value)
    value = _REFUSED[kind].sub("", value)
    if kind is Kind.NAME:
        value = "".join(ch for ch in value if not _is_format(ch))
    return value
