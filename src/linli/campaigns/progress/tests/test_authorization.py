"""Authorization matrix of /api/v1/campaign-progress: every endpoint × every persona, on the plan of street 甲 (in
scope) and on the plan of street 乙 (out of scope) of tests/support.py.

Read a row as what each persona gets back. Who sees street 甲's plan: admin, district staff (above it), everyone in
street 甲 (street staff, both community workers, the grid worker), and the department named on it as 牵头单位; the
property company (serving the district, named on nothing) does not. Only the unit's own users report for it (甲一:
community_worker); plan editors (admin, district staff, street 甲's staff) keep the late list and send notices.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from linli.campaigns.models import Notice
from linli.testing.authz import Endpoint, anonymous_status, case_ids, matrix_cases, statuses, uncovered

from .support import APR, MAR, NOW, at, campaign, report, seed_reports

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
    Endpoint("GET",   P + "/reports/{report}",                 SEES, out_of_scope=ADMINS),
    Endpoint("PATCH", P + "/reports/{report}",                 "403 403 403 200 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=correction),
    Endpoint("POST",  P + "/reports/{report}/form",            "403 403 403 200 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=correction,
             form=True),
    Endpoint("GET",   P + "/reports/{report}/attachment",      SEES, out_of_scope=ADMINS),
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
def scopes(world, monkeypatch, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    c = campaign(world)
    seed_reports(world, c)
    out = {}
    for key, tu, user in (("in", c.a1, "community_worker"), ("out", c.other_b1, "admin")):
        r = report(tu, APR, at(4, 8), 60, world.users[user])
        r.attachment.save("总结.pdf", ContentFile(b"%PDF-1.4 test"))
        plan = tu.task.plan
        n = Notice.objects.create(plan=plan, kind="supervise", task_unit=tu, period=MAR, text="请补报",
                                  issued_by=world.users["admin"], issued_at=at(4, 2))  # fmt: skip
        out[key] = Scope(plan.pk, tu.task_id, tu.pk, r.pk, n.pk)
    return out


@pytest.mark.parametrize("endpoint, scope", CASES, ids=case_ids(CASES))
def test_each_persona_gets_what_the_table_says(world, scopes, endpoint, scope):
    assert statuses(world.users, endpoint, scopes[scope]) == endpoint.expected(scope)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, scopes, endpoint):
    assert anonymous_status(endpoint, scopes["in"]) == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, P) == (set(), set())
