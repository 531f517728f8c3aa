"""Who gets what from quality control's and results' API: each persona against a census of street 甲 (its first
form lies in 甲一's area, entered by the grid worker) and, out of scope, a census of street 乙. The pages ask the
same selectors and services (test_pages.py)."""

import pytest

from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

from .builders import census, person_row


def recheck_body(ctx):
    return {
        "answers": {
            "H1": "1",
            "H2": 2,
            "P": [person_row("张三", "1", "1950-03-02"), person_row("李梅", "1", "2015-11-01")],
        }
    }


def correction_body(ctx):
    return {"path": "H2", "new": 3, "reason": "复核更正", "version": 1}


# Personas: admin, district_staff, street_staff, community_worker (甲一), community_worker2 (甲二), grid_worker
# (enumerator of 甲一's area), dept_handler, company_staff.
# fmt: off
ENDPOINTS = [
    # ---- 质量控制: offices with VIEW_SURVEYS read; RECHECK re-checks what it sees but did not enter; the survey's
    # office (RUN_SURVEYS) and the re-checkers correct
    Endpoint("GET",  "/surveys/quality/{survey}",                        "200 200 200 200 200 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/surveys/quality/responses/{response}",            "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("POST", "/surveys/quality/responses/{response}/recheck",    "201 201 201 201 404 403 404 404",
             out_of_scope="201 201 404 404 404 404 404 404", body=recheck_body),
    Endpoint("POST", "/surveys/quality/responses/{response}/corrections", "201 201 201 201 404 403 404 404",
             out_of_scope="201 201 404 404 404 404 404 404", body=correction_body),
    # ---- 进度与结果: VIEW_SURVEYS in scope (a community its own areas)
    Endpoint("GET",  "/surveys/results/{survey}",                        "200 200 200 200 200 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/surveys/results/{survey}/export",                 "200 200 200 200 200 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/surveys/results/{survey}/data/{role}",             "200 200 200 200 200 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/surveys/results/{survey}/codebook/{role}",         "200 200 200 200 200 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def contexts(world):
    return {"in": census(world), "out": census(world, elsewhere=True)}


def test_each_persona_gets_what_the_table_says(world, contexts):
    got, table = answers(world.users, CASES, contexts)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, contexts):
    assert {str(e): anonymous_status(e, contexts["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/surveys/quality", "/surveys/results") == (set(), set())
