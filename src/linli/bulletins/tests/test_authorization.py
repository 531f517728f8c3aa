"""Authorization matrix of /api/v1/bulletins: every endpoint × every persona × an object in scope and one out.

- in scope  = the bulletin and the scheme of street 甲;
- out scope = the bulletin and the scheme of street 乙.
A bulletin is read where indicators are (district, street and community offices) in the reader's subtree and above
it: the communities of street 甲 read street 甲's bulletin. District and street offices issue bulletins and set
schemes for regions in their subtree. Statuses as in linli.testing.authz.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from linli.bulletins import rules, services
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered


@dataclass
class Ctx:
    bulletin: int
    street: int


SCHEME = {"weights": {"satisfaction_rate": 1}, "deductions": {"late_close": 1}, "floor": 0}
MONTH = rules.last_month(timezone.localdate()).isoformat()
READERS = "200 200 200 200 200 403 403 403"

# fmt: off
ENDPOINTS = [
    #                                                       adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/bulletins",                           READERS),
    Endpoint("POST", "/bulletins",                           "201 201 201 403 403 403 403 403",
             out_of_scope="201 201 404 403 403 403 403 403",
             body=lambda c: {"region_id": c.street, "month": MONTH, "group": "community"}),
    Endpoint("GET",  "/bulletins/{bulletin}",                READERS,
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/bulletins/{bulletin}/bulletin.docx",  READERS,
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/bulletins/{bulletin}/bulletin.xlsx",  READERS,
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/bulletins/schemes/{street}",          "200 200 200 404 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("PUT",  "/bulletins/schemes/{street}",          "200 200 200 403 403 403 403 403",
             out_of_scope="200 200 404 403 403 403 403 403", body=lambda c: SCHEME),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def ctx(w):
    admin = w.users["admin"]
    month = rules.last_month(timezone.localdate())
    made = {}
    for scope, street in (("in", w.street_a), ("out", w.street_b)):
        b = services.bulletin_issue(user=admin, region=street.pk, month=month, group="community")
        made[scope] = Ctx(b.pk, street.pk)
    return made


def test_each_persona_gets_what_the_table_says(w, ctx):
    got, table = answers(w.users, CASES, ctx)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(w, ctx):
    # One test for all rows: each would otherwise build the persona district again to be refused at the door.
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/bulletins") == (set(), set())
