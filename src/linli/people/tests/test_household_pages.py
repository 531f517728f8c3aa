"""The household list, the household file (一户一档) and the house list, each scoped by the region tree."""

from datetime import date

import pytest

from linli.core.pii import mask_id_number
from linli.people import services
from linli.people.models import Estate, Household, HouseOwner, PersonTag, Rental, RentalTenant, Tag
from linli.testing import factories


@pytest.fixture
def reg(world):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    house = factories.house(world.grid_a1, estate, building="3", unit="2", number="501")
    household = Household.objects.create(number="H0001", house=house, note="老住户")
    head = factories.person(world.grid_a1, household, name="王建国", relationship="head")
    child = factories.person(world.grid_a1, household, name="王小明", relationship="child", birth=date(2012, 9, 1))
    household.head = head
    household.save()
    PersonTag.objects.create(person=child, tag=Tag.objects.get(code="left_behind_child"))
    HouseOwner.objects.create(house=house, person=head, since=date(2015, 4, 1))
    tenant = factories.person(world.grid_a1, None, name="租户甲", phone="13600001111", residence_type="floating")
    rental = Rental.objects.create(house=house, landlord=head, starts_on=date(2025, 3, 1), rent="1800.00")
    RentalTenant.objects.create(rental=rental, person=tenant, registered_on=date(2025, 3, 2))
    other_estate = Estate.objects.create(region=world.community_a2, name="和平花园")
    other = Household.objects.create(
        number="H0002", house=factories.house(world.grid_a2, other_estate, building="1", unit="1", number="101")
    )
    return {"household": household, "head": head, "child": child, "tenant": tenant, "house": house, "other": other}


def test_anonymous_users_are_sent_to_the_login_page(client, reg):
    for url in ("/households/", f"/households/{reg['household'].pk}/", "/houses/"):
        assert client.get(url)["Location"].startswith("/login/?next=")


def test_the_household_list_is_scoped_and_searchable(client, world, reg):
    client.force_login(world.users["community_worker"])
    page = client.get("/households/").context["page"]
    assert [(h.number, h.member_count) for h in page.object_list] == [("H0001", 2)]
    client.force_login(world.users["street_staff"])
    assert client.get("/households/").context["page"].paginator.count == 2
    for query, expected in (
        ({"number": "H0002"}, ["H0002"]),
        ({"head_name": "建国"}, ["H0001"]),
        ({"estate": reg["other"].house.unit.building.estate_id}, ["H0002"]),
        ({"grid": world.grid_a1.pk}, ["H0001"]),
        ({"region": world.community_a2.pk}, ["H0002"]),
    ):
        page = client.get("/households/", query).context["page"]
        assert [h.number for h in page.object_list] == expected, query


def test_the_household_file_shows_house_members_owners_rentals(client, world, reg):
    client.force_login(world.users["community_worker"])
    response = client.get(f"/households/{reg['household'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "户号 H0001",
        "家庭户",
        "幸福里",
        "3号楼 2单元 501室",
        "89.50 ㎡",
        "76.20 ㎡",
        "自住",
        "甲一1号网格",
        "甲一社区",
        "老住户",
        "王小明",
        "子女",
        "留守儿童",
        mask_id_number(reg["child"].id_number),
        "2015-04-01",
        "2025-03-01 至 今",
        "1800.00",
        "租户甲",
        "流动人口",
    ):
        assert text in html, text
    assert reg["child"].id_number not in html and reg["head"].id_number not in html
    assert "/persons/new/?household=H0001" in html


def test_the_household_file_merges_the_history_of_the_household_and_its_members(client, world, reg):
    worker = world.users["community_worker"]
    client.force_login(worker)
    child = reg["child"]
    services.person_update(user=worker, pk=child.pk, version=child.version, data={"education": "小学"})
    household = reg["household"]
    services.household_update(user=worker, pk=household.pk, version=household.version, data={"note": "已核实"})
    history = client.get(f"/households/{household.pk}/").context["history"]
    summary = [(e.subject, e.action, [(c.label, c.before, c.after) for c in e.changes]) for e in history[:2]]
    assert summary == [
        ("户 H0001", "修改", [("备注", "老住户", "已核实")]),
        ("王小明", "修改", [("文化程度", "（空）", "小学")]),
    ]
    assert {e.subject for e in history} >= {"户 H0001", "王建国", "王小明"}


def test_a_household_out_of_scope_answers_404(client, world, reg):
    client.force_login(world.users["community_worker2"])
    assert client.get(f"/households/{reg['household'].pk}/").status_code == 404
    client.force_login(world.users["grid_worker"])
    assert client.get(f"/households/{reg['household'].pk}/").status_code == 200
    assert client.get(f"/households/{reg['other'].pk}/").status_code == 404


def test_the_house_list_is_scoped_and_filtered(client, world, reg):
    client.force_login(world.users["street_staff"])
    page = client.get("/houses/").context["page"]
    assert [h.number for h in page.object_list] == ["501", "101"]
    assert [h.number for h in client.get("/houses/", {"use": "rent"}).context["page"].object_list] == []
    assert [h.number for h in client.get("/houses/", {"grid": world.grid_a2.pk}).context["page"].object_list] == ["101"]
    html = client.get("/houses/").content.decode()
    assert f'href="/households/{reg["household"].pk}/">H0001</a>' in html
    client.force_login(world.users["community_worker2"])
    assert [h.number for h in client.get("/houses/").context["page"].object_list] == ["101"]
