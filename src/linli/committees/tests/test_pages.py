"""The staff pages under /committees/: they call the API's selectors and services and answer the same checks."""

from datetime import date

import pytest

from linli.committees import rules, services
from linli.committees.models import Committee
from linli.testing import factories
from linli.votes import services as vote_services

from .town import form, members, places


@pytest.fixture
def town(world):
    return places(world)


def _members_post(owners, n=5) -> dict:
    data = {}
    for i, owner in enumerate(owners[:n], 1):
        data |= {f"person_{i}": owner.pk, f"role_{i}": rules.CHAIR if i == 1 else rules.MEMBER}
    return data | {f"role_{i}": rules.MEMBER for i in range(n + 1, rules.MAX_MEMBERS + 1)}


def test_a_community_worker_forms_a_committee_from_the_estates_owners(world, town, client):
    p = town["in"]
    client.force_login(world.users["community_worker"])
    choose = client.get("/committees/new/").content.decode()
    assert "甲一花园" in choose and "乙一花园" not in choose
    page = client.get(f"/committees/new/?estate={p.estate.pk}").content.decode()
    assert "甲一花园业主1" in page and "乙一花园业主1" not in page
    data = {"estate": p.estate.pk, "assembly_on": "2024-03-10", "formed_on": "2024-03-15", **_members_post(p.owners)}
    data["party_1"] = "on"
    response = client.post("/committees/new/", data)
    committee = Committee.objects.get()
    assert response.status_code == 302 and response.url == f"/committees/{committee.pk}/"
    detail = client.get(response.url).content.decode()
    assert "2024-03-15 至 2029-03-15（五年）" in detail and "甲一花园业主1" in detail and "中共党员" in detail


def test_the_form_says_what_is_wrong(world, town, client):
    p = town["in"]
    client.force_login(world.users["community_worker"])
    data = {"estate": p.estate.pk, "assembly_on": "2024-03-10", "formed_on": "2024-03-15", **_members_post(p.owners, 4)}
    response = client.post("/committees/new/", data)
    assert response.status_code == 400 and not Committee.objects.exists()
    assert "现为4名" in response.content.decode()


def test_the_list_shows_the_figures_and_the_committees_near_re_election(world, town, client):
    today = date.today()
    near = form(world.users["community_worker"], town["in"], formed_on=date(today.year - 5, today.month, 1))
    client.force_login(world.users["street_staff"])
    page = client.get("/committees/").content.decode()
    assert "换届提醒" in page and f'href="/committees/{near.pk}/"' in page
    assert "登记新一届业委会" not in page  # the street reads, the community records
    assert "业委会组建率" in page and "100%" in page
    detail = client.get(f"/committees/{near.pk}/").content.decode()
    assert "换届提醒：本届任期" in detail and "修改委员和备案" not in detail


def test_the_estate_page_shows_company_committee_and_complaints(world, town, client):
    p = town["in"]
    factories.install_case_catalogue(world)
    house = p.owners[0].owned_houses.get()
    case = factories.case(world.grid_a1, house_id=house.pk)
    committee = form(world.users["community_worker"], p, formed_on=date(2019, 3, 1))
    form(world.users["community_worker"], p, formed_on=date(2024, 3, 1))
    worker = world.users["community_worker"]
    vote = vote_services.vote_create(
        user=worker, estate_id=p.estate.pk, title="续聘物业服务企业", motion="续聘安居物业三年。", item="4",
        opens_on=date(2026, 12, 1), closes_on=date(2026, 12, 31),
    )  # fmt: skip
    client.force_login(worker)
    page = client.get(f"/committees/estates/{p.estate.pk}/").content.decode()
    assert "专业物业" in page and f'href="/property/companies/{p.company.pk}/"' in page
    assert "现任业主委员会" in page and "往届" in page
    assert f'href="/committees/{committee.pk}/"' in page
    assert f'href="/votes/{vote.pk}/"' in page and "续聘物业服务企业" in page
    assert case.number in page and "已受理" in page
    api = client.get(f"/api/v1/committees/estates/{p.estate.pk}").json()
    assert api["management"] == "professional" and api["company_id"] == p.company.pk
    assert [v["title"] for v in api["votes"]] == ["续聘物业服务企业"]
    assert client.get(f"/committees/estates/{town['out'].estate.pk}/").status_code == 404


def test_party_organisations_and_cross_offices_are_recorded_from_the_pages(world, town, client):
    committee = form(world.users["community_worker"], town["in"])
    client.force_login(world.users["community_worker"])
    response = client.post("/committees/party/new/", {
        "kind": "group", "name": "甲一花园业委会党小组", "host": "committee", "committee_id": committee.pk,
        "organization_id": "", "secretary": "王芳", "members": "3", "founded_on": "2024-04-01",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post("/committees/party/cross-offices/new/", {
        "name": "赵敏", "home": "community", "home_post": "社区党委书记", "serves": "committee",
        "serves_post": "业委会副主任", "committee_id": committee.pk, "organization_id": "", "since": "2024-03-15",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get("/committees/party/").content.decode()
    assert "甲一花园业委会党小组" in page and "社区党委书记" in page and "业委会副主任" in page
    response = client.post("/committees/party/new/", {
        "kind": "branch", "name": "党支部", "host": "company", "committee_id": "", "organization_id": "",
        "secretary": "李强", "members": "5", "founded_on": "2024-04-01",
    })  # fmt: skip
    assert response.status_code == 400 and "请选择物业企业" in response.content.decode()


def test_editing_keeps_the_version(world, town, client):
    worker = world.users["community_worker"]
    committee = form(worker, town["in"])
    services.committee_update(
        user=worker, committee_id=committee.pk, version=1, members=members(town["in"].owners, 7), filed_on=None,
        filing_number="",
    )  # fmt: skip
    client.force_login(worker)
    data = {"version": 1, "filed_on": "2024-04-01", "filing_number": "甲备03", **_members_post(town["in"].owners)}
    response = client.post(f"/committees/{committee.pk}/edit/", data)
    assert response.status_code == 400 and "数据已被他人修改" in response.content.decode()
    response = client.post(f"/committees/{committee.pk}/edit/", data | {"version": 2})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.filing_number == "甲备03"


@pytest.mark.parametrize("user", ["grid_worker", "dept_handler", "company_staff"])
def test_those_without_the_record_get_403(world, town, client, user):
    client.force_login(world.users[user])
    for url in (
        "/committees/",
        "/committees/party/",
        "/committees/new/",
        f"/committees/estates/{town['in'].estate.pk}/",
    ):
        assert client.get(url).status_code == 403, url


def test_the_street_cannot_open_the_forms(world, client):
    client.force_login(world.users["street_staff"])
    assert client.get("/committees/new/").status_code == 403
    assert client.get("/committees/party/new/").status_code == 403
