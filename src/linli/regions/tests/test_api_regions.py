"""/api/v1/regions: the tree, its boundaries, grid staff and the GeoJSON layer for the map."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.regions.models import GridStaff, Region
from linli.testing.apiclient import ApiClient, field_errors

SQUARE = {"type": "Polygon", "coordinates": [[[123.4, 41.8], [123.5, 41.8], [123.5, 41.9], [123.4, 41.8]]]}


@pytest.fixture
def street(world):
    return ApiClient(world.users["street_staff"])


def new_grid(world, **over):
    return {
        "parent_id": world.community_a1.pk,
        "level": 6,
        "code": "210103001001003",
        "name": "甲一3号网格",
        "grid_kind": "small",
        "boundary": SQUARE,
        "households_planned": 300,
        **over,
    }


def test_list_with_filters(world, street):
    def names(**params):
        response = street.get("/regions", params)
        assert response.status_code == 200
        return [r["name"] for r in response.json()["items"]]

    assert names() == ["甲街道", "甲一社区", "甲一1号网格", "甲一2号网格", "甲二社区", "甲二1号网格"]  # tree order
    assert names(level=6) == ["甲一1号网格", "甲一2号网格", "甲二1号网格"]
    assert names(parent=world.community_a1.pk) == ["甲一1号网格", "甲一2号网格"]
    assert names(name="甲二") == ["甲二社区", "甲二1号网格"]
    assert names(parent=world.community_b1.pk) == []  # out of scope: nothing
    row = street.get("/regions", {"level": 5}).json()["items"][0]
    assert row == {
        "id": world.community_a1.pk,
        "parent_id": world.street_a.pk,
        "parent_name": "甲街道",
        "level": 5,
        "level_label": "社区/村",
        "grid_kind": "",
        "grid_kind_label": "",
        "code": "210103001001",
        "name": "甲一社区",
        "households_planned": None,
        "version": 1,
    }
    assert field_errors(street.get("/regions", {"level": 9})) == {"level": "不在可选值范围内"}


def test_create_a_grid_and_read_its_boundary(world, street):
    response = street.post("/regions", new_grid(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level_label"], body["grid_kind_label"], body["parent_name"]) == ("网格", "小网格", "甲一社区")
    assert body["boundary"] == SQUARE
    assert street.get(f"/regions/{body['id']}").json()["boundary"] == SQUARE
    assert Region.objects.get(pk=body["id"]).path == "210103001001003"


@pytest.mark.parametrize(
    "over, errors",
    [
        ({"code": "210103001001"}, {"code": "网格编码应为上级编码210103001001后加3位数字"}),
        ({"code": "210103001001000"}, {"code": "网格编码应以上级编码210103001001开头，且末3位不能为000"}),
        ({"code": "210103001001001"}, {"code": "该区划代码已存在"}),
        ({"grid_kind": ""}, {"grid_kind": "请选择网格类型（大/中/小/微网格）"}),
        ({"name": "  "}, {"name": "名称不能为空"}),
        (
            {"boundary": {"type": "Point", "coordinates": [1, 2]}},
            {"boundary": "边界应为GeoJSON的Polygon或MultiPolygon"},
        ),
        (
            {"boundary": {"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [5, 6], [7, 8]]]}},
            {"boundary": "边界的每个环至少4个点且首尾相同"},
        ),
        ({"level": "网格"}, {"level": "不在可选值范围内"}),
    ],
)
def test_validation_errors_name_the_field(world, street, over, errors):
    response = street.post("/regions", new_grid(world, **over))
    assert (response.status_code, field_errors(response)) == (400, errors)


def test_a_community_code_must_extend_its_street(world):
    admin = ApiClient(world.users["admin"])
    response = admin.post(
        "/regions", {"parent_id": world.street_a.pk, "level": 5, "code": "210103002009", "name": "甲三社区"}
    )
    assert field_errors(response) == {"code": "区划代码应以上级代码210103001开头"}
    response = admin.post(
        "/regions", {"parent_id": world.street_a.pk, "level": 5, "code": "210103001003", "name": "甲三社区"}
    )
    assert response.status_code == 201


def test_only_an_admin_creates_a_top_level_region(world):
    data = {"level": 3, "code": "210104000000", "name": "大东区"}
    response = ApiClient(world.users["district_staff"]).post("/regions", data)
    assert (response.status_code, response.json()["detail"]) == (403, "只有系统管理员可以创建顶级区域")
    assert ApiClient(world.users["admin"]).post("/regions", data).status_code == 201


def test_patch_changes_what_was_sent_and_checks_the_version(world, street):
    grid = world.grid_a1
    response = street.patch(f"/regions/{grid.pk}", {"version": 1, "name": "甲一一号网格", "boundary": SQUARE})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["code"], body["grid_kind"], body["boundary"], body["version"]) == (
        "甲一一号网格",
        grid.code,
        "small",
        SQUARE,
        2,
    )
    response = street.patch(f"/regions/{grid.pk}", {"version": 2, "households_planned": 250})
    assert (response.json()["households_planned"], response.json()["boundary"]) == (250, SQUARE)  # boundary kept
    stale = street.patch(f"/regions/{grid.pk}", {"version": 1, "name": "旧名"})
    assert (stale.status_code, stale.json()["detail"]) == (409, "数据已被他人修改，请刷新后重试")
    assert Region.objects.get(pk=grid.pk).name == "甲一一号网格"
    assert field_errors(street.patch(f"/regions/{grid.pk}", {"name": "x"})) == {"version": "此项为必填项"}


def test_a_node_with_children_keeps_its_code(world):
    admin = ApiClient(world.users["admin"])
    response = admin.patch(f"/regions/{world.community_a1.pk}", {"version": 1, "code": "210103001009"})
    assert field_errors(response) == {"code": "该区域下已有下级区域，不能修改区划代码"}


def test_staff_cannot_edit_their_own_node(world, street):
    response = street.patch(f"/regions/{world.street_a.pk}", {"version": 1, "name": "新街道"})
    assert (response.status_code, response.json()["detail"]) == (403, "您无权修改该区域")


def test_children(world, street):
    response = street.get(f"/regions/{world.street_a.pk}/children")
    assert [r["name"] for r in response.json()["items"]] == ["甲一社区", "甲二社区"]
    assert street.get(f"/regions/{world.street_b.pk}/children").status_code == 404


def test_grid_staff_are_added_and_listed_with_masked_phones(world, street):
    response = street.post(
        f"/regions/{world.grid_a1.pk}/staff", {"duty": "leader", "name": "周敏", "phone": "13912345678"}
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": response.json()["id"],
        "grid_id": world.grid_a1.pk,
        "duty": "leader",
        "duty_label": "网格长",
        "name": "周敏",
        "phone": "139****5678",
        "user_id": None,
    }
    assert GridStaff.objects.get().phone == "13912345678"
    listed = ApiClient(world.users["grid_worker"]).get(f"/regions/{world.grid_a1.pk}/staff")
    assert [(s["name"], s["phone"]) for s in listed.json()["items"]] == [("周敏", "139****5678")]
    assert "13912345678" not in listed.content.decode()


@pytest.mark.parametrize(
    "region, payload, errors",
    [
        ("grid_a1", {"duty": "boss", "name": "", "phone": "123"}, {"duty", "name", "phone"}),
        ("community_a1", {"duty": "leader", "name": "周敏"}, {"grid"}),
        ("grid_a1", {"name": "周敏"}, {"duty"}),
    ],
)
def test_grid_staff_validation(world, street, region, payload, errors):
    response = street.post(f"/regions/{getattr(world, region).pk}/staff", payload)
    assert (response.status_code, set(field_errors(response))) == (400, errors)
    assert not GridStaff.objects.exists()


def test_geojson_is_a_feature_collection_of_the_grids_under_a_node(world, street):
    Region.objects.filter(pk=world.grid_a1.pk).update(boundary=SQUARE, households_planned=300)
    response = street.get("/regions/geojson", {"parent": world.community_a1.pk})
    assert response.status_code == 200
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in collection["features"]] == ["甲一1号网格", "甲一2号网格"]
    first = collection["features"][0]
    assert first == {
        "type": "Feature",
        "id": world.grid_a1.pk,
        "geometry": SQUARE,
        "properties": {
            "id": world.grid_a1.pk,
            "name": "甲一1号网格",
            "code": "210103001001001",
            "parent_id": world.community_a1.pk,
            "grid_kind": "small",
            "grid_kind_label": "小网格",
            "households_planned": 300,
        },
    }
    assert collection["features"][1]["geometry"] is None  # not drawn yet
    everything = street.get("/regions/geojson").json()
    assert len(everything["features"]) == 3  # every grid in street 甲
    assert street.get("/regions/geojson", {"parent": world.street_b.pk}).status_code == 404


def test_geojson_reads_all_grids_in_one_query(world, street):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert street.get("/regions/geojson", {"parent": world.street_a.pk}).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for i in range(2, 12):
        Region.objects.create(
            parent=world.community_a2,
            level=6,
            code=f"210103001002{i:03d}",
            path=f"210103001002{i:03d}",
            name=f"甲二{i}号网格",
            grid_kind="small",
            boundary=SQUARE,
        )
    assert queries() == before
    # token lookup, the parent node, the grids
    assert before == 3


def test_grid_staff_account_must_be_in_the_callers_scope(world):
    from linli.core.errors import ValidationFailed
    from linli.regions.services import grid_staff_add

    with pytest.raises(ValidationFailed) as exc:
        grid_staff_add(
            user=world.users["street_staff"],
            grid_id=world.grid_a1.pk,
            duty="worker",
            name="王五",
            staff_user_id=world.users["district_staff"].pk,
        )
    assert exc.value.errors[0].field == "user"
    staff = grid_staff_add(
        user=world.users["street_staff"],
        grid_id=world.grid_a1.pk,
        duty="worker",
        name="王五",
        staff_user_id=world.users["grid_worker"].pk,
    )
    assert staff.user == world.users["grid_worker"]


def test_a_csrf_failure_is_explained_in_chinese(world, client):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["admin"])
    response = c.post("/api/v1/estates", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "安全校验失败，请刷新页面后重试"
