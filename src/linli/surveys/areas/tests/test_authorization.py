"""Authorization matrix of /api/v1/surveys/areas.

In scope: street 甲's census (tests/place.py), its first area in 甲一社区, the grid worker assigned to it as its
enumerator; out of scope: a census of street 乙 with an area in 乙一社区. Those who run a survey (RUN_SURVEYS over its
region: admin, district, street 甲) edit areas; community workers read the street's census (VIEW_SURVEYS) and get 403
on edits; the grid worker sees the survey through its assignment only; departments and companies see nothing (404).
"""

from dataclasses import dataclass

import pytest

from linli.accounts.models import Role
from linli.campaigns.models import Plan
from linli.surveys.areas import services
from linli.surveys.models import Survey
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

from .place import census


@dataclass
class Ctx:
    survey: int
    area: int
    community: int
    building: int  # of the area's community, held by another area
    own: int  # a building of the area
    enumerator: int  # assigned to the area
    eligible: int  # may be assigned to it


READERS = "200 200 200 200 200 200 404 404"
RUNNERS = "200 200 200 403 403 403 404 404"
OUT = "200 200 404 404 404 404 404 404"
# fmt: off
ENDPOINTS = [
    #                                                                    adm dis str cw  cw2 grd dep com
    Endpoint("GET",    "/surveys/areas/{survey}",                         READERS, out_of_scope=OUT),
    Endpoint("GET",    "/surveys/areas/{survey}/map",                     READERS, out_of_scope=OUT),
    Endpoint("POST",   "/surveys/areas/{survey}/propose",                 RUNNERS, out_of_scope=OUT),
    Endpoint("POST",   "/surveys/areas/{survey}",                         "201 201 201 403 403 403 404 404",
             out_of_scope="201 201 404 404 404 404 404 404", body=lambda c: {"community_id": c.community}),
    Endpoint("PUT",    "/surveys/areas/{survey}/{area}",                  RUNNERS, out_of_scope=OUT,
             body=lambda c: {"name": "北区", "version": 1}),
    Endpoint("DELETE", "/surveys/areas/{survey}/{area}?version=1",        "204 204 204 403 403 403 404 404",
             out_of_scope="204 204 404 404 404 404 404 404"),
    Endpoint("POST",   "/surveys/areas/{survey}/{area}/buildings",        RUNNERS, out_of_scope=OUT,
             body=lambda c: {"building_id": c.building, "version": 1}),
    Endpoint("DELETE", "/surveys/areas/{survey}/{area}/buildings/{own}?version=1", RUNNERS, out_of_scope=OUT),
    Endpoint("GET",    "/surveys/areas/{survey}/{area}/candidates",       RUNNERS, out_of_scope=OUT),
    Endpoint("POST",   "/surveys/areas/{survey}/{area}/enumerators",      "201 201 201 403 403 403 404 404",
             out_of_scope="201 201 404 404 404 404 404 404", body=lambda c: {"user_id": c.eligible}),
    Endpoint("DELETE", "/surveys/areas/{survey}/{area}/enumerators/{enumerator}", "204 204 204 403 403 403 404 404",
             out_of_scope="204 204 404 404 404 404 404 404"),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def ctx(world):
    admin = world.users["admin"]
    inside = census(world)
    first, second, *_ = services.areas_propose(user=admin, survey_id=inside.survey.pk)
    services.enumerator_assign(user=admin, survey_id=inside.survey.pk, area_id=first.pk,
                               user_id=world.users["grid_worker"].pk)  # fmt: skip
    plan = Plan.objects.create(region=world.street_b, title="乙街道人口普查方案", issuer="乙街道办事处")
    survey = Survey.objects.create(plan=plan, kind="census", title="乙街道人口普查",
                                   standard_moment=inside.survey.standard_moment)  # fmt: skip
    (far,) = services.areas_propose(user=admin, survey_id=survey.pk)
    b_workers = [factories.user(f"b1_grid_{i}", Role.GRID_WORKER, world.grid_b1) for i in range(2)]
    services.enumerator_assign(user=admin, survey_id=survey.pk, area_id=far.pk, user_id=b_workers[0].pk)
    return {
        "in": Ctx(inside.survey.pk, first.pk, world.community_a1.pk, inside.buildings["a1-3"].pk,
                  inside.buildings["a1-1"].pk, world.users["grid_worker"].pk, world.users["community_worker"].pk),
        "out": Ctx(survey.pk, far.pk, world.community_b1.pk, inside.buildings["b1-1"].pk,
                   inside.buildings["b1-1"].pk, b_workers[0].pk,
                   b_workers[1].pk),
    }  # fmt: skip


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/surveys/areas") == (set(), set())


def test_an_enumerator_and_a_community_see_only_their_areas(world, ctx):
    url = f"/surveys/areas/{ctx['in'].survey}"
    seen = {
        persona: [a["code"] for a in ApiClient(world.users[persona]).get(url).json()["areas"]]
        for persona in ("street_staff", "community_worker", "community_worker2", "grid_worker")
    }
    assert seen == {
        "street_staff": ["001001-001", "001001-002", "001001-003", "001002-001"],
        "community_worker": ["001001-001", "001001-002", "001001-003"],
        "community_worker2": ["001002-001"],
        "grid_worker": ["001001-001"],  # the area it is assigned to, not its community's others
    }


def test_a_stale_version_answers_409_and_a_bad_building_400(world, ctx):
    api, c = ApiClient(world.users["street_staff"]), ctx["in"]
    moved = api.post(f"/surveys/areas/{c.survey}/{c.area}/buildings", {"building_id": c.building, "version": 1})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    stale = api.request("PUT", f"/surveys/areas/{c.survey}/{c.area}", {"name": "北区", "version": 1})
    assert stale.status_code == 409 and stale.json()["detail"] == "数据已被他人修改，请刷新后重试"
    far = ctx["out"].building
    refused = api.post(f"/surveys/areas/{c.survey}/{c.area}/buildings", {"building_id": far, "version": 2})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "building_id"
