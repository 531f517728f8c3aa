"""Authorization matrix of /api/v1/votes (staff) and /api/v1/portal/votes (owners).

Staff personas (linli.testing.factories): in scope = votes of 阳光小区 in 甲一社区; out of scope = 乙一小区 in 乙一社区.
Community workers of the estate's community run votes, street and district staff read them (roles.VOTES); grid
workers, departments and companies get 403, and so does every staff persona from the owners' endpoints.
Residents (tests/town.py): `one` owns units in 阳光小区, `tenant` owns nothing, `far` owns a unit in 乙一小区.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from linli.testing.authz import (
    Endpoint,
    anonymous_status,
    answers,
    expected,
    matrix_cases,
    statuses,
    uncovered,
)
from linli.votes import selectors, services

from .town import town_of


@dataclass
class Ctx:
    estate: int
    draft: int
    open: int
    closed: int
    published: int
    voter: int  # an owner of the open vote without a ballot
    mine: int = 0  # resident `one`'s owner row in the open vote
    version: int = 1


READERS = "200 200 200 200 404 403 403 403"
READERS_OUT = "200 200 404 404 404 403 403 403"
RUNNERS = "200 403 403 200 404 403 403 403"
RUNNERS_OUT = "200 403 403 404 404 403 403 403"
NO_STAFF = "403 403 403 403 403 403 403 403"


def vote_body(c) -> dict:
    return {"estate_id": c.estate, "title": "增设电动自行车充电桩", "motion": "议案", "item": "8",
            "opens_on": "2026-12-01", "closes_on": "2026-12-31"}  # fmt: skip


def paper(c) -> dict:
    return {"voter_id": c.voter, "choice": "agree", "channel": "paper",
            "scan": ContentFile(b"%PDF-1.4 ballot", name="票.pdf")}  # fmt: skip


# fmt: off
ENDPOINTS = [
    #                                                       adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/votes",                              "200 200 200 200 200 403 403 403"),
    Endpoint("POST", "/votes",                              "201 403 403 201 404 403 403 403",
             out_of_scope="201 403 403 404 404 403 403 403", body=vote_body),
    Endpoint("GET",  "/votes/{open}",                       READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",  "/votes/{open}/voters",                READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",  "/votes/{closed}/result",              READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",  "/votes/{closed}/recount",             READERS, out_of_scope=READERS_OUT),
    Endpoint("POST", "/votes/{draft}/open",                 RUNNERS, out_of_scope=RUNNERS_OUT,
             body=lambda c: {"version": c.version}),
    Endpoint("POST", "/votes/{open}/close",                 RUNNERS, out_of_scope=RUNNERS_OUT,
             body=lambda c: {"version": c.version + 1}),
    Endpoint("POST", "/votes/{closed}/publish",             RUNNERS, out_of_scope=RUNNERS_OUT,
             body=lambda c: {"version": c.version + 2}),
    Endpoint("POST", "/votes/{open}/ballots",               "201 403 403 201 404 403 403 403",
             out_of_scope="201 403 403 404 404 403 403 403", body=paper, form=True),
    Endpoint("PUT",  "/votes/estates/{estate}/clause",      RUNNERS, out_of_scope=RUNNERS_OUT,
             body=lambda c: {"silent": "agree", "source": "管理规约第20条"}),
    Endpoint("GET",  "/portal/votes",                       NO_STAFF),
    Endpoint("GET",  "/portal/votes/{open}/mine",           NO_STAFF, out_of_scope=NO_STAFF),
    Endpoint("POST", "/portal/votes/{open}/ballot",         NO_STAFF, out_of_scope=NO_STAFF,
             body=lambda c: {"voter_id": c.mine, "choice": "agree"}),
    Endpoint("GET",  "/portal/votes/{published}/result",    NO_STAFF, out_of_scope=NO_STAFF),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)

RESIDENTS = ("one", "tenant", "far")
FOR_RESIDENTS = {
    "/portal/votes": "200 200 200",
    "/portal/votes/{open}/mine": "200 404 404",
    "/portal/votes/{open}/ballot": "201 404 404",
    "/portal/votes/{published}/result": "200 404 404",
}


def _votes(user, estate, today):
    def make(state):
        vote = services.vote_create(user=user, estate_id=estate.pk, title=f"{state}", motion="议案", item="4",
                                    opens_on=today, closes_on=today)  # fmt: skip
        for action in ("open", "close", "publish")[: ["draft", "open", "closed", "published"].index(state)]:
            vote = getattr(services, f"vote_{action}")(user=user, vote_id=vote.pk, version=vote.version)
        return vote

    return {state: make(state) for state in ("draft", "open", "closed", "published")}


@pytest.fixture
def ctx(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    town = town_of(world)
    admin, today = world.users["admin"], timezone.localdate()
    made = {}
    for scope, estate in (("in", town.estate), ("out", town.far_estate)):
        votes = _votes(admin, estate, today)
        voter = selectors.not_voted(votes["open"]).first()
        made[scope] = Ctx(estate.pk, *(votes[s].pk for s in ("draft", "open", "closed", "published")), voter.pk)
        if scope == "in":
            made[scope].mine = selectors.resident_voters(resident=town.residents["one"], vote=votes["open"])[0].pk
    made["town"] = town
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_resident_gets_what_the_table_says(world, ctx, endpoint):
    users = {key: ctx["town"].residents[key].user for key in RESIDENTS}
    want = expected(FOR_RESIDENTS.get(endpoint.url, "403 403 403"), RESIDENTS)
    assert statuses(users, endpoint, ctx["in"], RESIDENTS) == want


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/votes", "/portal/votes") == (set(), set())
