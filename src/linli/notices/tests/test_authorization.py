"""Authorization matrix of /api/v1/notices (staff) and /api/v1/portal/notices (residents).

Staff personas (linli.testing.factories): in scope = notices of 甲一社区; out of scope = notices of 乙一社区. Community
workers publish for their community, street and district staff for their communities (roles.NOTICES); grid workers,
departments and companies get 403, and so does every staff persona from the residents' endpoints.
Residents (tests/town.py): `a1` lives in 甲一社区, `b1` in 乙一社区, `unbound` has not been bound to a person yet;
the notice is addressed to 甲一社区. A resident gets 403 from every staff endpoint.
"""

from dataclasses import dataclass

import pytest

from linli.notices import services
from linli.testing.authz import (
    Endpoint,
    anonymous_status,
    answers,
    expected,
    matrix_cases,
    statuses,
    uncovered,
)

from .town import town_of


@dataclass
class Ctx:
    draft: int
    published: int
    community: int
    version: int = 1


def content(c) -> dict:
    return {"title": "停水通知", "body": "明日停水", "audience": "community", "target_id": c.community}


READERS = "200 200 200 200 200 403 403 403"
NO_STAFF = "403 403 403 403 403 403 403 403"

# fmt: off
ENDPOINTS = [
    #                                                       adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/notices",                            READERS),
    Endpoint("GET",  "/notices/audiences",                  READERS),
    Endpoint("POST", "/notices",                            "201 201 201 201 404 403 403 403",
             out_of_scope="201 201 404 404 404 403 403 403", body=content),
    Endpoint("GET",  "/notices/{published}",                "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("PUT",  "/notices/{draft}",                    "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403", body=lambda c: {**content(c), "version": c.version}),
    Endpoint("POST", "/notices/{draft}/publish",            "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403", body=lambda c: {"version": c.version}),
    Endpoint("POST", "/notices/{published}/withdraw",       "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403", body=lambda c: {"version": c.version + 1}),
    Endpoint("GET",  "/portal/notices",                     NO_STAFF),
    Endpoint("GET",  "/portal/notices/{published}",         NO_STAFF, out_of_scope=NO_STAFF),
    Endpoint("POST", "/portal/notices/{published}/read",    NO_STAFF, out_of_scope=NO_STAFF),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)

RESIDENTS = ("a1", "b1", "unbound")
# What each resident gets from each row, the notice being 甲一社区's (a1's community).
FOR_RESIDENTS = {
    "/portal/notices": "200 200 200",
    "/portal/notices/{published}": "200 404 404",
    "/portal/notices/{published}/read": "200 404 404",
}


@pytest.fixture
def ctx(world):
    admin = world.users["admin"]
    made = {}
    for scope, community in (("in", world.community_a1), ("out", world.community_b1)):
        kwargs = {"user": admin, "title": "通知", "body": "正文", "audience": "community", "target": community.pk}
        draft = services.notice_create(**kwargs)
        published = services.notice_create(**kwargs, publish=True)
        made[scope] = Ctx(draft.pk, published.pk, community.pk)
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_resident_gets_what_the_table_says(world, ctx, endpoint):
    town = town_of(world)
    users = {key: town.residents[key].user for key in RESIDENTS}
    want = expected(FOR_RESIDENTS.get(endpoint.url, "403 403 403"), RESIDENTS)
    assert statuses(users, endpoint, ctx["in"], RESIDENTS) == want


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/notices", "/portal/notices") == (set(), set())
