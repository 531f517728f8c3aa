"""Types the API's input schemas share. Every input schema derives from `In`; output schemas derive from
ninja.Schema (or pydantic's BaseModel) and validate nothing: they carry stored data, and a stored value must never
turn an answer into a 500."""

from functools import cache, wraps
from typing import Annotated, Any, get_args

from ninja import Schema
from ninja.errors import ValidationError
from ninja.parser import Parser
from pydantic import ValidationInfo, field_validator
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
