"""Authorization matrix of 覆盖核查: /api/v1/surveys/coverage and the pages under /surveys/coverage/.

Personas (linli.testing.factories): in scope = the census of street A (tests/town.py); out of scope = the census
of street B. Those who run a survey (roles.SURVEYS RUN_SURVEYS, the survey's region under their office) review its
lists: administrator, district and street A staff; the communities see the census (VIEW_SURVEYS) but do not run it
(403); grid workers, departments and companies do not see it (404)."""

from dataclasses import dataclass

import pytest
from django.test import Client

from linli.surveys.coverage import rules, services
from linli.surveys.models import Finding
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, expected, matrix_cases, uncovered
from linli.testing.factories import PERSONAS

from .town import census_b, enumerate_town, town


@dataclass
class Ctx:
    survey: int
    finding: int  # a pending finding whose correction sets a person's 人口类型
    version: int


RUN = "200 200 200 403 403 404 404 404"
RUN_OUT = "200 200 404 404 404 404 404 404"

# fmt: off
ENDPOINTS = [
    #                                                                   adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/surveys/coverage/{survey}/findings",             RUN, out_of_scope=RUN_OUT),
    Endpoint("GET",  "/surveys/coverage/{survey}/counts",               RUN, out_of_scope=RUN_OUT),
    Endpoint("POST", "/surveys/coverage/{survey}/compute",              RUN, out_of_scope=RUN_OUT),
    Endpoint("POST", "/surveys/coverage/{survey}/findings/{finding}/apply", RUN, out_of_scope=RUN_OUT,
             body=lambda c: {"version": c.version}),
    Endpoint("POST", "/surveys/coverage/{survey}/findings/{finding}/dismiss", RUN, out_of_scope=RUN_OUT,
             body=lambda c: {"version": c.version, "reason": "普查员漏查，已补登"}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def contexts(world):
    t = town(world)
    enumerate_town(t)
    other = census_b(world, t)
    admin = world.users["admin"]
    contexts = {}
    for scope, survey in (("in", t.survey), ("out", other)):
        services.findings_compute(user=admin, survey_id=survey.pk)
        finding = Finding.objects.filter(survey=survey, change__action=rules.SET_RESIDENCE).first()
        contexts[scope] = Ctx(survey.pk, finding.pk, finding.version)
    return contexts


def test_each_persona_gets_what_the_table_says(world, contexts):
    got, table = answers(world.users, CASES, contexts)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, contexts):
    assert {str(e): anonymous_status(e, contexts["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/surveys/coverage") == (set(), set())


def test_a_list_holds_only_its_surveys_findings(world, contexts):
    items = ApiClient(world.users["district_staff"]).get(f"/surveys/coverage/{contexts['out'].survey}/findings").json()
    assert [(i["kind"], i["person_name"], i["data"]["name"]) for i in items["items"]] == [
        (rules.SEPARATED, "乙街人", "乙街人")
    ]


# ---------------------------------------------------------------- pages: the same check as the API


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_answers_each_persona_as_the_api_does(world, contexts):
    got = {}
    for scope, ctx in contexts.items():
        for role in PERSONAS:
            got[scope, role] = _client(world.users[role]).get(f"/surveys/coverage/{ctx.survey}/").status_code
    assert got == {**{("in", r): s for r, s in expected(RUN).items()},
                   **{("out", r): s for r, s in expected(RUN_OUT).items()}}  # fmt: skip


def test_page_actions_are_refused_to_those_who_do_not_run_the_survey(world, contexts):
    ctx = contexts["in"]
    base = f"/surveys/coverage/{ctx.survey}"
    for role, status in (("community_worker", 403), ("grid_worker", 404)):
        client = _client(world.users[role])
        assert client.post(f"{base}/compute/").status_code == status
        assert client.post(f"{base}/findings/{ctx.finding}/apply/", {"version": ctx.version}).status_code == status
        dismissed = client.post(f"{base}/findings/{ctx.finding}/dismiss/", {"version": ctx.version, "reason": "无需"})
        assert dismissed.status_code == status
    assert Finding.objects.get(pk=ctx.finding).state == rules.PENDING
