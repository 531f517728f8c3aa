"""The staff pages (/volunteers/) and the portal's (/portal/volunteer/): the same services and checks as the API."""

import pytest

from linli.residents.entries import for_resident
from linli.testing import factories
from linli.volunteers.models import TeamMember, Volunteer

from .place import credit

pytestmark = pytest.mark.django_db


def test_a_community_worker_registers_a_volunteer_from_the_paper_form(place, client):
    client.force_login(place.worker)
    person = place.persons["plain"]
    data = {"id_number": person.id_number, "skills": ["medical", "it"], "availability": ["weekend"]}
    refused = client.post("/volunteers/new/", data)
    assert refused.status_code == 400 and "纸质登记表" in refused.content.decode()
    response = client.post("/volunteers/new/", {**data, "paper_consent": "on"})
    volunteer = Volunteer.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/volunteers/{volunteer.pk}/"
    assert volunteer.skills == ["medical", "it"] and volunteer.via == "staff"
    unknown = client.post("/volunteers/new/", {**data, "id_number": place.persons["vb"].id_number,
                                               "paper_consent": "on"})  # fmt: skip
    assert unknown.status_code == 400 and "人员档案中没有" in unknown.content.decode()


def test_the_list_shows_the_scope_and_a_volunteer_page_its_card(place, client):
    credit(place.va, "12")
    client.force_login(place.world.users["street_staff"])
    page = client.get("/volunteers/").content.decode()
    assert "张志愿" in page and "李远方" not in page and "志愿服务" in page
    assert "张志愿" in client.get("/volunteers/?skill=medical").content.decode()
    assert "张志愿" not in client.get("/volunteers/?skill=legal").content.decode()
    detail = client.get(f"/volunteers/{place.va.pk}/").content.decode()
    assert "12.0" in detail and "距下一星级还需 88.0 小时" in detail and "甲一党员志愿服务队" in detail
    assert "社区清扫" in detail and "出具时长证明" in detail
    assert client.get(f"/volunteers/{place.vb.pk}/").status_code == 404


def test_pages_refuse_roles_without_volunteers(place, client):
    client.force_login(place.world.users["grid_worker"])
    for url in ("/volunteers/", "/volunteers/teams/", f"/volunteers/{place.va.pk}/", "/volunteers/hours/stars/",
                "/volunteers/hours/leaderboard/"):  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_the_volunteer_list_reads_a_constant_number_of_queries(place, client, django_assert_max_num_queries):
    client.force_login(place.world.users["admin"])
    client.get("/volunteers/")
    with django_assert_max_num_queries(14) as few:
        client.get("/volunteers/")
    for i in range(8):
        person = factories.person(place.world.grid_a1, name=f"新志愿{i}", phone=f"1370000{i:04d}")
        Volunteer.objects.create(person=person, region=place.world.community_a1, number=f"X{i}", via="staff",
                                 consent_version="v", consented_at=place.va.consented_at)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/volunteers/")
    with django_assert_max_num_queries(16):
        client.get("/volunteers/teams/")


def test_skills_state_and_team_members_from_the_pages(place, client):
    client.force_login(place.worker)
    va = place.va
    client.post(f"/volunteers/{va.pk}/skills/", {"version": va.version, "skills": ["legal"]})
    va.refresh_from_db()
    assert va.skills == ["legal"] and va.availability == []
    stale = client.post(f"/volunteers/{va.pk}/state/", {"version": va.version - 1, "state": "left"}, follow=True)
    assert "已被他人修改" in stale.content.decode()
    other = client.post("/volunteers/new/", {"id_number": place.persons["other"].id_number, "paper_consent": "on"})
    assert other.status_code == 302
    spare = Volunteer.objects.get(person=place.persons["other"])
    team = place.team
    page = client.get(f"/volunteers/teams/{team.pk}/").content.decode()
    assert "赵热心" in page and "（队长）" in page
    client.post(f"/volunteers/teams/{team.pk}/members/", {"volunteer": spare.pk})
    assert TeamMember.objects.filter(team=team, volunteer=spare).exists()
    client.post(f"/volunteers/teams/{team.pk}/", {"version": team.version, "name": team.name, "kind": "party",
                                                  "leader": spare.pk, "active": "on"})  # fmt: skip
    team.refresh_from_db()
    assert team.leader_id == spare.pk
    client.post(f"/volunteers/teams/{team.pk}/members/{spare.pk}/remove/")
    team.refresh_from_db()
    assert team.leader_id is None


def test_a_team_is_formed_in_the_office_s_regions(place, client):
    client.force_login(place.world.users["street_staff"])
    form = client.get("/volunteers/teams/new/").content.decode()
    assert "甲一社区" in form and "乙一社区" not in form
    response = client.post("/volunteers/teams/new/", {"region": place.world.street_a.pk, "name": "甲街道巡逻队",
                                                      "kind": "patrol"})  # fmt: skip
    assert response.status_code == 302


def test_a_resident_registers_in_the_portal_and_sees_the_card(place, client):
    resident = place.residents["plain"]
    assert "volunteer" in [e.key for e in for_resident(resident)]
    client.force_login(resident.user)
    page = client.get("/portal/volunteer/").content.decode()
    assert "志愿者个人信息告知书" in page and "同意并注册" in page
    refused = client.post("/portal/volunteer/", {"skills": ["it"]})
    assert refused.status_code == 400 and not Volunteer.objects.filter(person=resident.person).exists()
    client.post("/portal/volunteer/", {"skills": ["it"], "availability": ["weekend"], "agreed": "on"})
    volunteer = Volunteer.objects.get(person=resident.person)
    assert volunteer.via == "portal"
    card = client.get("/portal/volunteer/").content.decode()
    assert volunteer.number in card and "再服务 <b>100.0</b> 小时升为1星" in card and "信息技术" in card


def test_an_unbound_resident_is_asked_to_bind_first(place, client):
    client.force_login(place.residents["unbound"].user)
    assert "须先完成实名认证" in client.get("/portal/volunteer/").content.decode()


def test_staff_do_not_open_the_portal_pages(place, client):
    client.force_login(place.worker)
    assert client.get("/portal/volunteer/").status_code == 403
