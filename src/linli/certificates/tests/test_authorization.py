"""Authorization matrix of /api/v1/certificates (staff) and /api/v1/portal/certificates (residents).

Staff personas (linli.testing.factories): in scope = an application of 甲一社区's resident; out of scope = one of
乙一社区's (another street). Offices with VIEW_CERTIFICATES read their subtree's; only the person's own community
(ISSUE_CERTIFICATES: the seal) issues, refuses and revokes; the district keeps the list; grid workers, departments
and companies get 403. Residents get 403 from every staff endpoint; staff get 403 from the portal's."""

from dataclasses import dataclass

import pytest

from linli.certificates import services
from linli.testing import factories
from linli.testing.authz import Endpoint, anonymous_status, answers, expected, matrix_cases, statuses, uncovered

from .conftest import fields


@dataclass
class Ctx:
    app: int
    cert: int
    matter: int


READERS = "200 200 200 200 200 403 403 403"
READ_ONE = "200 200 200 200 404 403 403 403"
READ_ONE_OUT = "200 200 404 404 404 403 403 403"
SEAL = "403 403 403 200 404 403 403 403"
SEAL_OUT = "403 403 403 404 404 403 403 403"
NO_STAFF = "403 403 403 403 403 403 403 403"


def matter_body(c) -> dict:
    return {"version": 1, "name": "居住情况证明", "basis": "《居住证暂行条例》第九条", "wording": "经核实，属实"}


# fmt: off
ENDPOINTS = [
    #                                                              adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/certificates/matters",                      READERS),
    Endpoint("PUT",  "/certificates/matters/{matter}",             "200 200 403 403 403 403 403 403", body=matter_body),
    Endpoint("GET",  "/certificates/applications",                 READERS),
    Endpoint("GET",  "/certificates/applications/{app}",           READ_ONE, out_of_scope=READ_ONE_OUT),
    Endpoint("POST", "/certificates/applications/{app}/issue",     SEAL, out_of_scope=SEAL_OUT,
             body=lambda c: {"version": 1, "statement": "经核实，该居民实际居住在本社区"}),
    Endpoint("POST", "/certificates/applications/{app}/refuse",    SEAL, out_of_scope=SEAL_OUT,
             body=lambda c: {"version": 1, "note": "依据条款不明确"}),
    Endpoint("GET",  "/certificates/issued/{cert}",                READ_ONE, out_of_scope=READ_ONE_OUT),
    Endpoint("POST", "/certificates/issued/{cert}/revoke",         SEAL, out_of_scope=SEAL_OUT,
             body=lambda c: {"reason": "信息有误"}),
    Endpoint("GET",  "/portal/certificates",                       NO_STAFF),
    Endpoint("POST", "/portal/certificates/{app}/withdraw",        NO_STAFF),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)

RESIDENTS = ("own", "other")
FOR_RESIDENTS = {
    ("GET", "/portal/certificates"): "200 200",
    ("POST", "/portal/certificates/{app}/withdraw"): "200 404",
}


@pytest.fixture
def ctx(world, place):
    made = {}
    for key, resident, worker in (("in", place.resident_a, "community_worker"), ("out", place.resident_b, None)):
        app = services.portal_apply(resident=resident, **fields(place.residence))
        issued = services.portal_apply(resident=resident, **fields(place.residence))
        user = world.users[worker] if worker else factories.user("cw_b", factories.Role.COMMUNITY_WORKER,
                                                                 world.community_b1)  # fmt: skip
        cert = services.application_issue(user=user, application_id=issued.pk, version=1)
        made[key] = Ctx(app.pk, cert.pk, place.residence.pk)
    return made


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_resident_gets_what_the_table_says(world, place, ctx, endpoint):
    users = {"own": place.resident_a.user, "other": place.resident_b.user}
    want = expected(FOR_RESIDENTS.get((endpoint.method, endpoint.url), "403 403"), RESIDENTS)
    assert statuses(users, endpoint, ctx["in"], RESIDENTS) == want


def test_a_resident_who_has_not_agreed_to_the_notice_is_refused(world, place, ctx):
    resident = factories.resident("13811119999", factories.person(world.grid_a1, name="赵未同意"), consent=False)
    endpoint = next(e for e in ENDPOINTS if e.url == "/portal/certificates")
    assert statuses({"r": resident.user}, endpoint, ctx["in"], ["r"]) == {"r": 403}


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    missing, extra = uncovered(ENDPOINTS, "/certificates", "/portal/certificates")
    assert missing == set() and extra == set()
