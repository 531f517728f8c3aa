"""Plan API: behaviour, and the authorization matrix — every endpoint × persona × plan in/out of their scope.

The plans: "in" = street 甲's plan (visible to street 甲's people, the district, admin, and to the department named on
one of its tasks); "out" = street 乙's plan (admin, district_staff only). Writers: admin, district_staff, and
street_staff for street 甲. Each persona's call runs in a rolled-back savepoint so all meet the same data.
"""

import json
from dataclasses import dataclass
from datetime import date

import pytest

from linli.campaigns.models import Plan, Task
from linli.campaigns.plans import services
from linli.organizations.models import Organization
from linli.testing.apiclient import ApiClient, field_errors
from linli.testing.authz import Endpoint, answers, matrix_cases, uncovered

from .conftest import plan_data


@pytest.fixture
def plans(world):
    staff = world.users["district_staff"]
    dept = Organization.objects.get(name="区城市管理综合执法局")
    out = {}
    for key, street, community in (
        ("in", world.street_a, world.community_a1),
        ("out", world.street_b, world.community_b1),
    ):
        plan = services.plan_create(user=staff, data=plan_data(street))
        units = {"responsible_units": [f"region:{community.pk}"]}
        if key == "in":
            units["lead_units"] = [f"org:{dept.pk}"]
        task = services.task_create(user=staff, plan=plan, data={"title": "排查", **units})
        out[key] = Scope(Plan.objects.get(pk=plan.pk), task)
    return out


@dataclass
class Scope:
    plan: Plan
    task: Task

    def url_values(self) -> dict:
        target = self.plan.targets.get(measure="reported")
        return {"plan": self.plan.pk, "task": self.task.pk, "target": target.pk, "version": self.task.version}


def jsonable(data: dict) -> dict:
    """plan_data as JSON: Decimal values as strings."""
    return json.loads(json.dumps(data, default=str))


def _new_plan(s: Scope) -> dict:
    return jsonable(plan_data(s.plan.region) | {"issued_on": "2026-01-10", "phases": [], "targets": []})


SEES = "200 200 200 200 200 200 200 404"
ADMINS = "200 200 404 404 404 404 404 404"
EDITORS = "200 200 200 403 403 403 403 404"
# fmt: off
ENDPOINTS = [
    #                                                                     adm dis str cw  cw2 grd dep com
    Endpoint("GET",    "/campaigns/plans",                                 "200 200 200 200 200 200 200 200"),
    Endpoint("POST",   "/campaigns/plans",                                 "201 201 201 403 403 403 403 403",
             body=_new_plan),
    Endpoint("GET",    "/campaigns/plans/{plan}",                          SEES, ADMINS),
    Endpoint("PATCH",  "/campaigns/plans/{plan}",                          EDITORS, ADMINS,
             body=lambda s: {"version": s.plan.version, "scope": "全街道"}),
    Endpoint("POST",   "/campaigns/plans/{plan}/issue",                    EDITORS, ADMINS,
             body=lambda s: {"version": s.plan.version}),
    Endpoint("POST",   "/campaigns/plans/{plan}/finish",                   "400 400 400 403 403 403 403 404",
             "400 400 404 404 404 404 404 404", body=lambda s: {"version": s.plan.version}),
    Endpoint("GET",    "/campaigns/plans/{plan}/dashboard",                SEES, ADMINS),
    Endpoint("GET",    "/campaigns/plans/{plan}/targets",                  SEES, ADMINS),
    Endpoint("POST",   "/campaigns/plans/{plan}/targets/{target}/report",  EDITORS, ADMINS,
             body=lambda s: {"version": s.plan.version, "value": 75}),
    Endpoint("GET",    "/campaigns/plans/{plan}/tasks",                    SEES, ADMINS),
    Endpoint("POST",   "/campaigns/plans/{plan}/tasks",                    "201 201 201 403 403 403 403 404",
             "201 201 404 404 404 404 404 404", body=lambda s: {"title": "新任务", "parent_id": s.task.pk}),
    Endpoint("PATCH",  "/campaigns/plans/{plan}/tasks/{task}",             EDITORS, ADMINS,
             body=lambda s: {"version": s.task.version, "title": "改"}),
    Endpoint("POST",   "/campaigns/plans/{plan}/tasks/{task}/move",        "400 400 400 403 403 403 403 404",
             "400 400 404 404 404 404 404 404", body=lambda s: {"version": s.task.version, "direction": "up"}),
    Endpoint("DELETE", "/campaigns/plans/{plan}/tasks/{task}?version={version}", "204 204 204 403 403 403 403 404",
             "204 204 404 404 404 404 404 404"),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(world, plans):
    got, table = answers(world.users, CASES, plans)
    assert got == table


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/campaigns") == (set(), set())


def test_anonymous_is_401(world, plans):
    assert ApiClient().get("/campaigns/plans").status_code == 401


def test_list_is_scoped(world, plans):
    titles = lambda role: [p["id"] for p in ApiClient(world.users[role]).get("/campaigns/plans").json()["items"]]  # noqa: E731
    assert titles("community_worker") == [plans["in"].plan.pk]
    assert set(titles("district_staff")) == {plans["in"].plan.pk, plans["out"].plan.pk}
    assert titles("company_staff") == []


def test_create_bad_rows_are_400_with_field_and_row(world):
    client = ApiClient(world.users["street_staff"])
    body = plan_data(world.street_a, issued_on="2026-01-10", phases=[{"name": "排查", "starts_on": "2026-05-01",
                                                                     "ends_on": "2026-04-01"}])  # fmt: skip
    body["targets"][0]["value"] = "300"
    response = client.post("/campaigns/plans", jsonable(body))
    assert response.status_code == 400
    errors = {(e["field"], e.get("row")) for e in response.json()["errors"]}
    assert errors == {("targets.value", 1), ("phases.ends_on", 1)}
    assert not Plan.objects.exists()


def test_detail_measures_targets_and_stale_version_is_409(world, plans):
    from linli.people.models import Estate

    plan, task = plans["in"].plan, plans["in"].task
    company = Organization.objects.get(name="安居物业")
    Estate.objects.create(
        region=world.community_a1, name="阳光小区", property_company=company, management=Estate.Management.PROFESSIONAL
    )
    Estate.objects.create(region=world.community_a2, name="自管小区")
    Estate.objects.create(region=world.community_b1, name="别街小区")  # outside the plan's region
    client = ApiClient(world.users["street_staff"])
    detail = client.get(f"/campaigns/plans/{plan.pk}").json()
    rate = next(t for t in detail["targets"] if t["measure"] == "property_rate")
    assert rate["actual"] == "50.0" and rate["met"] is False and rate["label"] == "物业化率≥100%"
    reported = next(t for t in detail["targets"] if t["measure"] == "reported")
    assert reported["actual"] is None and reported["met"] is None
    response = client.patch(f"/campaigns/plans/{plan.pk}", {"version": plan.version + 5, "title": "x"})
    assert response.status_code == 409
    response = client.patch(f"/campaigns/plans/{plan.pk}/tasks/{task.pk}", {"version": task.version,
                                                                            "due_on": "2030-01-01"})  # fmt: skip
    assert response.status_code == 400 and "due_on" in field_errors(response)


def test_task_tree_json(world, plans):
    plan, task = plans["in"].plan, plans["in"].task
    client = ApiClient(world.users["district_staff"])
    child = client.post(f"/campaigns/plans/{plan.pk}/tasks", {"title": "子任务", "parent_id": task.pk,
                        "due_on": "2026-06-30", "responsible_units": [f"region:{world.community_a2.pk}"]})  # fmt: skip
    assert child.status_code == 201 and child.json()["number"] == "1.1"
    tree = client.get(f"/campaigns/plans/{plan.pk}/tasks").json()
    assert tree[0]["title"] == "排查" and tree[0]["children"][0]["units"][0]["name"] == "甲二社区"
    assert Task.objects.get(pk=child.json()["id"]).due_on == date(2026, 6, 30)


def test_dashboard_json(world, plans):
    plan = plans["in"].plan
    body = ApiClient(world.users["street_staff"]).get(f"/campaigns/plans/{plan.pk}/dashboard").json()
    assert [(t["number"], t["title"], t["completion"]) for t in body["tasks"]] == [("1", "排查", "0.0")]
    assert [(u["name"], u["tasks"]) for u in body["units"]] == [("甲一社区", 1)]
    assert [p["name"] for p in body["phases"]] == ["排查阶段", "整改完善阶段", "验收阶段"]


def test_case_rate_targets_are_measured_from_the_case_indicators(world, plans):
    """结案率 of the events received in the plan's region during its period (the plan page answered 500 here)."""
    from linli.campaigns.models import Target
    from linli.testing import factories

    plan = plans["in"].plan
    Target.objects.create(plan=plan, indicator="结案率", value=90, measure="case_close_rate")
    factories.install_case_catalogue(world)
    factories.case(world.grid_a1)
    detail = ApiClient(world.users["street_staff"]).get(f"/campaigns/plans/{plan.pk}").json()
    rate = next(t for t in detail["targets"] if t["measure"] == "case_close_rate")
    assert (rate["label"], rate["actual"], rate["met"]) == ("结案率≥90%", "0.0", False)  # one case, still open
