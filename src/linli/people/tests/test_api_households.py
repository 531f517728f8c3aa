"""/api/v1/households: the household file (一户一档) with its members, masked; versioned updates."""

import pytest

from linli.people.models import Estate, Household, Person, PersonTag, Tag
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors


@pytest.fixture
def estate(world):
    return Estate.objects.create(region=world.community_a1, name="幸福里")


@pytest.fixture
def house(world, estate):
    return factories.house(world.grid_a1, estate, building="3", unit="2", number="501")


@pytest.fixture
def worker(world):
    return ApiClient(world.users["community_worker"])


def test_create_and_read_the_household_file(world, worker, house):
    response = worker.post("/households", {"number": "H0001", "kind": "集体户", "house_id": house.pk, "note": "宿舍"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["kind"], body["kind_label"], body["note"]) == ("H0001", "collective", "集体户", "宿舍")
    assert body["house"] == {"id": house.pk, "address": "幸福里3号楼2单元501"}
    assert body["grid"] == {"id": world.grid_a1.pk, "name": "甲一1号网格"}
    assert body["community"] == {"id": world.community_a1.pk, "name": "甲一社区"}
    assert body["estate"]["name"] == "幸福里"
    assert (body["head"], body["members"], body["version"]) == (None, [], 1)


def test_members_are_masked_with_visible_tags(world, worker, house):
    household = Household.objects.create(number="H0001", house=house)
    head = factories.person(world.grid_a1, household, name="王建国", relationship="head")
    child = factories.person(world.grid_a1, household, name="王小明", relationship="child", phone="")
    household.head = head
    household.save()
    PersonTag.objects.create(person=head, tag=Tag.objects.get(code="veteran"))
    PersonTag.objects.create(person=head, tag=Tag.objects.get(code="released_prisoner"))

    body = worker.get(f"/households/{household.pk}").json()
    assert body["head"] == {"id": head.pk, "name": "王建国"}
    members = {m["name"]: m for m in body["members"]}
    assert members["王建国"]["id_number"] == head.id_number[:6] + "********" + head.id_number[-4:]
    assert members["王建国"]["phone"] == "138****5678"
    assert members["王建国"]["relationship_label"] == "户主"
    assert [t["code"] for t in members["王建国"]["tags"]] == ["veteran"]
    assert members["王小明"]["phone"] == ""
    assert head.id_number not in str(body) and child.id_number not in str(body)


def test_validation_errors_name_the_field(worker, house):
    response = worker.post("/households", {"number": "", "kind": "大家庭", "house_id": house.pk})
    assert response.status_code == 400
    assert field_errors(response) == {"number": "户号不能为空", "kind": "户别应为家庭户或集体户"}
    assert field_errors(worker.post("/households", {"number": "H1"})) == {"house_id": "此项为必填项"}
    Household.objects.create(number="H0001", house=house)
    assert field_errors(worker.post("/households", {"number": "H0001", "house_id": house.pk})) == {
        "number": "该户号已存在"
    }


def test_a_house_out_of_scope_answers_404(world, house):
    response = ApiClient(world.users["community_worker2"]).post("/households", {"number": "H9", "house_id": house.pk})
    assert response.status_code == 404
    assert not Household.objects.exists()


def test_patch_with_version_sets_the_head_and_a_stale_one_answers_409(world, worker, house):
    household = Household.objects.create(number="H0001", house=house)
    member = factories.person(world.grid_a1, household, name="王建国")
    outsider = factories.person(world.grid_a1, name="李四")

    response = worker.patch(f"/households/{household.pk}", {"version": 1, "head_id": outsider.pk})
    assert field_errors(response) == {"head": "户主必须是本户成员"}

    response = worker.patch(f"/households/{household.pk}", {"version": 1, "head_id": member.pk, "note": "三代同堂"})
    assert response.status_code == 200
    assert (response.json()["head"]["name"], response.json()["note"], response.json()["version"]) == (
        "王建国",
        "三代同堂",
        2,
    )
    stale = worker.patch(f"/households/{household.pk}", {"version": 1, "note": "改"})
    assert stale.status_code == 409
    assert Household.objects.get(pk=household.pk).note == "三代同堂"


def test_moving_a_household_moves_its_members_grid(world, worker, house, estate):
    household = Household.objects.create(number="H0001", house=house)
    member = factories.person(world.grid_a1, household)
    other = factories.house(world.grid_a1b, estate, building="9", number="101")
    response = worker.patch(f"/households/{household.pk}", {"version": 1, "house_id": other.pk})
    assert response.status_code == 200
    assert response.json()["grid"]["id"] == world.grid_a1b.pk
    assert Person.objects.get(pk=member.pk).grid_id == world.grid_a1b.pk


def test_list_filters(world, estate, house):
    far_estate = Estate.objects.create(region=world.community_b1, name="远方小区")
    far_house = factories.house(world.grid_b1, far_estate)
    near = Household.objects.create(number="H0001", house=house)
    far = Household.objects.create(number="H0002", house=far_house)
    near.head = factories.person(world.grid_a1, near, name="王建国")
    near.save()
    admin = ApiClient(world.users["admin"])

    def numbers(**params):
        response = admin.get("/households", params)
        assert response.status_code == 200
        return {h["number"] for h in response.json()["items"]}

    assert numbers() == {"H0001", "H0002"}
    assert numbers(number="H0002") == {"H0002"}
    assert numbers(number="H000") == set()  # exact
    assert numbers(head_name="建国") == {"H0001"}
    assert numbers(estate=far_estate.pk) == {"H0002"}
    assert numbers(grid=world.grid_a1.pk) == {"H0001"}
    assert numbers(region=world.street_b.pk) == {"H0002"}
    assert admin.get("/households").json()["count"] == 2
    assert ApiClient(world.users["community_worker"]).get("/households").json()["count"] == 1
    assert far.pk not in [h["id"] for h in ApiClient(world.users["street_staff"]).get("/households").json()["items"]]
