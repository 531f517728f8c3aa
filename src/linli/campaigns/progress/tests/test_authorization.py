"""Authorization matrix of /api/v1/campaign-progress: every endpoint × every persona, on the plan of street 甲 (in
scope) and on the plan of street 乙 (out of scope) of progress_support.

Read a row as what each persona gets back. Who sees street 甲's plan: admin, district staff (above it), everyone in
street 甲 (street staff, both community workers, the grid worker), and the department named on it as 牵头单位; the
property company (serving the district, named on nothing) does not. Only the unit's own users report for it (甲一:
community_worker); plan editors (admin, district staff, street 甲's staff) keep the late list and send notices.
Each persona's call runs in a savepoint that is rolled back, so every persona meets the same data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from linli.accounts.models import ApiToken
from linli.api import api
from linli.campaigns.models import Notice
from linli.testing import factories
from linli.testing.apiclient import API, ApiClient

from .support import APR, MAR, NOW, at, campaign, report, seed_reports

ROLES = factories.PERSONAS
PREFIX = "/campaign-progress"


@dataclass
class Scope:
    plan: int
    task: int
    task_unit: int
    report: int  # this month's, still open to correction, with an attachment
    notice: int  # a 督办 to the task unit


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # placeholders: {plan} {task} {task_unit} {report} {notice}
    in_scope: str
    out_of_scope: str | None = None
    body: Callable[[Scope], dict] | None = None
    form: bool = False  # multipart/form-data

    def path(self, s: Scope) -> str:
        return PREFIX + self.url.format(
            plan=s.plan, task=s.task, task_unit=s.task_unit, report=s.report, notice=s.notice
        )

    def __str__(self):
        return f"{self.method} {self.url}"


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
    Endpoint("GET",   "/mine",                                 ALL_200),
    Endpoint("GET",   "/notices",                              ALL_200),
    Endpoint("POST",  "/notices/{notice}/read",                "404 404 404 200 404 404 404 404",
                                                  out_of_scope="404 404 404 404 404 404 404 404"),
    Endpoint("POST",  "/reports",                              "403 403 403 201 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=new_report),
    Endpoint("POST",  "/reports/form",                         "403 403 403 201 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=new_report,
             form=True),
    Endpoint("GET",   "/reports/{report}",                     SEES, out_of_scope=ADMINS),
    Endpoint("PATCH", "/reports/{report}",                     "403 403 403 200 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=correction),
    Endpoint("POST",  "/reports/{report}/form",                "403 403 403 200 403 403 403 404",
                                                  out_of_scope="403 403 404 404 404 404 404 404", body=correction,
             form=True),
    Endpoint("GET",   "/reports/{report}/attachment",          SEES, out_of_scope=ADMINS),
    Endpoint("GET",   "/tasks/{task}/reports",                 SEES, out_of_scope=ADMINS),
    Endpoint("GET",   "/plans/{plan}/matrix",                  SEES, out_of_scope=ADMINS),
    Endpoint("GET",   "/plans/{plan}/late",                    "200 200 200 403 403 403 403 404", out_of_scope=ADMINS),
    Endpoint("POST",  "/plans/{plan}/notices",                 "201 201 201 403 403 403 403 404",
                                                  out_of_scope="201 201 404 404 404 404 404 404",
             body=lambda s: {"kind": "circular", "period": "2026-03-01"}),
]
# fmt: on

CASES = [(e, "in") for e in ENDPOINTS] + [(e, "out") for e in ENDPOINTS if e.out_of_scope]


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


def call(user, endpoint: Endpoint, scope: Scope):
    if not endpoint.form:
        return ApiClient(user).request(
            endpoint.method, endpoint.path(scope), endpoint.body(scope) if endpoint.body else None
        )
    token = ApiToken.issue(user, timedelta(hours=1))
    client = Client(headers={"Authorization": f"Bearer {token}"})
    return client.post(API + endpoint.path(scope), endpoint.body(scope))


@pytest.mark.parametrize("endpoint, scope", CASES, ids=[f"{e}-{s}" for e, s in CASES])
def test_each_persona_gets_what_the_table_says(world, scopes, endpoint, scope):
    expected = endpoint.in_scope if scope == "in" else endpoint.out_of_scope
    got = {}
    for role in ROLES:
        with transaction.atomic():
            response = call(world.users[role], endpoint, scopes[scope])
            transaction.set_rollback(True)
        got[role] = response.status_code
    assert got == dict(zip(ROLES, map(int, expected.split()), strict=True))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, scopes, endpoint):
    s = scopes["in"]
    if endpoint.form:
        response = Client().post(API + endpoint.path(s), endpoint.body(s))
    else:
        response = ApiClient().request(endpoint.method, endpoint.path(s), endpoint.body(s) if endpoint.body else None)
    assert response.status_code == 401


def test_the_table_covers_every_endpoint():
    import re

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", path)

    prefix = API + PREFIX
    served = {
        (method.upper(), shape(path))
        for path, operations in api.get_openapi_schema()["paths"].items()
        if path.startswith(prefix)
        for method in operations
    }
    tabled = {(e.method, shape(prefix + e.url)) for e in ENDPOINTS}
    assert served == tabled
