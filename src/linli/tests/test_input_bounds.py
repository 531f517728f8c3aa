"""Out-of-range input answers 400 (or 413) naming the problem, never 500: numbers past 64 bits, years and dates
no calendar arithmetic survives, floats past any area, unknown choices, ids in lists, oversized bodies."""

import json

import pytest
from django.test import Client

from linli.api import api
from linli.core.schemas import PAGE_MAX
from linli.people.models import ExportJob
from linli.testing.apiclient import API, ApiClient, field_errors, registry

HUGE = 2**70


@pytest.fixture
def admin(world):
    return ApiClient(world.users["admin"])


@pytest.fixture
def places(world):
    return registry(world)


# ---------------------------------------------------------------- API: numbers, years, dates, floats, choices


def test_a_page_number_past_64_bits_is_refused(admin, places):
    response = admin.get("/persons", {"page": "99999999999999999999"})
    assert response.status_code == 400
    assert "page" in field_errors(response)


def test_an_id_filter_past_64_bits_is_refused(admin, places):
    response = admin.get("/persons", {"household": "-7222788641972084015104"})
    assert response.status_code == 400
    assert "household" in field_errors(response)


def test_an_id_in_the_path_past_64_bits_is_refused(admin, places):
    assert admin.get(f"/persons/{HUGE}").status_code == 400


def test_a_year_out_of_range_is_refused(admin):
    response = admin.get("/campaigns/plans", {"year": -1})
    assert response.status_code == 400
    assert field_errors(response) == {"year": "数值过小（不小于1900）"}


def test_a_date_at_year_one_is_refused(admin):
    response = admin.get("/cases/queue", {"received_from": "0001-01-01"})
    assert response.status_code == 400
    assert "received_from" in field_errors(response)
    assert admin.get("/cases/queue", {"received_to": "9999-12-31"}).status_code == 400


def test_an_area_past_any_building_is_refused(admin, places):
    house = places["a1"].house
    response = admin.patch(f"/houses/{house.pk}", {"version": house.version, "building_area": 1.7976931348623157e308})
    assert response.status_code == 400
    assert "building_area" in field_errors(response)


def test_an_unknown_region_level_is_refused(admin, world):
    body = {"parent_id": world.community_a1.pk, "level": 99, "code": "210103001001009", "name": "新网格"}
    response = admin.post("/regions", body)
    assert response.status_code == 400
    assert field_errors(response) == {"level": "不在可选值范围内"}


def test_ids_past_64_bits_in_a_list_are_refused(admin):
    response = admin.post("/assessment/rounds", {"scheme_id": 1, "name": "2026年度", "period": "2026年度",
                                                 "unit_ids": [HUGE]})  # fmt: skip
    assert response.status_code == 400
    assert "unit_ids.0" in field_errors(response)


def test_a_list_longer_than_any_request_needs_is_refused(admin):
    response = admin.post("/assessment/rounds", {"scheme_id": 1, "name": "2026年度", "period": "2026年度",
                                                 "unit_ids": list(range(1, 1002))})  # fmt: skip
    assert response.status_code == 400
    assert field_errors(response) == {"unit_ids": "条目过多（不多于1000项）"}


# ---------------------------------------------------------------- request bodies


def test_a_body_over_5_mb_answers_413_in_json_before_login(db, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    body = json.dumps({"username": "admin", "password": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = Client().post(API + "/auth/login", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "请求内容过大（不超过5.0 MB）", "errors": []}


def test_a_body_over_5_mb_answers_413_on_a_page(db, settings):
    response = Client().post("/login/", {"username": "admin", "password": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    assert response.status_code == 413
    assert "请求内容过大（不超过5.0 MB）" in response.content.decode()


def test_multipart_without_a_boundary_answers_400_in_json(world):
    response = ApiClient(world.users["admin"]).client.post(
        API + "/cases/form", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容格式有误"


# ---------------------------------------------------------------- pages


@pytest.fixture
def staff(world):
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_a_year_out_of_range_on_the_plan_list_is_a_form_error(staff):
    response = staff.get("/campaigns/", {"year": "99999"})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors


@pytest.mark.parametrize("url", ["/persons/", "/cases/", "/campaigns/", "/honours/", "/bulletins/"])
def test_a_page_number_past_64_bits_shows_the_last_page(staff, url):
    assert staff.get(url, {"page": "99999999999999999999"}).status_code == 200


# ---------------------------------------------------------------- the published schema


def _unbounded(node, components: dict, where: str, seen: frozenset = frozenset()):
    """Where a request schema lets a number or a list through without bounds."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from _unbounded(components[name], components, f"{where}<{name}>", seen | {name})
        return
    kind = node.get("type")
    if "enum" in node or node.get("items", {}).get("format") == "binary":  # a choice; files (the service counts)
        return
    if kind in ("integer", "number"):
        if not ({"minimum", "exclusiveMinimum"} & node.keys() and {"maximum", "exclusiveMaximum"} & node.keys()):
            yield where
    if kind == "array" and "maxItems" not in node:
        yield where
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            yield from _unbounded(option, components, where, seen)
    if isinstance(node.get("items"), dict):
        yield from _unbounded(node["items"], components, f"{where}[]", seen)
    for name, sub in node.get("properties", {}).items():
        yield from _unbounded(sub, components, f"{where}.{name}", seen)


def test_every_number_and_list_a_client_sends_is_bounded():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                found += _unbounded(parameter["schema"], components, f"{method} {path} {parameter['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += _unbounded(content["schema"], components, f"{method} {path} body")
    assert found == [], "\n".join(found)


def test_every_list_is_paged_with_a_bounded_page_number():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    pages = [p for ops in schema["paths"].values() for op in ops.values() for p in op.get("parameters", [])
             if p["name"] == "page"]  # fmt: skip
    assert len(pages) >= 15
    assert all(p["schema"]["maximum"] == PAGE_MAX for p in pages)


def test_a_number_of_5000_digits_in_an_export_filter_is_refused(staff):
    response = staff.post("/imports/export.xlsx", {"region": "1" * 5000})
    assert response.status_code == 302 and response.url == "/imports/"
    assert not ExportJob.objects.exists()
