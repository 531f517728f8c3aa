"""Types the API's schemas share. Every input schema derives from `In`; output schemas derive from `Schema` (or
`Row`, for the long lists) and validate nothing: they carry stored data, and a stored value must never turn an answer
into a 500."""

from datetime import date
from decimal import Decimal
from functools import cache, wraps
from typing import Annotated, Any, TypeVar, get_args

import ninja
from django.utils.functional import Promise
from ninja.errors import ValidationError
from ninja.parser import Parser
from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .text import Kind, check

# text
#
# A plain `str` field is one line; `Text` marks the multi-line ones (descriptions, notes, content, reasons), `Name`
# the names of people, organisations and places, and titles. linli.core.text says what each kind refuses.

Line = Annotated[str, Kind.LINE]
Text = Annotated[str, Kind.TEXT]
Name = Annotated[str, Kind.NAME]

# The error type the API's schema error handler shows with the rule's own message.
TEXT_ERROR = "text_refused"


def _marked_kind(annotation) -> Kind | None:
    """The Kind an annotation is marked with, looking inside `X | None`, `list[X]` and the like."""
    for arg in get_args(annotation):
        kind = arg if isinstance(arg, Kind) else _marked_kind(arg)
        if kind is not None:
            return kind
    return None


def text_problem(value: Any, kind: Kind) -> str | None:
    """The message for the first string in `value` (a string, or lists and dicts of them) the rule refuses."""
    if isinstance(value, str):
        problem = check(value, kind)
        return problem.message if problem else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            message = text_problem(item, kind)
            if message:
                return message
    return None


def _texts(value):
    """`value` with every lazily translated label in it (gettext_lazy, translated when read, not when imported)
    turned into its text: pydantic takes only a real str for a str."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {_texts(k): _texts(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_texts(v) for v in value)
    return value


class Schema(ninja.Schema):
    """ninja's Schema, taking the labels of choices and label tables (gettext_lazy) as their text."""

    @field_validator("*", mode="before")
    @classmethod
    def _translated(cls, value):
        return _texts(value)


class Row(BaseModel):
    """An output model built from a dict, for the long lists that skip ninja's Schema: like `Schema`, it takes a
    translated label as text, with one check per row rather than per field."""

    @model_validator(mode="before")
    @classmethod
    def _translated(cls, data):
        return _texts(data) if isinstance(data, dict) else data


class In(Schema):
    """An input schema: every text it takes, nested lists and dicts included, passes the rule of its field's kind."""

    @classmethod
    @cache
    def _text_kind(cls, field: str) -> Kind:
        info = cls.model_fields[field]
        # pydantic moves a top-level Annotated's markers into the field's metadata
        marked = [m for m in info.metadata if isinstance(m, Kind)]
        return marked[0] if marked else _marked_kind(info.annotation) or Kind.LINE

    @field_validator("*")
    @classmethod
    def _check_text(cls, value: Any, info: ValidationInfo) -> Any:
        message = text_problem(value, cls._text_kind(info.field_name))
        if message:
            raise PydanticCustomError(TEXT_ERROR, message)
        return value


def _refused(value: Any, loc: tuple) -> tuple[tuple, str] | None:
    """Where in a parsed body or query the first string the multi-line rule refuses sits, and why."""
    if isinstance(value, str):
        problem = check(value, Kind.TEXT)
        return (loc, problem.message) if problem else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _refused(key, loc) or _refused(item, (*loc, key))
        if found:
            return found
    return None


def _refuse(value: Any, source: str) -> None:
    found = _refused(value, (source,))
    if found:
        loc, message = found
        raise ValidationError([{"loc": loc, "type": TEXT_ERROR, "msg": message}])


class TextParser(Parser):
    """The backstop behind `In`: every string of every JSON body, query string and form the API reads passes the
    multi-line rule (no controls but tab and line breaks, no lone surrogates, no bidi overrides), so a loose query
    parameter or a schema that missed `In` cannot let one through, and none reaches the database or an export."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse(data, "body")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse(result, "query" if data is request.GET else "form")
        return result


def text_params(view):
    """For every operation (NinjaAPI.add_decorator): the parameters it takes loose, path segments above all, which
    no parser reads, pass the same multi-line rule. Runs after authentication and parsing, so a refusal names the
    parameter like any schema error."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        _refuse(kwargs, "path")
        return view(request, *args, **kwargs)

    return checked


# numbers
#
# Every number and date a client sends is bounded before it reaches arithmetic or the database: an id past 64 bits,
# a year 99999 or a day in year 1 would otherwise fail deep inside (OverflowError, a database error) and answer 500
# instead of a 400 naming the field. The published schema carries the bounds, so clients see them too.

ID_MAX = 2**63 - 1  # primary keys are 64-bit (BigAutoField): a larger number names no row, and databases refuse it
Id = Annotated[int, Field(ge=1, le=ID_MAX)]

# Row versions for optimistic concurrency (PositiveIntegerField, 32-bit on every database). 0 is accepted: it is
# simply stale, and answers 409 like any other old version.
VERSION_MAX = 2**31 - 1
Version = Annotated[int, Field(ge=0, le=VERSION_MAX, description="读取时的版本号；已被他人修改时返回409")]

# A million pages of up to 100 rows is more than any district holds; the offset stays far inside 64 bits.
PAGE_MAX = 1_000_000
PageNumber = Annotated[int, Field(ge=1, le=PAGE_MAX)]

# Years and days: the platform's records start in the 20th century (the oldest residents' birth dates, the oldest
# estates' plans) and its plans look decades ahead, not centuries; within these bounds "the next day", "the end of
# the month" and a local midnight always exist.
YEAR_MIN, YEAR_MAX = 1900, 2100
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
DAY_MIN, DAY_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)
Day = Annotated[date, Field(ge=DAY_MIN, le=DAY_MAX)]

# Areas in square metres as the registry stores them (DecimalField(10, 2)): finite numbers the column holds. Which
# areas are plausible the registry's service decides, with its own message.
Area = Annotated[Decimal, Field(gt=-(10**8), lt=10**8, max_digits=10, decimal_places=2, allow_inf_nan=False)]

# A request's list: one page of the dispatcher's queue is 100 cases, a district has a few hundred communities to
# assess, a plan a few dozen targets and phases. A thousand items is ten times the largest of these, and keeps a
# request's work (one query or check per item in places) bounded.
LIST_MAX = 1000
T = TypeVar("T")
ListOf = Annotated[list[T], Field(max_length=LIST_MAX)]


def whole_number(value, low: int, high: int) -> int | None:
    """`value` (text from a query or a form, read by hand) as a whole number from `low` to `high`, or None."""
    text = str(value if value is not None else "").strip()
    # Length first: int() refuses text of more than 4300 digits with a ValueError.
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(ID_MAX))):
        return None
    number = int(text)
    return number if low <= number <= high else None
