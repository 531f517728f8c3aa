"""Authorization matrix of /api/v1/property and the API's answers.

Personas (linli.testing.factories): in scope = 安居物业, registered at the district
(every office of the district sees it; its own staff see their file), and 锦绣家园
in 甲一社区; out of scope = 乙街物业, registered in 乙街道, and 乙一花园 in 乙一社区.
The district's housing authority (district staff, and the administrator) writes;
streets and communities read; grid workers and departments get 403; a company
reads its own file only. The ranking is public.
"""

from dataclasses import dataclass

import pytest

from linli.property import services
from linli.testing.apiclient import ApiClient
from linli.testing.authz import (
    Endpoint,
    anonymous_status,
    answers,
    matrix_cases,
    uncovered,
)

pytestmark = pytest.mark.django_db


@dataclass
class Ctx:
    company: int
    estate: int
    estate_version: int
    record: int


READERS = "200 200 200 200 200 403 403 200"
READ_ONE = "200 200 200 200 200 403 403 200"
READ_OTHER = "200 200 404 404 404 403 403 404"
WRITE = "200 200 403 403 403 403 403 403"
CREATE = "201 201 403 403 403 403 403 403"
EVERYONE = "200 200 200 200 200 200 200 200"


def manager(c) -> dict:
    return {"name": "王强", "certificate_kind": "物业管理企业经理岗位证书", "certificate_number": f"WY-{c.company}",
            "certificate_valid_until": "2027-06-30"}  # fmt: skip


def project(c) -> dict:
    return {"estate_id": c.estate, "estate_version": c.estate_version, "contract_start": "2026-07-01",
            "fee": "1.10", "selection": "agreement", "approval": "区房产局批复"}  # fmt: skip


def record(c) -> dict:
    return {"year": 2026, "item": "G02", "evidence": "获区级物业服务示范项目表彰"}


def profile(c) -> dict:
    return {"version": None, "legal_representative": "张伟", "qualification": "none", "contact_phone": "13912345678",
            "address": "青年大街1号"}  # fmt: skip


# fmt: off
ENDPOINTS = [
    #                                                             adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/property/companies",                      READERS),
    Endpoint("GET",  "/property/companies/{company}",            READ_ONE, out_of_scope=READ_OTHER),
    Endpoint("PUT",  "/property/companies/{company}/profile",    WRITE, out_of_scope=WRITE, body=profile),
    Endpoint("POST", "/property/companies/{company}/managers",   CREATE, out_of_scope=CREATE, body=manager),
    Endpoint("POST", "/property/companies/{company}/projects",   CREATE, out_of_scope=CREATE, body=project),
    Endpoint("GET",  "/property/companies/{company}/records",    READ_ONE, out_of_scope=READ_OTHER),
    Endpoint("POST", "/property/companies/{company}/records",    CREATE, out_of_scope=CREATE, body=record),
    Endpoint("POST", "/property/records/{record}/void",          WRITE, out_of_scope=WRITE,
             body=lambda c: {"version": 1, "reason": "登记错误"}),
    Endpoint("GET",  "/property/estates",                        "200 200 200 200 200 403 403 403"),
    Endpoint("POST", "/property/estates/{estate}/management",    WRITE, out_of_scope=WRITE,
             body=lambda c: {"version": c.estate_version, "management": "none"}),
    Endpoint("GET",  "/property/ranking",                        EVERYONE),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def ctx(p):
    staff = p.world.users["district_staff"]
    made = {}
    for scope, company, estate in (("in", p.company, p.a1), ("out", p.other, p.b1)):
        rec = services.credit_record(user=staff, company_id=company.pk, year=2026, item="B02", evidence="未公示收费")
        estate.refresh_from_db()
        made[scope] = Ctx(company.pk, estate.pk, estate.version, rec.pk)
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_without_credentials_only_the_ranking_answers(ctx):
    got = {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS}
    assert got == {str(e): 200 if e.url == "/property/ranking" else 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/property") == (set(), set())


# ---------------------------------------------------------------- answers


def test_the_list_shows_scores_and_filters_by_grade(p, ctx):
    client = ApiClient(p.world.users["district_staff"])
    rows = {r["name"]: r for r in client.get("/property/companies?year=2026").json()["items"]}
    assert rows["安居物业"] | {"id": 0} == {"id": 0, "name": "安居物业", "credit_code": "", "estates_count": 1,
                                            "score": "78.0", "grade": "A"}  # fmt: skip
    assert [r["name"] for r in client.get("/property/companies?year=2026&grade=A").json()["items"]] == [
        "乙街物业",
        "安居物业",
    ]
    assert client.get("/property/companies?year=2026&grade=AA").json()["items"] == []
    assert client.get("/property/companies?year=2025&grade=AA").json()["count"] == 2


def test_the_company_sees_its_own_file_and_the_public_sees_name_score_grade(p, ctx):
    file = ApiClient(p.world.users["company_staff"]).get(f"/property/companies/{p.company.pk}").json()
    assert file["name"] == "安居物业" and [s["grade"] for s in file["scores"] if s["year"] == 2026] == ["A"]
    assert file["projects"][0]["estate_name"] == "锦绣家园" and file["projects"][0]["preliminary"] is True
    ranking = ApiClient(None).get("/property/ranking?year=2026").json()
    assert {tuple(r) for r in ranking} == {("name", "score", "grade")}


def test_the_tender_rule_answers_400_naming_the_field(p, ctx):
    client = ApiClient(p.world.users["district_staff"])
    body = {"estate_id": p.b1.pk, "estate_version": p.b1.version, "contract_start": "2026-07-01", "fee": "1.10",
            "selection": "agreement", "area": "50000.01", "approval": "批复"}  # fmt: skip
    response = client.post(f"/property/companies/{p.company.pk}/projects", body)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "selection", "message": "建筑面积50,000.01㎡，达到50,000㎡，前期物业须公开招标"}
    ]
    stale = client.post(f"/property/estates/{p.b1.pk}/management", {"version": 99, "management": "self"})
    assert stale.status_code == 409


def test_records_list_by_year(p, ctx):
    client = ApiClient(p.world.users["district_staff"])
    items = client.get(f"/property/companies/{p.company.pk}/records?year=2026").json()["items"]
    assert [(r["item"], r["points"], r["case_number"]) for r in items] == [("B02", "2.0", None)]
    assert client.get(f"/property/companies/{p.company.pk}/records?year=2025").json()["items"] == []
