"""Authorization matrix of /api/v1/surveys/entry. The census (tests/census.py) is street 甲's: area 001 of 甲一社区
is the grid worker's, area 002 of 甲二社区 community_worker2's. In scope = area 001 and its unit, out of scope =
area 002 and its unit. Offices that follow surveys (VIEW_SURVEYS) read the areas of their subtree; only an area's
own enumerators record visits and submit forms (403 for those who see it, 404 for those who do not); departments and
companies have no part in a survey (403)."""

from uuid import uuid4

import pytest
from django.utils import timezone

from linli.testing.authz import Endpoint, anonymous_response, answers, matrix_cases, uncovered

from .census import census, short_answers


def response_body(_) -> dict:
    return {"role": "short", "answers": short_answers(), "idempotency_key": str(uuid4()),
            "filled_at": timezone.now().isoformat(), "read_back": True}  # fmt: skip


#                                                   adm dis str cw  cw2 grd dep com
# fmt: off
ENDPOINTS = [
    Endpoint("GET",  "/surveys/entry",                               "200 200 200 200 200 200 403 403"),
    Endpoint("GET",  "/surveys/entry/{survey}/areas/{area}/units",   "200 200 200 200 404 200 403 403",
             out_of_scope="200 200 200 404 200 404 403 403"),
    Endpoint("GET",  "/surveys/entry/units/{unit}",                  "200 200 200 200 404 200 403 403",
             out_of_scope="200 200 200 404 200 404 403 403"),
    Endpoint("POST", "/surveys/entry/units/{unit}/state",            "403 403 403 403 404 200 403 403",
             out_of_scope="403 403 403 404 200 404 403 403",
             body=lambda _: {"state": "visited", "note": "", "version": 1}),
    Endpoint("POST", "/surveys/entry/units/{unit}/responses",        "403 403 403 403 404 201 403 403",
             out_of_scope="403 403 403 404 201 404 403 403", body=response_body),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def contexts(world):
    c = census(world)
    return {"in": c.url_values(), "out": {**c.url_values(), "area": c.other.pk, "unit": c.far.pk}}


def test_each_persona_gets_what_the_table_says(world, contexts):
    got, table = answers(world.users, CASES, contexts)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, contexts):
    assert {str(e): anonymous_response(e, contexts["in"]).status_code for e in ENDPOINTS} == {
        str(e): 401 for e in ENDPOINTS
    }


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/surveys/entry") == (set(), set())
