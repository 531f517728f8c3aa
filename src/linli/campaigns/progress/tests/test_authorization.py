"""Authorization matrix of /api/v1/campaign-progress: every endpoint × every persona, on the plan of street 甲 (in
scope) and on the plan of street 乙 (out of scope) of tests/support.py.

Read a row as what each persona gets back. Who sees street 甲's plan: admin, district staff (above it), everyone in
street 甲 (street staff, both community workers, the grid worker), and the department named on it as 牵头单位; the
property company (serving the district, named on nothing) does not. Only the unit's own users report for it (甲一:
community_worker); plan editors (admin, district staff, street 甲's staff) keep the late list and send notices.
A report's text and 佐证材料 are read by fewer (rules.may_read_report): 甲一 itself, the issuing office (street 甲)
and those above it, the task's lead department; community 甲二 and the grid below 甲一 get 404 as for a missing
report, and a task's report list holds only what the persona may read (test_visibility.py shows which rows).
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from linli.campaigns.models import Notice
from linli.testing.apiclient import ApiClient
from linli.testing.authz import (
    PERSONAS,
    Endpoint,
    anonymous_status,
    answers,
    matrix_cases,
    read_status,
    uncovered,
)

from .support import APR, MAR, at, report

P = "/campaign-progress"


@dataclass
class Scope:
    plan: int
    task: int
    task_unit: int
    report: int  # this month's, still open to correction, with an attachment
    notice: int  # a 督办 to the task unit


def new_report(s: Scope) -> dict:
    return {"task_unit_id": s.task_unit, "period": "2026-03-01", "progress": 50, "content": "补报三月进展"}


def correction(s: Scope) -> dict:
    return {"version": 1, "progress": 65, "content": "更正：完成4个小区"}


ALL_200 = "200 200 200 200 200 200 200 200"
SEES = "200 200 200 200 200 200 200 404"
READS = "200 200 200 200 404 404 200 404"  # a report's text and file: 甲一, its issuing office and above, the lead
ADMINS = "200 200 404 404 404 404 404 404"
# fmt: off
ENDPOINTS = [
    #                                                          adm dis str cw  cw2 grd dep com
    Endpoint("GET",   P + "/mine",                             ALL_200),
    Endpoint("GET",   P + "/notices",                          ALL_200),
    Endpoint("POST",  P + "/notices/{notice}/read",            "404 404 404 200 404 404 404 404",
                                                  out_of_scope="404 404 404 404 404 404 404 404"),
    Endpoint("POST",  P + "/reports",                          "403 403 403 201 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=new_report),
    Endpoint("POST",  P + "/reports/form",                     "403 403 403 201 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=new_report,
             form=True),
    Endpoint("GET",   P + "/reports/{report}",                 READS, out_of_scope=ADMINS),
    Endpoint("PATCH", P + "/reports/{report}",                 "403 403 403 200 404 404 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=correction),
    Endpoint("POST",  P + "/reports/{report}/form",            "403 403 403 200 404 404 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=correction,
             form=True),
    Endpoint("GET",   P + "/reports/{report}/attachment",      READS, out_of_scope=ADMINS),
    Endpoint("GET",   P + "/tasks/{task}/reports",             SEES, out_of_scope=ADMINS),
    Endpoint("GET",   P + "/plans/{plan}/matrix",              SEES, out_of_scope=ADMINS),
    Endpoint("GET",   P + "/plans/{plan}/late",                "200 200 200 403 403 403 403 404", out_of_scope=ADMINS),
    Endpoint("POST",  P + "/plans/{plan}/notices",             "201 201 201 403 403 403 403 404",
                                                  out_of_scope="201 201 404 404 404 404 404 404",
             body=lambda s: {"kind": "circular", "period": "2026-03-01"}),
]
# fmt: on

CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def scopes(world, c):
    out = {}
    for key, tu, user in (("in", c.a1, "community_worker"), ("out", c.other_b1, "admin")):
        r = report(tu, APR, at(4, 8), 60, world.users[user])
        r.attachment.save("总结.pdf", ContentFile(b"%PDF-1.4 test"))
        plan = tu.task.plan
        n = Notice.objects.create(plan=plan, kind="supervise", task_unit=tu, period=MAR, text="请补报",
                                  issued_by=world.users["admin"], issued_at=at(4, 2))  # fmt: skip
        out[key] = Scope(plan.pk, tu.task_id, tu.pk, r.pk, n.pk)
    return out


def test_each_persona_gets_what_the_table_says(world, scopes):
    got, table = answers(world.users, CASES, scopes)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, scopes, endpoint):
    assert anonymous_status(endpoint, scopes["in"]) == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, P) == (set(), set())


# ---------------------------------------------------------------- the page serving a report's file answers alike


@pytest.mark.parametrize("scope", ["in", "out"])
def test_the_attachment_page_answers_as_its_endpoint(client, world, scopes, scope):
    report = scopes[scope].report
    got = {}
    for role in PERSONAS:
        client.force_login(world.users[role])
        shown = read_status(client.get(reverse("progress:attachment", args=[report])))
        answered = read_status(ApiClient(world.users[role]).get(f"{P}/reports/{report}/attachment"))
        assert shown == answered, role
        got[role] = shown
    assert got == matrix_row(P + "/reports/{report}/attachment").expected(scope)


def test_without_login_the_attachment_page_sends_to_the_login_page(client, world, scopes):
    response = client.get(reverse("progress:attachment", args=[scopes["in"].report]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def matrix_row(url: str) -> Endpoint:
    return next(e for e in ENDPOINTS if e.method == "GET" and e.url == url)
