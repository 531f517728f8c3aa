"""The API's text adapters: `In` picks each field's kind from its marker (plain str: one line), inside optional
values, lists and dicts too; the parser's backstop names where in a body the refused string sits."""

from typing import Annotated, Any

import pytest
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

from linli.core.schemas import TEXT_ERROR, In, Name, Text, _refuse
from linli.core.text import Kind, Problem


class Sample(In):
    line: str = ""
    text: Text | None = None
    names: list[Name] = []
    loose: Annotated[Any, Kind.TEXT] = None
    shape: dict[str, Any] | None = None


def refusal(**data) -> tuple[str, str, str]:
    with pytest.raises(PydanticError) as exc:
        Sample(**data)
    (error,) = exc.value.errors()
    return error["loc"][0], error["type"], error["msg"]


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"line": "a\nb"}, "line", Problem.LINE_BREAK),
        ({"text": "a\x00"}, "text", Problem.CONTROL),
        ({"names": ["张三", "李\u200b四"]}, "names", Problem.INVISIBLE),
        ({"loose": [{"reason": "\u202e"}]}, "loose", Problem.BIDI),
        ({"shape": {"type": "Polygon\t"}}, "shape", Problem.LINE_BREAK),
        ({"shape": {"\ud800": 1}}, "shape", Problem.INVALID),
    ],
)
def test_each_field_is_checked_as_its_marker_says(data, field, problem):
    assert refusal(**data) == (field, TEXT_ERROR, problem.message)


def test_what_each_kind_allows_passes():
    sample = Sample(line="幸福里3号", text="一\n二\t三", names=["Anne-Marie"], loose={"note": "x\ny"}, shape=None)
    assert sample.text == "一\n二\t三"
    assert Sample._text_kind("line") is Kind.LINE and Sample._text_kind("names") is Kind.NAME


def test_an_output_schema_checks_nothing():
    class Out(Schema):
        name: Name
        note: str

    assert Out(name="\u202e王\u200b五", note="a\x00").note == "a\x00"


def test_the_parser_backstop_names_the_place_in_the_body():
    with pytest.raises(ValidationError) as exc:
        _refuse({"phases": [{"name": "ok"}, {"name": "bad\x01"}]}, "body")
    assert exc.value.errors == [
        {"loc": ("body", "phases", 1, "name"), "type": TEXT_ERROR, "msg": Problem.CONTROL.message}
    ]
    _refuse({"text": "一\r\n二\t", "n": 1, "ok": None}, "query")  # what multi-line text allows passes
