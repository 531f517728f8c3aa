"""/api/v1/campaign-documents: the authorization matrix (a street 甲 plan in scope, a street 乙 plan out of scope),
and what the downloads and the import answer."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from linli.campaigns.models import Task
from linli.testing.apiclient import API, ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

from .factory import seed_plan
from .test_xlsx import xlsx

P = "/campaign-documents"


def _import(ctx) -> dict:
    return {"mode": "append", "file": xlsx([["（一）", "清理楼道堆物"]])}


# Street 甲's plan is seen by the district, everyone in street 甲 and the department named on it (牵头单位); street
# 乙's by the district and that department. Its editors (the district, street 甲's office) import.
# fmt: off
ENDPOINTS = [
    #                                                      adm dis str cw  cw2 grd dep com
    Endpoint("GET",  P + "/plans/{plan}/plan.docx",        "200 200 200 200 200 200 200 404",
             out_of_scope="200 200 404 404 404 404 200 404"),
    Endpoint("GET",  P + "/plans/{plan}/tasks.xlsx",       "200 200 200 200 200 200 200 404",
             out_of_scope="200 200 404 404 404 404 200 404"),
    Endpoint("POST", P + "/plans/{plan}/tasks/import",     "201 201 201 403 403 403 403 404",
             out_of_scope="201 201 404 404 404 404 403 404", body=_import, form=True),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def plans(world):
    return {
        "in": {"plan": seed_plan(world, region=world.street_a).pk},
        "out": {"plan": seed_plan(world, region=world.street_b, title="乙街道物业管理工作方案").pk},
    }


def test_each_persona_gets_what_the_table_says(world, plans):
    got, table = answers(world.users, CASES, plans)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, plans, endpoint):
    assert anonymous_status(endpoint, plans["in"]) == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, P) == (set(), set())


def test_downloads_are_the_documents_of_the_plan(world, plans):
    client = ApiClient(world.users["street_staff"])
    docx = client.get(f"{P}/plans/{plans['in']['plan']}/plan.docx")
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    assert any("物业管理" in p.text for p in Document(BytesIO(docx.content)).paragraphs)
    table = client.get(f"{P}/plans/{plans['in']['plan']}/tasks.xlsx")
    assert load_workbook(BytesIO(table.content)).sheetnames[0] == "任务分解表"


def test_an_import_adds_the_tasks_or_names_every_problem(world, plans):
    client = ApiClient(world.users["street_staff"]).client
    url = f"{API}{P}/plans/{plans['in']['plan']}/tasks/import"
    before = Task.objects.count()
    ok = client.post(url, {"mode": "append", "file": xlsx([["（一）", "清理楼道堆物"], ["1.", "张贴通告"]])})
    assert ok.status_code == 201 and ok.json() == {"created": 2, "removed": 0, "units": 0}
    assert Task.objects.count() == before + 2
    bad = client.post(url, {"mode": "append", "file": xlsx([["（一）", ""]])})
    assert bad.status_code == 400 and [e["field"] for e in bad.json()["errors"]] == ["title"]
    assert Task.objects.count() == before + 2
