"""Authorization matrix of /api/v1/volunteers/activities (staff) and /api/v1/portal/activities (residents).

Staff personas (linli.testing.factories): in scope = activities of 甲一社区; out of scope = of 乙一社区. Offices with
VIEW_VOLUNTEERS and ORGANISE_ACTIVITIES (roles.VOLUNTEERS) see and organise their subtree's; grid workers,
departments and companies get 403, and so does every staff persona from the residents' endpoints. Residents
(tests/crew.py): `v1` a volunteer of 甲一社区, `plain` a bound resident who is no volunteer, `far` a volunteer of
乙一社区. A resident gets 403 from every staff endpoint.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.testing.authz import Endpoint, anonymous_status, answers, expected, matrix_cases, statuses, uncovered
from linli.volunteers.activities import services
from linli.volunteers.models import Activity


@dataclass
class Ctx:
    region: int
    draft: int
    open: int
    now: int
    ended: int
    finished: int
    signup: int
    hand: int
    credit: int
    token: str


def content(c) -> dict:
    start = timezone.now() + timedelta(days=5)
    ends, until = start + timedelta(hours=2), start - timedelta(days=1)
    return {"title": "清扫楼道", "kind": "environment", "place": "3号楼", "starts_at": start.isoformat(),
            "ends_at": ends.isoformat(), "signup_until": until.isoformat(), "min_people": 1, "max_people": 10,
            "hours": "2.0"}  # fmt: skip


NO_STAFF = "403 403 403 403 403 403 403 403"
IN, OUT = "{} {} {} {} 404 403 403 403", "{} {} 404 404 404 403 403 403"


def runs(status: str) -> dict:
    return {"in_scope": IN.format(*[status] * 4), "out_of_scope": OUT.format(*[status] * 2)}


# fmt: off
ENDPOINTS = [
    Endpoint("GET",  "/volunteers/activities",                                  "200 200 200 200 200 403 403 403"),
    Endpoint("POST", "/volunteers/activities",                                  **runs("201"),
             body=lambda c: {**content(c), "region_id": c.region}),
    Endpoint("GET",  "/volunteers/activities/{open}",                           **runs("200")),
    Endpoint("PUT",  "/volunteers/activities/{open}",                           **runs("200"),
             body=lambda c: {**content(c), "version": 3}),
    Endpoint("POST", "/volunteers/activities/{draft}/publish",                  **runs("200"),
             body=lambda c: {"version": 1}),
    Endpoint("POST", "/volunteers/activities/{open}/cancel",                    **runs("200"),
             body=lambda c: {"version": 3, "reason": "天气原因"}),
    Endpoint("GET",  "/volunteers/activities/{open}/signups",                   **runs("200")),
    Endpoint("GET",  "/volunteers/activities/{open}/checkin-code",              **runs("200")),
    Endpoint("POST", "/volunteers/activities/{now}/signups/{hand}/checkin",     **runs("200")),
    Endpoint("POST", "/volunteers/activities/{ended}/hours",                    **runs("201"),
             body=lambda c: {"version": 2, "rows": []}),
    Endpoint("GET",  "/volunteers/activities/{finished}/credits",               **runs("200")),
    Endpoint("POST", "/volunteers/activities/{finished}/credits/{credit}/correct", **runs("201"),
             body=lambda c: {"version": 1, "hours": "3.0", "reason": "提前到场"}),
    Endpoint("GET",  "/portal/activities",                                      NO_STAFF),
    Endpoint("GET",  "/portal/activities/mine",                                 NO_STAFF),
    Endpoint("GET",  "/portal/activities/{open}",                               NO_STAFF),
    Endpoint("POST", "/portal/activities/{open}/signup",                        NO_STAFF),
    Endpoint("POST", "/portal/activities/signups/{signup}/withdraw",            NO_STAFF),
    Endpoint("POST", "/portal/activities/checkin",                              NO_STAFF,
             body=lambda c: {"token": c.token}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)

RESIDENTS = ("v1", "plain", "far")
FOR_RESIDENTS = {
    ("GET", "/portal/activities"): "200 200 200",
    ("GET", "/portal/activities/mine"): "200 200 200",
    ("GET", "/portal/activities/{open}"): "200 200 200",
    ("POST", "/portal/activities/{open}/signup"): "409 403 201",  # v1 signed up already
    ("POST", "/portal/activities/signups/{signup}/withdraw"): "200 404 404",
    ("POST", "/portal/activities/checkin"): "200 403 409",  # far is not signed up
}


def _ended(activity: Activity) -> None:
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        signup_until=now - timedelta(hours=4), starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )


@pytest.fixture
def ctx(world, crew):
    admin = world.users["admin"]
    made = {}
    soon = timezone.now() + timedelta(minutes=30)
    now_times = {"starts_at": soon, "ends_at": soon + timedelta(hours=2), "signup_until": soon - timedelta(minutes=20)}
    for scope, region in (("in", world.community_a1), ("out", world.community_b1)):
        draft = crew.activity(user=admin, publish=False, region_id=region.pk)
        opened = crew.activity(user=admin, region_id=region.pk)
        now = crew.activity(user=admin, region_id=region.pk, **now_times)
        ended = crew.activity(user=admin, region_id=region.pk)
        finished = crew.activity(user=admin, region_id=region.pk)
        signup = services.signup_create(resident=crew.residents["v1"], activity_id=opened.pk)
        services.signup_create(resident=crew.residents["v1"], activity_id=now.pk)
        hand = services.signup_create(resident=crew.residents["v2"], activity_id=now.pk)
        services.signup_create(resident=crew.residents["v3"], activity_id=ended.pk)
        services.signup_create(resident=crew.residents["v4"], activity_id=finished.pk)
        _ended(ended)
        _ended(finished)
        (credit,) = services.hours_confirm(user=admin, activity_id=finished.pk, version=None)
        token = services.checkin_token(user=admin, activity_id=now.pk)
        opened = services.activity_update(user=admin, activity_id=opened.pk, version=None, title="清扫楼道")
        Activity.objects.filter(pk=ended.pk).update(version=2)
        made[scope] = Ctx(region.pk, draft.pk, opened.pk, now.pk, ended.pk, finished.pk, signup.pk, hand.pk,
                          credit.pk, token)  # fmt: skip
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_resident_gets_what_the_table_says(crew, ctx, endpoint):
    users = {key: crew.residents[key].user for key in RESIDENTS}
    line = FOR_RESIDENTS.get((endpoint.method, endpoint.url), "403 403 403")
    assert statuses(users, endpoint, ctx["in"], RESIDENTS) == expected(line, RESIDENTS)


def test_without_credentials_every_endpoint_answers_401(ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/volunteers/activities", "/portal/activities") == (set(), set())
