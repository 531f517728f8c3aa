"""Authorization matrix of /api/v1/consultation (staff) and /api/v1/portal/consultation (residents).

Staff personas (linli.testing.factories): in scope = proposals of 甲一社区; out of scope = proposals of 乙一社区.
Community workers run their community's consultation, street and district staff their communities'
(roles.CONSULTATION); grid workers, departments and companies get 403, and so does every staff persona from the
residents' endpoints. Residents (tests/town.py): `a1` lives in 甲一社区, `b1` in 乙一社区, `unbound` is not bound
yet; the proposals are 甲一社区's. A resident gets 403 from every staff endpoint.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.consultation import services
from linli.testing.authz import (
    Endpoint,
    anonymous_status,
    answers,
    expected,
    matrix_cases,
    statuses,
    uncovered,
)


@dataclass
class Ctx:
    community: int
    submitted: int
    accepted: int
    comment: int
    polled: int
    poll_open: int
    poll_closed: int
    option: int


def content(c) -> dict:
    return {"title": "晾晒区", "body": "想在空地设晾晒区", "audience": "community", "target_id": c.community}


def poll_body(c) -> dict:
    closes = (timezone.now() + timedelta(days=3)).isoformat()
    return {"version": 1, "question": "是否设晾晒区", "closes_at": closes, "quorum_kind": "share", "quorum_value": 50,
            "pass_rule": "simple"}  # fmt: skip


READERS = "200 200 200 200 200 403 403 403"
NO_STAFF = "403 403 403 403 403 403 403 403"
IN, OUT = "{} {} {} {} 404 403 403 403", "{} {} 404 404 404 403 403 403"


def runs(status: str) -> dict:
    return {"in_scope": IN.format(*[status] * 4), "out_of_scope": OUT.format(*[status] * 2)}


# fmt: off
ENDPOINTS = [
    Endpoint("GET",  "/consultation",                              READERS),
    Endpoint("POST", "/consultation",                              **runs("201"), body=content),
    Endpoint("GET",  "/consultation/{accepted}",                   **runs("200")),
    Endpoint("POST", "/consultation/{submitted}/decide",           **runs("200"),
             body=lambda c: {"version": 1, "accept": True}),
    Endpoint("POST", "/consultation/{accepted}/comments",          **runs("201"), body=lambda c: {"body": "欢迎讨论"}),
    Endpoint("POST", "/consultation/comments/{comment}/hide",      **runs("200"), body=lambda c: {"reason": "离题"}),
    Endpoint("POST", "/consultation/{accepted}/poll",              **runs("201"), body=poll_body),
    Endpoint("POST", "/consultation/polls/{poll_open}/close",      **runs("200"), body=lambda c: {"version": 1}),
    Endpoint("POST", "/consultation/polls/{poll_closed}/publish",  **runs("200"), body=lambda c: {"version": 2}),
    Endpoint("GET",  "/portal/consultation",                       NO_STAFF),
    Endpoint("GET",  "/portal/consultation/places",                NO_STAFF),
    Endpoint("POST", "/portal/consultation",                       NO_STAFF, body=content),
    Endpoint("GET",  "/portal/consultation/{accepted}",            NO_STAFF, out_of_scope=NO_STAFF),
    Endpoint("POST", "/portal/consultation/{accepted}/comments",   NO_STAFF, out_of_scope=NO_STAFF,
             body=lambda c: {"body": "支持"}),
    Endpoint("POST", "/portal/consultation/polls/{poll_open}/vote", NO_STAFF, out_of_scope=NO_STAFF,
             body=lambda c: {"option_id": c.option}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)

RESIDENTS = ("a1", "b1", "unbound")
FOR_RESIDENTS = {
    "/portal/consultation": "200 200 200",
    "/portal/consultation/places": "200 200 200",
    "/portal/consultation/{accepted}": "200 404 404",
    "/portal/consultation/{accepted}/comments": "201 404 404",
    "/portal/consultation/polls/{poll_open}/vote": "201 404 404",
}
# a1 proposes to their community; b1's community is another, unbound has none
FOR_RESIDENTS_POST = {("POST", "/portal/consultation"): "201 400 400"}


@pytest.fixture
def ctx(world, town):
    admin = world.users["admin"]
    made = {}
    for scope, community, resident in (("in", world.community_a1, "a1"), ("out", world.community_b1, "b1")):
        kwargs = {"title": "议题", "body": "内容", "audience": "community", "target": community.pk}
        submitted = services.proposal_submit(resident=town.residents[resident], **kwargs)
        accepted = services.proposal_create(user=admin, **kwargs)
        comment = services.comment_post(resident=town.residents[resident], proposal_id=accepted.pk, body="说两句")
        polls = []
        for _ in range(2):
            polled = services.proposal_create(user=admin, **kwargs)
            polls.append(services.poll_open(
                user=admin, proposal_id=polled.pk, version=1, question="是否同意", options=["同意", "不同意"],
                closes_at=timezone.now() + timedelta(days=3), quorum_kind="count", quorum_value=1, pass_rule="simple",
            ))  # fmt: skip
        services.poll_close(user=admin, poll_id=polls[1].pk, version=1)
        made[scope] = Ctx(
            community.pk, submitted.pk, accepted.pk, comment.pk, polls[0].proposal_id, polls[0].pk, polls[1].pk,
            polls[0].options.first().pk,
        )  # fmt: skip
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_resident_gets_what_the_table_says(world, town, ctx, endpoint):
    users = {key: town.residents[key].user for key in RESIDENTS}
    line = FOR_RESIDENTS_POST.get((endpoint.method, endpoint.url)) or FOR_RESIDENTS.get(endpoint.url, "403 403 403")
    assert statuses(users, endpoint, ctx["in"], RESIDENTS) == expected(line, RESIDENTS)


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/consultation", "/portal/consultation") == (set(), set())
