"""Region pages: the tree, a node with its map and staff, edits through regions.services.

street_staff may edit below 甲街道 but not 甲街道 itself; community workers and grid workers may not edit.
"""

import json

import pytest

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.people.models import Estate, Household
from linli.regions import rules, services
from linli.regions.models import GridStaff, Region
from linli.regions.selectors import region_list
from linli.testing import factories

SQUARE = {"type": "Polygon", "coordinates": [[[123.40, 41.78], [123.42, 41.78], [123.42, 41.80], [123.40, 41.78]]]}


@pytest.fixture
def reg(world):
    world.grid_a1.boundary = SQUARE
    world.grid_a1.save()
    GridStaff.objects.create(grid=world.grid_a1, duty="leader", name="周网格", phone="13512345678")
    GridStaff.objects.create(grid=world.grid_b1, duty="worker", name="吴外街", phone="13600000000")
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    for number in ("101", "102"):
        household = Household.objects.create(
            number=f"H{number}", house=factories.house(world.grid_a1, estate, number=number)
        )
        factories.person(world.grid_a1, household, name=f"居民{number}")
    return world


def test_anonymous_users_are_sent_to_the_login_page(client, reg):
    for url in ("/regions/", f"/regions/{reg.grid_a1.pk}/", f"/regions/{reg.grid_a1.pk}/edit/"):
        assert client.get(url)["Location"].startswith("/login/?next=")


def test_the_tree_shows_the_users_subtree_with_rolled_up_counts(client, reg):
    client.force_login(reg.users["street_staff"])
    response = client.get("/regions/")
    roots = response.context["roots"]
    assert [r.name for r in roots] == ["甲街道"]
    assert [c.name for c in roots[0].kids] == ["甲一社区", "甲二社区"]
    html = response.content.decode()
    street_row = html[html.index(">甲街道<") : html.index(">甲一社区<")]
    assert '<span class="num">2</span><span class="num">2</span>' in street_row
    assert "乙街道" not in html and "210103001001001" in html


def test_a_grid_worker_sees_only_their_grid(client, reg):
    client.force_login(reg.users["grid_worker"])
    assert [r.name for r in client.get("/regions/").context["roots"]] == ["甲一1号网格"]
    assert client.get(f"/regions/{reg.community_a1.pk}/").status_code == 404


def test_the_node_page_shows_map_children_and_masked_staff_phones(client, reg):
    client.force_login(reg.users["community_worker"])
    response = client.get(f"/regions/{reg.community_a1.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [c.name for c in response.context["children"]] == ["甲一1号网格", "甲一2号网格"]
    assert "周网格" in html and "135****5678" in html and "13512345678" not in html and "吴外街" not in html
    features = response.context["geojson"]["features"]
    assert [(f["properties"]["name"], f["properties"]["role"]) for f in features] == [("甲一1号网格", "child")]
    assert 'id="region-geojson"' in html and "leaflet.js" in html
    assert "编辑" not in html  # community workers are not offered region edits


def test_a_node_out_of_scope_answers_404(client, reg):
    client.force_login(reg.users["community_worker"])
    for url in (f"/regions/{reg.community_b1.pk}/", f"/regions/{reg.community_b1.pk}/edit/"):
        assert client.get(url).status_code == 404


def test_editing_saves_through_the_service(client, reg):
    client.force_login(reg.users["street_staff"])
    grid = reg.grid_a1
    form = client.get(f"/regions/{grid.pk}/edit/").context["form"]
    assert json.loads(form.initial["boundary"]) == SQUARE
    data = {"name": "甲一第一网格", "code": grid.code, "grid_kind": "micro", "boundary": "", "version": grid.version}
    response = client.post(f"/regions/{grid.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == f"/regions/{grid.pk}/"
    grid.refresh_from_db()
    assert (grid.name, grid.grid_kind, grid.boundary, grid.version) == ("甲一第一网格", "micro", None, 2)


def test_bad_codes_and_boundaries_are_shown_next_to_the_fields(client, reg):
    client.force_login(reg.users["street_staff"])
    grid = reg.grid_a1
    data = {"name": "", "code": "999", "grid_kind": "small", "boundary": '{"type": "Point"}', "version": grid.version}
    response = client.post(f"/regions/{grid.pk}/edit/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["名称不能为空"]
    assert errors["code"] == ["网格编码应为上级编码210103001001后加3位数字"]
    assert errors["boundary"] == ["边界应为GeoJSON的Polygon或MultiPolygon"]
    grid.refresh_from_db()
    assert grid.name == "甲一1号网格"


def test_a_stale_version_is_refused_with_the_chinese_message(client, reg):
    client.force_login(reg.users["street_staff"])
    grid = reg.grid_a1
    data = {"name": "新名称", "code": grid.code, "grid_kind": "small", "boundary": "", "version": grid.version + 5}
    response = client.post(f"/regions/{grid.pk}/edit/", data)
    assert response.status_code == 409 and "数据已被他人修改，请刷新后重试" in response.content.decode()
    assert 'value="新名称"' in response.content.decode()


def test_users_without_the_right_get_a_403_in_chinese(client, reg):
    client.force_login(reg.users["community_worker"])
    grid = reg.grid_a1
    data = {"name": "改名", "code": grid.code, "grid_kind": "small", "boundary": "", "version": grid.version}
    response = client.post(f"/regions/{grid.pk}/edit/", data)
    assert response.status_code == 403 and "您无权修改该区域" in response.content.decode()
    client.force_login(reg.users["street_staff"])  # staff edit below their node, not the node itself
    street = reg.street_a
    data = {"name": "改名", "code": street.code, "boundary": "", "version": street.version}
    assert client.post(f"/regions/{street.pk}/edit/", data).status_code == 403
    street.refresh_from_db()
    assert street.name == "甲街道"


def test_adding_a_child_grid(client, reg):
    client.force_login(reg.users["street_staff"])
    community = reg.community_a2
    response = client.get(f"/regions/{community.pk}/add/")
    assert response.context["level_label"] == "网格" and response.context["form"].initial["code"] == community.path
    data = {"name": "甲二3号网格", "code": "210103001002003", "grid_kind": "micro", "boundary": json.dumps(SQUARE)}
    response = client.post(f"/regions/{community.pk}/add/", data)
    child = Region.objects.get(code="210103001002003")
    assert response["Location"] == f"/regions/{child.pk}/"
    assert (child.parent, child.level, child.boundary) == (community, Region.Level.GRID, SQUARE)
    response = client.post(f"/regions/{community.pk}/add/", {**data, "grid_kind": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"grid_kind": ["请选择网格类型（大/中/小/微网格）"]}
    response = client.post(f"/regions/{community.pk}/add/", data)
    assert response.context["form"].errors == {"code": ["该区划代码已存在"]}


def test_grid_staff_are_added_on_the_grid_page(client, reg):
    client.force_login(reg.users["street_staff"])
    grid = reg.grid_a1b
    response = client.post(f"/regions/{grid.pk}/staff/", {"duty": "worker", "name": "孙网格", "phone": "123"})
    assert response.status_code == 400 and "电话号码应为11位手机号" in response.content.decode()
    response = client.post(f"/regions/{grid.pk}/staff/", {"duty": "worker", "name": "孙网格", "phone": "13811112222"})
    assert response.status_code == 302
    assert GridStaff.objects.get(grid=grid).name == "孙网格"


def _service_allows(service, **kwargs) -> bool:
    """Whether the service got past its permission check (the bad input it was given fails right after)."""
    try:
        service(**kwargs)
    except PermissionDenied:
        return False
    except (ValidationFailed, Conflict):
        return True
    raise AssertionError("the service accepted input meant to fail")


def test_the_edit_buttons_appear_exactly_when_the_service_allows_the_edit(client, reg):
    seen = set()
    for name, user in reg.users.items():
        client.force_login(user)
        for node in region_list(user=user):
            html = client.get(f"/regions/{node.pk}/").content.decode()
            shown = (f'href="/regions/{node.pk}/edit/"' in html, f'href="/regions/{node.pk}/add/"' in html)
            allowed = (
                _service_allows(services.region_update, user=user, pk=node.pk, version=-1),
                _service_allows(
                    services.region_create,
                    user=user,
                    parent_id=node.pk,
                    level=rules.child_level(node.level),
                    code="",
                    name="",
                ),
            )
            assert shown == allowed, (name, node.name)
            seen.add((name, node.name, *allowed))
    assert ("street_staff", "甲街道", False, True) in seen  # adds below its own node, does not edit it
    assert ("street_staff", "甲一社区", True, True) in seen
    assert ("admin", reg.district.name, True, True) in seen
    assert not any(edit or add for who, _, edit, add in seen if who == "community_worker")
