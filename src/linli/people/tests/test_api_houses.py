"""/api/v1/houses and /api/v1/rentals."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.people import rules
from linli.people.models import Building, Estate, House, Person, Rental, RentalTenant
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors


@pytest.fixture
def estate(world):
    return Estate.objects.create(region=world.community_a1, name="幸福里")


@pytest.fixture
def worker(world):
    return ApiClient(world.users["community_worker"])


def new_house(world, estate, **over):
    return {
        "estate_id": estate.pk,
        "building": "3",
        "unit": "2",
        "number": "501",
        "floor": 5,
        "grid_id": world.grid_a1.pk,
        "building_area": "89.5",
        "exclusive_area": "76.2",
        **over,
    }


def test_create_builds_the_building_and_unit_on_first_use(world, worker, estate):
    response = worker.post("/houses", new_house(world, estate))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["address"] == "幸福里3号楼2单元501"
    assert (body["building"], body["unit"], body["number"], body["floor"]) == ("3", "2", "501", 5)
    assert (Decimal(body["building_area"]), Decimal(body["exclusive_area"])) == (Decimal("89.50"), Decimal("76.20"))
    assert (body["use"], body["use_label"], body["version"]) == ("own", "自住", 1)
    assert body["estate"] == {"id": estate.pk, "name": "幸福里"}
    assert body["grid"] == {"id": world.grid_a1.pk, "name": "甲一1号网格"}
    assert worker.post("/houses", new_house(world, estate, number="502")).status_code == 201
    assert Building.objects.count() == 1


@pytest.mark.parametrize(
    "over, errors",
    [
        ({"building": "", "number": ""}, {"building": "楼栋号不能为空", "number": "房号不能为空"}),
        ({"exclusive_area": "100"}, {"exclusive_area": "专有部分面积不能大于建筑面积"}),
        ({"building_area": "-1", "exclusive_area": None}, {"building_area": "建筑面积应在0到100000平方米之间"}),
        ({"building_area": "很大"}, {"building_area": "应为数字"}),
        ({"use": "warehouse"}, {"use": "用途应为自住、出租、空置、商铺或办公"}),
        ({"floor": "五"}, {"floor": "应为整数"}),
    ],
)
def test_validation_errors_name_the_field(world, worker, estate, over, errors):
    response = worker.post("/houses", new_house(world, estate, **over))
    assert (response.status_code, field_errors(response)) == (400, errors)
    assert not House.objects.exists()


def test_the_grid_must_lie_in_the_estates_community(world, worker, estate):
    response = worker.post("/houses", new_house(world, estate, grid_id=world.community_a1.pk))
    assert field_errors(response) == {"grid": "请选择网格（而不是街道或社区）"}
    admin = ApiClient(world.users["admin"])
    response = admin.post("/houses", new_house(world, estate, grid_id=world.grid_b1.pk))
    assert field_errors(response) == {"grid": "网格不在该小区所属社区内"}


def test_the_same_house_twice_is_refused(world, worker, estate):
    worker.post("/houses", new_house(world, estate))
    assert field_errors(worker.post("/houses", new_house(world, estate))) == {"number": "该房屋已登记"}


def test_patch_with_version(world, worker, estate):
    house = factories.house(world.grid_a1, estate)
    response = worker.patch(f"/houses/{house.pk}", {"version": 1, "use": "vacant", "grid_id": world.grid_a1b.pk})
    assert response.status_code == 200
    assert (response.json()["use_label"], response.json()["grid"]["id"], response.json()["version"]) == (
        "空置",
        world.grid_a1b.pk,
        2,
    )
    assert worker.patch(f"/houses/{house.pk}", {"version": 1, "use": "shop"}).status_code == 409
    response = worker.patch(f"/houses/{house.pk}", {"version": 2, "exclusive_area": "1000"})
    assert field_errors(response) == {"exclusive_area": "专有部分面积不能大于建筑面积"}
    assert House.objects.get(pk=house.pk).use == "vacant"


def test_list_filters(world, estate):
    own = factories.house(world.grid_a1, estate, number="101")
    rented = factories.house(world.grid_a1b, estate, building="2", number="102")
    House.objects.filter(pk=rented.pk).update(use="rent")
    far = factories.house(world.grid_b1, Estate.objects.create(region=world.community_b1, name="远方小区"))
    admin = ApiClient(world.users["admin"])

    def ids(**params):
        response = admin.get("/houses", params)
        assert response.status_code == 200
        return {h["id"] for h in response.json()["items"]}

    assert ids() == {own.pk, rented.pk, far.pk}
    assert ids(use="rent") == {rented.pk}
    assert ids(grid=world.grid_a1.pk) == {own.pk}
    assert ids(estate=estate.pk) == {own.pk, rented.pk}
    assert ids(region=world.street_b.pk) == {far.pk}
    assert admin.get("/houses", {"use": "castle"}).status_code == 400
    assert {h["id"] for h in ApiClient(world.users["grid_worker"]).get("/houses").json()["items"]} == {own.pk}


def test_register_a_rental_and_list_it(world, worker, estate):
    house = factories.house(world.grid_a1, estate)
    landlord = factories.person(world.grid_a1, name="房东")
    tenant = factories.person(world.grid_a1, name="租客", residence_type="floating")
    response = worker.post(
        "/rentals",
        {
            "house_id": house.pk,
            "landlord_id": landlord.pk,
            "starts_on": "2026-03-01",
            "ends_on": "2027-02-28",
            "rent": "1800",
            "tenant_ids": [tenant.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["landlord"] == {"id": landlord.pk, "name": "房东"}
    assert [t["name"] for t in body["tenants"]] == ["租客"]
    assert (body["starts_on"], body["ends_on"], Decimal(body["rent"])) == ("2026-03-01", "2027-02-28", 1800)
    house.refresh_from_db()
    assert (house.use, house.version) == ("rent", 2)

    listed = worker.get(f"/houses/{house.pk}/rentals").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert ApiClient(world.users["community_worker2"]).get(f"/houses/{house.pk}/rentals").status_code == 404


def test_rental_validation(world, worker, estate):
    house = factories.house(world.grid_a1, estate)
    landlord = factories.person(world.grid_a1, name="房东")
    base = {"house_id": house.pk, "landlord_id": landlord.pk, "starts_on": "2026-03-01"}
    response = worker.post("/rentals", {**base, "ends_on": "2026-01-01", "tenant_ids": []})
    assert field_errors(response) == {"ends_on": "租期结束不能早于开始", "tenants": "请至少登记一名承租人"}
    assert field_errors(worker.post("/rentals", {**base, "starts_on": "明天", "tenant_ids": [landlord.pk]})) == {
        "starts_on": "日期格式应为YYYY-MM-DD"
    }
    far_tenant = factories.person(world.grid_b1, name="外人")
    assert worker.post("/rentals", {**base, "tenant_ids": [far_tenant.pk]}).status_code == 404
    assert not Rental.objects.exists()


def rental(house, landlord, tenant_ids) -> dict:
    return {"house_id": house.pk, "landlord_id": landlord.pk, "starts_on": "2026-03-01", "tenant_ids": tenant_ids}


def test_tenants_are_checked_in_one_query_however_many(world, worker, estate, django_assert_max_num_queries):
    landlord = factories.person(world.grid_a1, name="房东")
    tenants = Person.objects.bulk_create(
        Person(name=f"租客{i}", id_number=f"P{i:07d}", id_hash=f"h{i}", gender="M", grid=world.grid_a1)
        for i in range(rules.MAX_TENANTS)
    )
    with CaptureQueriesContext(connection) as one:
        response = worker.post("/rentals", rental(factories.house(world.grid_a1, estate), landlord, [tenants[0].pk]))
    assert response.status_code == 201, response.content
    house = factories.house(world.grid_a1, estate, number="502")
    with django_assert_max_num_queries(len(one)):
        response = worker.post("/rentals", rental(house, landlord, [t.pk for t in tenants]))
    assert response.status_code == 201, response.content
    assert len(response.json()["tenants"]) == rules.MAX_TENANTS


def test_a_hundred_thousand_tenants_are_refused_before_any_is_looked_up(
    world, worker, estate, django_assert_max_num_queries
):
    house, landlord = factories.house(world.grid_a1, estate), factories.person(world.grid_a1, name="房东")
    with django_assert_max_num_queries(3):  # signing in, and no person looked up
        response = worker.post("/rentals", rental(house, landlord, list(range(1, 100_001))))
    assert response.status_code == 400 and "tenant_ids" in field_errors(response)
    assert not Rental.objects.exists()


def test_the_service_refuses_more_tenants_than_a_house_holds(world, estate):
    from linli.core.errors import ValidationFailed
    from linli.people import services

    house, landlord = factories.house(world.grid_a1, estate), factories.person(world.grid_a1, name="房东")
    with pytest.raises(ValidationFailed) as refused:
        services.rental_create(
            user=world.users["community_worker"],
            data=rental(house, landlord, list(range(1, rules.MAX_TENANTS + 2))),
        )
    assert [(e.field, e.message) for e in refused.value.errors] == [("tenants", "一处出租房屋最多登记50名承租人")]


def test_a_tenant_named_twice_is_registered_once(world, worker, estate):
    house, landlord = factories.house(world.grid_a1, estate), factories.person(world.grid_a1, name="房东")
    tenant = factories.person(world.grid_a1, name="租客")
    response = worker.post("/rentals", rental(house, landlord, [tenant.pk, tenant.pk]))
    assert response.status_code == 201, response.content
    assert RentalTenant.objects.filter(person=tenant).count() == 1


@pytest.mark.parametrize("bad", [0, 2**63, -1])
def test_tenant_ids_outside_the_id_range_are_refused(world, worker, estate, bad):
    house, landlord = factories.house(world.grid_a1, estate), factories.person(world.grid_a1, name="房东")
    response = worker.post("/rentals", rental(house, landlord, [bad]))
    assert response.status_code == 400 and "tenant_ids.0" in field_errors(response)
