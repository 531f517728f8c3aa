"""Authorization matrix of /api/v1/volunteers (staff) and /api/v1/portal/volunteer (volunteers).

Staff personas (linli.testing.factories): in scope = volunteers and teams of 甲一社区; out of scope = 乙一社区's.
Offices keep and read the files of their subtree (roles.VOLUNTEERS); grid workers, departments and companies get
403, and so does every staff persona from the portal's endpoints. The district sets the star levels.
Residents (tests/place.py): `vol` is the volunteer 张志愿, `plain` a bound resident who is not a volunteer,
`unbound` has not passed 实名认证.
"""

from dataclasses import dataclass

import pytest

from linli.testing import factories
from linli.testing.apiclient import API
from linli.testing.authz import (
    Endpoint,
    anonymous_status,
    answers,
    expected,
    matrix_cases,
    statuses,
    uncovered,
)
from linli.volunteers.hours import services as hours
from linli.volunteers.registry import services

from .place import credit, place_of


@dataclass
class Ctx:
    volunteer: int
    spare: int  # a volunteer of the same community, in no team
    person: int  # a registry person who is not a volunteer
    team: int
    region: int
    certificate: int
    district: int
    version: int = 1
    team_version: int = 1


LIST = "200 200 200 200 200 403 403 403"
READERS = "200 200 200 200 404 403 403 403"
READERS_OUT = "200 200 404 404 404 403 403 403"
MAKERS = "201 201 201 201 404 403 403 403"
MAKERS_OUT = "201 201 404 404 404 403 403 403"
NO_STAFF = "403 403 403 403 403 403 403 403"


def skills(c) -> dict:
    return {"version": c.version, "skills": ["medical"], "availability": ["weekend"]}


def team_body(c) -> dict:
    return {"version": c.team_version, "name": "党员先锋队", "kind": "party", "description": "", "leader_id": None}


# fmt: off
ENDPOINTS = [
    #                                                               adm dis str cw  cw2 grd dep com
    Endpoint("GET",    "/volunteers",                               LIST),
    Endpoint("POST",   "/volunteers",                               MAKERS, out_of_scope=MAKERS_OUT,
             body=lambda c: {"person_id": c.person, "skills": ["it"], "availability": [], "paper_consent": True}),
    Endpoint("GET",    "/volunteers/{volunteer}",                   READERS, out_of_scope=READERS_OUT),
    Endpoint("PUT",    "/volunteers/{volunteer}",                   READERS, out_of_scope=READERS_OUT, body=skills),
    Endpoint("POST",   "/volunteers/{volunteer}/state",             READERS, out_of_scope=READERS_OUT,
             body=lambda c: {"version": c.version, "state": "suspended"}),
    Endpoint("GET",    "/volunteers/{volunteer}/hours",             READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",    "/volunteers/{volunteer}/certificates",      READERS, out_of_scope=READERS_OUT),
    Endpoint("POST",   "/volunteers/{volunteer}/certificates",      MAKERS, out_of_scope=MAKERS_OUT),
    Endpoint("GET",    "/volunteers/certificates/{certificate}",    READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",    "/volunteers/certificates/{certificate}/certificate.docx", READERS, out_of_scope=READERS_OUT),
    Endpoint("POST",   "/volunteers/certificates/{certificate}/revoke", READERS, out_of_scope=READERS_OUT,
             body=lambda c: {"reason": "时长有误"}),
    Endpoint("GET",    "/volunteers/teams",                         LIST),
    Endpoint("POST",   "/volunteers/teams",                         MAKERS, out_of_scope=MAKERS_OUT,
             body=lambda c: {"region_id": c.region, "name": "新队伍", "kind": "youth"}),
    Endpoint("GET",    "/volunteers/teams/{team}",                  READERS, out_of_scope=READERS_OUT),
    Endpoint("PUT",    "/volunteers/teams/{team}",                  READERS, out_of_scope=READERS_OUT, body=team_body),
    Endpoint("POST",   "/volunteers/teams/{team}/members",          MAKERS, out_of_scope=MAKERS_OUT,
             body=lambda c: {"volunteer_id": c.spare}),
    Endpoint("DELETE", "/volunteers/teams/{team}/members/{volunteer}", "204 204 204 204 404 403 403 403",
             out_of_scope="204 204 404 404 404 403 403 403"),
    Endpoint("GET",    "/volunteers/stars",                         LIST),
    Endpoint("PUT",    "/volunteers/stars/{district}",              "200 200 403 403 403 403 403 403",
             body=lambda c: {"thresholds": [100, 200, 500, 800, 1000]}),
    Endpoint("GET",    "/volunteers/leaderboard?period=year",       LIST),
    Endpoint("GET",    "/volunteers/hours.xlsx",                    LIST),
    Endpoint("GET",    "/portal/volunteer",                         NO_STAFF),
    Endpoint("POST",   "/portal/volunteer",                         NO_STAFF,
             body=lambda c: {"skills": ["it"], "availability": [], "agreed": True}),
    Endpoint("PUT",    "/portal/volunteer",                         NO_STAFF,
             body=lambda c: {"version": c.version, "skills": ["it"], "availability": []}),
    Endpoint("GET",    "/portal/volunteer/hours",                   NO_STAFF),
    Endpoint("GET",    "/portal/volunteer/certificates",            NO_STAFF),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)

RESIDENTS = ("vol", "plain", "unbound")
FOR_RESIDENTS = {
    ("GET", "/portal/volunteer"): "200 404 404",
    ("POST", "/portal/volunteer"): "409 201 403",
    ("PUT", "/portal/volunteer"): "200 404 404",
    ("GET", "/portal/volunteer/hours"): "200 404 404",
    ("GET", "/portal/volunteer/certificates"): "200 404 404",
}


@pytest.fixture
def ctx(world):
    place = place_of(world)
    w, admin = world, world.users["admin"]
    made = {}
    for scope, volunteer, team, region, grid in (
        ("in", place.va, place.team, w.community_a1, w.grid_a1),
        ("out", place.vb, place.far_team, w.community_b1, w.grid_b1),
    ):
        spare_person = factories.person(grid, name="孙备用", phone="13700000001")
        spare = services.volunteer_register(user=admin, person_id=spare_person.pk, skills=[], availability=[],
                                            paper_consent=True)  # fmt: skip
        if scope == "out":
            services.team_member_add(user=admin, team_id=team.pk, volunteer_id=volunteer.pk)
            team.refresh_from_db()
        credit(volunteer, "6")
        cert = hours.certificate_issue(user=admin, volunteer_id=volunteer.pk)
        person = factories.person(grid, name="周新人", phone="13700000002")
        volunteer.refresh_from_db()
        made[scope] = Ctx(volunteer.pk, spare.pk, person.pk, team.pk, region.pk, cert.pk, w.district.pk,
                          volunteer.version, team.version)  # fmt: skip
    made["place"] = place
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_resident_gets_what_the_table_says(world, ctx, endpoint):
    users = {key: ctx["place"].residents[key].user for key in RESIDENTS}
    want = expected(FOR_RESIDENTS.get((endpoint.method, endpoint.url), "403 403 403"), RESIDENTS)
    assert statuses(users, endpoint, ctx["in"], RESIDENTS) == want


def test_a_resident_who_has_not_agreed_to_the_notice_is_refused(world, ctx):
    resident = factories.resident("13811119999", ctx["place"].persons["a2"], consent=False)
    endpoint = next(e for e in ENDPOINTS if e.url == "/portal/volunteer" and e.method == "POST")
    assert statuses({"r": resident.user}, endpoint, ctx["in"], ["r"]) == {"r": 403}


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    # Activities and statistics serve their own paths under /volunteers/<part>; these are the volunteers' and teams'.
    mine = ("/volunteers/{", "/volunteers/teams", "/volunteers/stars", "/volunteers/leaderboard",
            "/volunteers/hours.xlsx", "/volunteers/certificates", "/portal/volunteer")  # fmt: skip
    missing, extra = uncovered(ENDPOINTS, "/volunteers", "/portal/volunteer")
    assert extra == set()
    ours = tuple(API + x for x in mine)
    assert {(m, p) for m, p in missing if p == API + "/volunteers" or p.startswith(ours)} == set()
