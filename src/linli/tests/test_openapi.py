"""The published OpenAPI schema: one component name, one schema.

django-ninja files every schema class under its class name in `components/schemas` and keeps the last one written,
so two classes of the same name in different apps silently give one operation the other's response (this is how
the case reporter's reveal came to be documented as a person's ID number and phone). Distinct classes may share a
name only while they publish the same schema, as ninja's own `Paged…` wrappers of one item class do.
"""

import enum
import json
import typing
from collections import defaultdict

from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel, TypeAdapter

from linli.api import api


def _reachable(annotation, found: set) -> None:
    """Every model and enum class an annotation names, through lists, unions and nested fields."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _reachable(field.annotation, found)
    else:
        for arg in typing.get_args(annotation):
            _reachable(arg, found)


def published_classes() -> set[type]:
    """The classes the operations' parameters, bodies and responses are made of.

    Ninja wraps each operation's parameters and its response in models of its own (`PathParams`, `BodyParams`,
    `NinjaResponseSchema` …) that are never components: the walk starts at their fields.
    """
    found: set[type] = set()
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                        for field in wrapper.model_fields.values():
                            _reachable(field.annotation, found)
    return found


def _schema(cls: type) -> str:
    adapter = TypeAdapter(cls)
    both = [
        adapter.json_schema(ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode)
        for mode in ("validation", "serialization")
    ]
    return json.dumps(both, sort_keys=True, ensure_ascii=False)


def test_no_two_schemas_share_a_component_name():
    by_name = defaultdict(set)
    for cls in published_classes():
        by_name[cls.__name__].add(cls)
    clashes = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in by_name.items()
        if len({_schema(cls) for cls in classes}) > 1
    }
    assert clashes == {}, "schema classes of one name publish different schemas: rename one of each"


def test_the_walk_reaches_nested_and_plain_responses():
    # The two operations whose published responses were wrong: a nested list item and a plain response.
    names = {cls.__name__ for cls in published_classes()}
    assert {"TaskUnitOut", "RectificationUnitOut", "RevealOut", "ReporterRevealOut"} <= names


def test_each_reveal_publishes_its_own_fields():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]

    def response_fields(path: str) -> set[str]:
        ref = schema["paths"][path]["post"]["responses"][200]["content"]["application/json"]["schema"]["$ref"]
        return set(components[ref.rsplit("/", 1)[1]]["properties"])

    assert response_fields("/api/v1/persons/{person_id}/reveal") == {"id_number", "phone"}
    assert response_fields("/api/v1/cases/{case_id}/reveal") == {"reporter_name", "reporter_phone"}


def test_the_document_is_built_once_per_prefix_and_language():
    from django.utils import translation

    first = api.get_openapi_schema(path_prefix="/api/v1/")
    assert api.get_openapi_schema(path_prefix="/api/v1/") is first
    with translation.override("zh-hant"):
        traditional = api.get_openapi_schema(path_prefix="/api/v1/")
    assert traditional is not first and traditional["paths"].keys() == first["paths"].keys()
