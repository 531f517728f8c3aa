"""Authorization matrix of /api/v1/surveys/frames and the frame pages.

In scope: surveys of 甲街道; out of scope: of 乙街道. Offices with VIEW_SURVEYS read the frames and draws of the
surveys they see (a community sees its street's census); the grid worker reads those of the survey whose area it
is assigned to; only those who run the survey (district and street staff, the administrator) freeze and draw:
the others who see it get 403, and whoever does not see it 404.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction

from linli.surveys.frames import services
from linli.surveys.models import AreaEnumerator, Response
from linli.testing.authz import PERSONAS, Endpoint, anonymous_status, answers, matrix_cases, uncovered

from .make import MOMENT, census_frozen, form_version, survey


@dataclass
class Ctx:
    draft: int
    frozen: int
    returned: int
    long_form: str = "long_form"
    recheck: str = "recheck"


READ, READ_OUT = "200 200 200 200 200 200 404 404", "200 200 404 404 404 404 404 404"
RUN_OUT = "201 201 404 404 404 404 404 404"
# fmt: off
ENDPOINTS = [
    Endpoint("GET",  "/surveys/frames/{returned}",                          READ, out_of_scope=READ_OUT),
    Endpoint("POST", "/surveys/frames/{draft}/freeze",                      "201 201 201 403 403 404 404 404",
             out_of_scope=RUN_OUT),
    Endpoint("POST", "/surveys/frames/{frozen}/draws/{long_form}",            "201 201 201 403 403 404 404 404",
             out_of_scope=RUN_OUT, body=lambda c: {"seed": "2026-11-01"}),
    Endpoint("POST", "/surveys/frames/{returned}/draws/{recheck}",            "201 201 201 403 403 403 404 404",
             out_of_scope=RUN_OUT, body=lambda c: {}),
    Endpoint("GET",  "/surveys/frames/{returned}/draws/{long_form}",          READ, out_of_scope=READ_OUT),
    Endpoint("GET",  "/surveys/frames/{returned}/draws/{long_form}/verify",   READ, out_of_scope=READ_OUT),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def ctx(world):
    made = {}
    admin = world.users["admin"]
    for scope, street, grid in (("in", world.street_a, world.grid_a1), ("out", world.street_b, world.grid_b1)):
        draft = survey(world, region=street)
        frozen = survey(world, region=street)
        census_frozen(world, frozen, households=3, areas=1, grid=grid)
        returned = survey(world, region=street)
        frame = census_frozen(world, returned, households=3, areas=1, grid=grid)
        services.long_form_draw(user=admin, survey_id=returned.pk, seed="1")
        unit = frame.frame_units.first()
        Response.objects.create(unit=unit, role=unit.form_role, form_version=form_version(), answers={},
                                idempotency_key=f"8c7d4a8e-8f35-4d36-9f1e-2a3b4c5d6e7{len(made)}",
                                filled_at=MOMENT)  # fmt: skip
        if scope == "in":
            AreaEnumerator.objects.create(area=unit.area, user=world.users["grid_worker"])
        made[scope] = Ctx(draft.pk, frozen.pk, returned.pk)
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {401}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/surveys/frames") == (set(), set())


PAGES = [
    # url, method, (admin … company_staff)
    ("/surveys/frames/{returned}/", "GET", "200 200 200 200 200 200 404 404"),
    ("/surveys/frames/{returned}/draws/long_form/", "GET", "200 200 200 200 200 200 404 404"),
    ("/surveys/frames/{returned}/draws/long_form/verify/", "GET", "200 200 200 200 200 200 404 404"),
    ("/surveys/frames/{returned}/draws/long_form/population.csv", "GET", "200 200 200 200 200 200 404 404"),
    # a refused action answers 403; an accepted one goes back to the page
    ("/surveys/frames/{draft}/freeze/", "POST", "302 302 302 403 403 404 404 404"),
    ("/surveys/frames/{returned}/draws/recheck/new/", "POST", "302 302 302 403 403 403 404 404"),
]


def test_pages_answer_each_persona_as_the_api(client, world, ctx):
    got, table = {}, {}
    for url, method, line in PAGES:
        table[url] = dict(zip(PERSONAS, map(int, line.split()), strict=True))
        got[url] = {}
        for persona in PERSONAS:
            with transaction.atomic():
                client.force_login(world.users[persona])
                path = url.format(**vars(ctx["in"]))
                response = client.post(path) if method == "POST" else client.get(path)
                got[url][persona] = response.status_code
                transaction.set_rollback(True)
    assert got == table
