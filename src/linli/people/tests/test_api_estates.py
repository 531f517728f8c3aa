"""/api/v1/estates."""

import pytest

from linli.people.models import Estate
from linli.testing.apiclient import ApiClient, field_errors


@pytest.fixture
def street(world):
    return ApiClient(world.users["street_staff"])


def test_create_read_and_patch(world, street):
    response = street.post(
        "/estates", {"region_id": world.community_a1.pk, "name": "幸福里", "address": "青年大街1号", "built_year": 1998}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["address"], body["built_year"], body["version"]) == ("幸福里", "青年大街1号", 1998, 1)
    assert body["region"] == {"id": world.community_a1.pk, "name": "甲一社区"}
    assert street.get(f"/estates/{body['id']}").json() == body

    patched = street.patch(f"/estates/{body['id']}", {"version": 1, "name": "幸福里一期"})
    assert (patched.status_code, patched.json()["name"], patched.json()["address"]) == (
        200,
        "幸福里一期",
        "青年大街1号",
    )
    stale = street.patch(f"/estates/{body['id']}", {"version": 1, "name": "幸福里二期"})
    assert (stale.status_code, stale.json()["detail"]) == (409, "数据已被他人修改，请刷新后重试")


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({"name": ""}, {"name": "小区名称不能为空"}),
        ({"name": "幸福里"}, {"name": "该社区已有同名小区"}),
        ({"name": "新小区", "built_year": 98}, {"built_year": "数值过小（不小于1800）"}),
        ({}, {"name": "此项为必填项"}),
    ],
)
def test_validation_errors_name_the_field(world, street, payload, errors):
    Estate.objects.create(region=world.community_a1, name="幸福里")
    response = street.post("/estates", {"region_id": world.community_a1.pk, **payload})
    assert (response.status_code, field_errors(response)) == (400, errors)


def test_an_estate_belongs_to_a_community(world, street):
    response = street.post("/estates", {"region_id": world.grid_a1.pk, "name": "幸福里"})
    assert field_errors(response) == {"region": "小区应隶属于社区/村"}


def test_list_filters(world):
    Estate.objects.create(region=world.community_a1, name="幸福里")
    Estate.objects.create(region=world.community_a2, name="阳光城")
    Estate.objects.create(region=world.community_b1, name="阳光花园")
    admin = ApiClient(world.users["admin"])

    def names(api=admin, **params):
        return {e["name"] for e in api.get("/estates", params).json()["items"]}

    assert names() == {"幸福里", "阳光城", "阳光花园"}
    assert names(name="阳光") == {"阳光城", "阳光花园"}
    assert names(region=world.street_a.pk) == {"幸福里", "阳光城"}
    assert names(ApiClient(world.users["street_staff"]), name="阳光") == {"阳光城"}
