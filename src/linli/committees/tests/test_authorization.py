"""Authorization matrix of /api/v1/committees.

In scope: the committee, Party organisation and estate of 甲一社区 (community_worker's; street_staff's street 甲);
out of scope: those of 乙一社区 (street 乙). Community workers of the estate's community record committees, Party
organisations and cross-office holdings; street, district and the administrator read (roles.COMMITTEES); grid
workers, departments, companies and residents get 403.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from linli.committees import rules, services
from linli.testing import factories
from linli.testing.authz import (
    Endpoint,
    anonymous_status,
    answers,
    expected,
    matrix_cases,
    statuses,
    uncovered,
)

from .town import form, places, worker_of


@dataclass
class Ctx:
    estate: int
    committee: int
    party: int
    owners: list[int]


def members(c) -> list[dict]:
    roles = ["chair", "vice_chair", "member", "member", "member"]
    return [{"person_id": p, "role": r} for p, r in zip(c.owners, roles, strict=False)]


READERS = "200 200 200 200 200 403 403 403"
EDITORS = "403 403 403 201 404 403 403 403"
NO_EDITOR = "403 403 403 404 404 403 403 403"

# fmt: off
ENDPOINTS = [
    #                                                           adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/committees",                             READERS),
    Endpoint("POST", "/committees",                             EDITORS, out_of_scope=NO_EDITOR,
             body=lambda c: {"estate_id": c.estate, "assembly_on": "2025-01-10", "formed_on": "2025-01-10",
                             "members": members(c)}),
    Endpoint("GET",  "/committees/figures",                     READERS),
    Endpoint("GET",  "/committees/party-organizations",         READERS),
    Endpoint("POST", "/committees/party-organizations",         EDITORS, out_of_scope=NO_EDITOR,
             body=lambda c: {"kind": "group", "host": "committee", "committee_id": c.committee, "name": "业委会党小组",
                             "secretary": "王芳", "members": 3, "founded_on": "2024-05-01"}),
    Endpoint("PUT",  "/committees/party-organizations/{party}", "403 403 403 200 404 403 403 403",
             out_of_scope=NO_EDITOR,
             body=lambda c: {"version": 1, "name": "社区党委", "secretary": "钱进", "members": 41}),
    Endpoint("GET",  "/committees/cross-offices",               READERS),
    Endpoint("POST", "/committees/cross-offices",               EDITORS, out_of_scope=NO_EDITOR,
             body=lambda c: {"name": "赵敏", "home": "community", "home_post": "社区党委书记", "serves": "committee",
                             "serves_post": "业委会副主任", "since": "2024-03-15", "committee_id": c.committee}),
    Endpoint("GET",  "/committees/estates/{estate}",            "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/committees/estates/{estate}/owners",     "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/committees/{committee}",                 "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("PUT",  "/committees/{committee}",                 "403 403 403 200 404 403 403 403",
             out_of_scope=NO_EDITOR, body=lambda c: {"version": 1, "members": members(c)}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def ctx(world):
    made = {}
    for scope, p in places(world).items():
        worker = worker_of(world, p)
        committee = form(worker, p, formed_on=date(2020, 1, 10))
        party = services.party_create(
            user=worker, kind=rules.BRANCH, host=rules.COMMUNITY, name="社区党委", secretary="赵敏", members=40,
            founded_on=date(2010, 7, 1),
        )  # fmt: skip
        made[scope] = Ctx(p.estate.pk, committee.pk, party.pk, [o.pk for o in p.owners])
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_a_resident_gets_403_from_every_endpoint(world, ctx):
    users = {"resident": factories.resident("13900000001").user}
    for endpoint in ENDPOINTS:
        assert statuses(users, endpoint, ctx["in"], ("resident",)) == expected("403", ("resident",)), str(endpoint)


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/committees") == (set(), set())
