"""Authorization matrix of the survey projects: /api/v1/surveys/{id} and the pages under /surveys/ (the list and
creation rows without an object are in linli/tests/test_authorization_matrix.py).

In scope = censuses of 甲街道 (an area of 甲一社区 with the grid worker as its enumerator); out of scope = censuses
of 乙街道 (an area of 乙一社区 with another grid worker). Offices that run surveys (admin, district, street) write;
communities of the street read it; the grid worker reads the survey it enumerates; departments and companies see
no survey (404) and no survey page (403)."""

import re
from dataclasses import dataclass

import pytest

from linli.accounts.models import Role
from linli.surveys import services
from linli.surveys.models import Area, AreaEnumerator
from linli.testing import factories
from linli.testing.authz import PERSONAS, Endpoint, anonymous_status, answers, matrix_cases, uncovered

from .projects import CENSUS_DAY, default_forms


@dataclass
class Ctx:
    draft: int
    running: int
    version: int


READ = "200 200 200 200 200 200 404 404"
READ_OUT = "200 200 404 404 404 404 404 404"
RUN = "200 200 200 403 403 403 404 404"
RUN_OUT = "200 200 404 404 404 404 404 404"

# fmt: off
ENDPOINTS = [
    #                                                   adm dis str cw  cw2 grd dep com
    Endpoint("GET",   "/surveys/{draft}",               READ, out_of_scope=READ_OUT),
    Endpoint("PATCH", "/surveys/{draft}",               RUN, out_of_scope=RUN_OUT,
             body=lambda c: {"version": c.version, "area_people": 280}),
    Endpoint("POST",  "/surveys/{draft}/start",         RUN, out_of_scope=RUN_OUT,
             body=lambda c: {"version": c.version}),
    Endpoint("POST",  "/surveys/{running}/finish",      RUN, out_of_scope=RUN_OUT,
             body=lambda c: {"version": c.version + 1}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def _census(world, street, community, enumerator, *, start: bool):
    admin = world.users["admin"]
    survey = services.survey_create(user=admin, kind="census", title=f"{street.name}人口普查", region_id=street.pk,
                                    standard_day=CENSUS_DAY)  # fmt: skip
    area = Area.objects.create(survey=survey, community=community, code="001")
    AreaEnumerator.objects.create(area=area, user=enumerator)
    if start:
        survey = services.survey_start(user=admin, survey_id=survey.pk, version=survey.version)
    return survey


@pytest.fixture
def ctx(world):
    default_forms()
    far = factories.user("grid_b", Role.GRID_WORKER, world.grid_b1)
    made = {}
    for key, street, community, enumerator in (("in", world.street_a, world.community_a1, world.users["grid_worker"]),
                                               ("out", world.street_b, world.community_b1, far)):  # fmt: skip
        draft = _census(world, street, community, enumerator, start=False)
        running = _census(world, street, community, enumerator, start=True)
        made[key] = Ctx(draft.pk, running.pk, draft.version)
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint_of_a_survey():
    missing, stale = uncovered(ENDPOINTS, "/surveys/{}")
    assert (missing, stale) == (set(), set())


# ---------------------------------------------------------------- pages

PAGES = [
    #  url,                      what each persona gets, in the order of PERSONAS
    ("/surveys/",                "200 200 200 200 200 200 403 403"),
    ("/surveys/new/",            "200 200 200 403 403 403 403 403"),
    ("/surveys/{draft}/",        "200 200 200 200 200 200 404 404"),
    ("/surveys/{draft}/edit/",   "200 200 200 403 403 403 404 404"),
]  # fmt: skip


@pytest.mark.parametrize("url, line", PAGES, ids=[p[0] for p in PAGES])
def test_each_persona_gets_the_page_the_table_says(world, ctx, client, url, line):
    got = {}
    for persona in PERSONAS:
        client.force_login(world.users[persona])
        got[persona] = client.get(url.format(**vars(ctx["in"]))).status_code
    assert got == dict(zip(PERSONAS, map(int, line.split()), strict=True))


def test_a_survey_page_out_of_scope_looks_missing(world, ctx, client):
    client.force_login(world.users["street_staff"])
    assert client.get(f"/surveys/{ctx['out'].draft}/").status_code == 404
    assert client.post(f"/surveys/{ctx['out'].draft}/start/", {"version": ctx["out"].version}).status_code == 404


def test_the_pages_start_and_finish_only_for_those_running_the_survey(world, ctx, client):
    c = ctx["in"]
    client.force_login(world.users["community_worker"])
    assert client.post(f"/surveys/{c.draft}/start/", {"version": c.version}).status_code == 403
    assert client.post(f"/surveys/{c.running}/finish/", {"version": c.version + 1}).status_code == 403
    client.force_login(world.users["street_staff"])
    assert client.post(f"/surveys/{c.running}/finish/", {"version": c.version + 1}).status_code == 302
    page = client.get(f"/surveys/{c.running}/").content.decode()
    assert "调查已结束，入户登记已停止" in page and re.search(r"<dd>已结束（", page)


def test_an_enumerator_is_shown_the_entry_of_its_survey_only(world, ctx, client):
    client.force_login(world.users["grid_worker"])
    page = client.get(f"/surveys/{ctx['in'].running}/").content.decode()
    assert "/surveys/entry/" in page and "/surveys/quality/" not in page and "/surveys/frames/" not in page
