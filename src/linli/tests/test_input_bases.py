"""Every way text comes in passes linli.core.text's rule, checked on the code so that a new module cannot forget it:
each API operation's body, query and form schemas derive from `linli.core.schemas.In`, no response schema does (a
stored value must never fail an answer), the API parses with the backstop parser and checks its path parameters, and
every page form derives from `linli.core.forms.TextRulesMixin`."""

import importlib
import pkgutil
import typing

import pytest
from django import forms
from pydantic import BaseModel

import linli
from linli.api import api
from linli.core.forms import TextRulesMixin
from linli.core.schemas import In, TextParser, text_params


def _operations():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{'/'.join(operation.methods)} {prefix}{path}", operation


def _models(annotation) -> set[type[BaseModel]]:
    """The pydantic models an annotation names, inside lists, unions and the like too."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return set().union(*map(_models, typing.get_args(annotation)))


def _own(model: type) -> bool:
    return model.__module__.startswith("linli.")


def test_the_api_parses_with_the_text_backstop():
    assert isinstance(api.parser, TextParser)
    assert (text_params, "operation") in api.default_router._decorators  # the path parameters


def test_every_input_schema_derives_from_in():
    offending = [
        f"{name}: {m.__module__}.{m.__qualname__}"
        for name, operation in _operations()
        for params in operation.models
        for field in params.model_fields.values()
        for m in _models(field.annotation)
        if _own(m) and not issubclass(m, In)
    ]
    assert offending == []


def _nested(model: type[BaseModel], seen: set) -> set[type[BaseModel]]:
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        for m in _models(field.annotation):
            _nested(m, seen)
    return seen


def test_no_response_schema_validates_text():
    offending = [
        f"{name}: {m.__qualname__}"
        for name, operation in _operations()
        for response in operation.response_models.values()
        if isinstance(response, type) and issubclass(response, BaseModel)
        for m in _nested(response, set())
        if issubclass(m, In)
    ]
    assert offending == []


def _production_modules():
    for info in pkgutil.walk_packages(linli.__path__, "linli."):
        parts = info.name.split(".")
        if not {"tests", "testing", "migrations", "conftest"} & set(parts):
            yield info.name


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.fixture(scope="module")
def project_forms():
    for module in _production_modules():
        importlib.import_module(module)
    return {
        f"{c.__module__}.{c.__qualname__}": c
        for c in _subclasses(forms.BaseForm)
        if c.__module__.startswith("linli.") and ".tests" not in c.__module__ and "testing" not in c.__module__
    }


def test_every_page_form_applies_the_text_rule(project_forms):
    assert len(project_forms) > 20  # the search found the forms
    assert [name for name, c in project_forms.items() if not issubclass(c, TextRulesMixin)] == []
