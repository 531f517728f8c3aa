"""Authorization matrix: every API endpoint × every persona × an object in scope and one out of scope.

Read a row as "what each persona gets back". The objects come from `apiclient.registry`:
- in scope  = place "a1" (grid 甲一1 of community 甲一, street 甲): every region persona but community_worker2 sees it;
- out scope = place "b1" (grid 乙一1 of community 乙一, street 乙): only admin and district_staff see it.
Statuses: 200/201/204 allowed; 403 the persona may not do this at all; 404 the object is out of the persona's
scope (it looks exactly like a missing one). Department and company staff keep no people registry, but they
read the region tree of the district they serve.

The rows run through the one matrix harness, linli.testing.authz: each persona's call in a savepoint that is rolled
back, so every persona meets the same data.
"""

from datetime import date

import pytest

from linli.testing import factories
from linli.testing.apiclient import ApiClient, Place, registry
from linli.testing.authz import (
    PERSONAS,
    Endpoint,
    anonymous_response,
    answers,
    matrix_cases,
    uncovered,
)


def new_person(p: Place) -> dict:
    return {"name": "新居民", "id_number": factories.resident_id(date(1985, 1, 1)), "household_id": p.household.pk}


def new_house(p: Place) -> dict:
    return {"estate_id": p.estate.pk, "grid_id": p.grid.pk, "building": "9", "unit": "1", "number": "901"}


def new_rental(p: Place) -> dict:
    return {"house_id": p.house.pk, "landlord_id": p.person.pk, "starts_on": "2026-01-01", "tenant_ids": [p.person.pk]}


def new_grid(p: Place) -> dict:
    community = p.estate.region
    return {
        "parent_id": community.pk,
        "level": 6,
        "code": community.code + "009",
        "name": "新网格",
        "grid_kind": "small",
    }


def new_census(p: Place) -> dict:
    return {"kind": "census", "title": "人口普查", "region_id": p.estate.region.parent_id, "standard_day": "2026-11-01"}


ALL_200 = "200 200 200 200 200 200 200 200"
# fmt: off
ENDPOINTS = [
    #                                                            adm dis str cw  cw2 grd dep com
    Endpoint("GET",    "/auth/me",                              ALL_200),
    Endpoint("POST",   "/auth/logout",                          "204 204 204 204 204 204 204 204"),
    Endpoint("POST",   "/auth/logout-all",                      "204 204 204 204 204 204 204 204"),
    # ---- people registry: lists (which rows each persona gets is checked below)
    Endpoint("GET",    "/persons",                              ALL_200),
    Endpoint("POST",   "/persons/search",                       ALL_200,
             body=lambda p: {"id_number": p.person.id_number}),
    Endpoint("GET",    "/households",                           ALL_200),
    Endpoint("GET",    "/houses",                               ALL_200),
    Endpoint("GET",    "/estates",                              ALL_200),
    Endpoint("GET",    "/tags",                                 ALL_200),
    # a filter naming a region checks it is in the persona's region scope
    Endpoint("GET",    "/persons?region={grid}",                "200 200 200 200 404 200 200 200",
                                                   out_of_scope="200 200 404 404 404 404 200 200"),
    # ---- persons
    Endpoint("POST",   "/persons",                              "201 201 201 201 404 201 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403", body=new_person),
    Endpoint("GET",    "/persons/{person}",                     "200 200 200 200 404 200 404 404",
                                                   out_of_scope="200 200 404 404 404 404 404 404"),
    Endpoint("PATCH",  "/persons/{person}",                     "200 200 200 200 404 200 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda p: {"version": 1, "employer": "市一医院"}),
    # only admin and street_staff hold people.view_pii
    Endpoint("POST",   "/persons/{person}/reveal",              "200 403 200 403 403 403 403 403",
                                                   out_of_scope="200 403 404 403 403 403 403 403",
             body=lambda p: {"purpose": "入户走访核实身份"}),
    Endpoint("POST",   "/persons/{person}/tags",                "200 200 200 200 404 200 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda p: {"tag": "subsistence"}),
    Endpoint("DELETE", "/persons/{person}/tags/{tag}",          "204 204 204 204 404 204 403 403",
                                                   out_of_scope="204 204 404 404 404 404 403 403"),
    # ---- households
    Endpoint("POST",   "/households",                           "201 201 201 201 404 201 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403",
             body=lambda p: {"number": "NEW-0001", "house_id": p.house.pk}),
    Endpoint("GET",    "/households/{household}",               "200 200 200 200 404 200 404 404",
                                                   out_of_scope="200 200 404 404 404 404 404 404"),
    Endpoint("PATCH",  "/households/{household}",               "200 200 200 200 404 200 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda p: {"version": 1, "note": "三代同堂"}),
    # ---- houses and rentals (a grid worker sees the houses of the grid, but not the estate around them)
    Endpoint("POST",   "/houses",                               "201 201 201 201 404 404 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403", body=new_house),
    Endpoint("GET",    "/houses/{house}",                       "200 200 200 200 404 200 404 404",
                                                   out_of_scope="200 200 404 404 404 404 404 404"),
    Endpoint("PATCH",  "/houses/{house}",                       "200 200 200 200 404 200 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda p: {"version": 1, "use": "vacant"}),
    Endpoint("GET",    "/houses/{house}/rentals",               "200 200 200 200 404 200 404 404",
                                                   out_of_scope="200 200 404 404 404 404 404 404"),
    Endpoint("POST",   "/rentals",                              "201 201 201 201 404 201 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403", body=new_rental),
    # ---- estates belong to a community: a grid worker's scope is below that
    Endpoint("POST",   "/estates",                              "201 201 201 201 404 404 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403",
             body=lambda p: {"region_id": p.estate.region_id, "name": "新小区"}),
    Endpoint("GET",    "/estates/{estate}",                     "200 200 200 200 404 404 404 404",
                                                   out_of_scope="200 200 404 404 404 404 404 404"),
    Endpoint("PATCH",  "/estates/{estate}",                     "200 200 200 200 404 404 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda p: {"version": 1, "address": "青年大街1号"}),
    # ---- region tree: everyone reads their subtree; admin, district and street staff edit below their node
    Endpoint("GET",    "/regions",                              ALL_200),
    Endpoint("POST",   "/regions",                              "201 201 201 403 404 404 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403", body=new_grid),
    Endpoint("GET",    "/regions/geojson?parent={community}",   "200 200 200 200 404 404 200 200",
                                                   out_of_scope="200 200 404 404 404 404 200 200"),
    Endpoint("GET",    "/regions/{grid}",                       "200 200 200 200 404 200 200 200",
                                                   out_of_scope="200 200 404 404 404 404 200 200"),
    Endpoint("PATCH",  "/regions/{grid}",                       "200 200 200 403 404 403 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda p: {"version": 1, "name": "新名称"}),
    Endpoint("GET",    "/regions/{community}/children",         "200 200 200 200 404 404 200 200",
                                                   out_of_scope="200 200 404 404 404 404 200 200"),
    Endpoint("GET",    "/regions/{grid}/staff",                 "200 200 200 200 404 200 200 200",
                                                   out_of_scope="200 200 404 404 404 404 200 200"),
    # ---- statistics: the caller's scope, or a node of it (out of scope → 404)
    Endpoint("GET",    "/stats/population",                     ALL_200),
    Endpoint("GET",    "/stats/population?region={grid}",       "200 200 200 200 404 200 200 200",
                                                   out_of_scope="200 200 404 404 404 404 200 200"),
    Endpoint("POST",   "/regions/{grid}/staff",                 "201 201 201 403 404 403 403 403",
                                                   out_of_scope="201 201 404 404 404 404 403 403",
             body=lambda p: {"duty": "worker", "name": "周敏", "phone": "13912345678"}),
    # ---- 工作台: the offices' summary; grid workers land on 手机巡查, departments and companies on 我的待办
    Endpoint("GET",    "/workbench",                            "200 200 200 200 200 403 403 403"),
    # ---- 调查与普查: the surveys of one's scope; offices running surveys set one up where they serve (a street
    # office not in 乙街道); one survey's rows: linli/surveys/tests/test_authorization.py
    Endpoint("GET",    "/surveys",                              "200 200 200 200 200 200 403 403"),
    Endpoint("POST",   "/surveys",                              "201 201 201 403 403 403 403 403",
             out_of_scope="201 201 404 403 403 403 403 403", body=new_census),
]
# fmt: on

CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(world):
    places = registry(world)
    got, table = answers(world.users, CASES, {"in": places["a1"], "out": places["b1"]})
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, endpoint):
    response = anonymous_response(endpoint, registry(world)["a1"])
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录", "errors": []}


# Served elsewhere: login is the way in (linli/accounts/tests); every other module keeps its own matrix beside its
# tests, on the same harness.
NOT_IN_THIS_TABLE = (
    "/api/v1/auth/login",
    "/api/v1/cases",  # linli/cases/tests/test_authorization.py
    "/api/v1/assessment",  # linli/assessment/tests/test_authorization.py
    "/api/v1/campaigns",  # linli/campaigns/plans/tests/test_api.py
    "/api/v1/campaign-progress",  # linli/campaigns/progress/tests/test_authorization.py
    "/api/v1/campaign-documents",  # linli/campaigns/documents/tests/test_api.py
    "/api/v1/rectifications",  # linli/campaigns/rectification/tests/test_rectification.py
    "/api/v1/honours",  # linli/honours/tests/test_pages_api.py
    "/api/v1/map",  # linli/maps/tests/test_api.py (open to residents: no 401 without credentials)
    "/api/v1/bulletins",  # linli/bulletins/tests/test_authorization.py
    "/api/v1/imports",  # linli/people/imports/tests/test_api.py
    "/api/v1/notifications",  # linli/notifications/tests/test_api.py (each persona's own messages)
    "/api/v1/exports",  # linli/people/imports/tests/test_api.py
    "/api/v1/notices",  # linli/notices/tests/test_authorization.py, with /api/v1/portal/notices
    "/api/v1/property",  # linli/property/tests/test_api.py (the ranking is public: no 401 without credentials)
    "/api/v1/committees",  # linli/committees/tests/test_authorization.py
    "/api/v1/votes",  # linli/votes/tests/test_authorization.py, with /api/v1/portal/votes
    "/api/v1/consultation",  # linli/consultation/tests/test_authorization.py, with /api/v1/portal/consultation
    "/api/v1/portal",  # linli/residents/tests: residents only, each their own (staff 403: test_access.py)
    "/api/v1/resident-reviews",  # linli/residents/tests/test_binding_api.py
    "/api/v1/surveys/forms",  # linli/surveys/forms/tests/test_authorization.py (with a survey in and out of scope)
    # ---- surveys: 普查小区
    "/api/v1/surveys/areas",  # linli/surveys/areas/tests/test_authorization.py
    "/api/v1/surveys/entry",  # linli/surveys/entry/tests/test_authorization.py
    "/api/v1/surveys/quality",  # linli/surveys/quality/tests/test_authorization.py, with /api/v1/surveys/results
    "/api/v1/surveys/results",
    "/api/v1/surveys/coverage",  # linli/surveys/coverage/tests/test_authorization.py
    "/api/v1/surveys/frames",  # linli/surveys/frames/tests/test_authorization.py (with surveys in and out of scope)
    "/api/v1/surveys/{}",  # linli/surveys/tests/test_authorization.py
    # ---- donation drives
    "/api/v1/donations",  # linli/donations/tests/test_authorization.py
    # ---- volunteers A: volunteers, teams, hours, stars, certificates, with /api/v1/portal/volunteer
    "/api/v1/volunteers",  # linli/volunteers/registry/tests/test_authorization.py
    # ---- volunteers: activities
    "/api/v1/volunteers/activities",  # linli/volunteers/activities/tests/test_authorization.py, with its portal's
    # ---- 社区减负: the two lists and work-access applications; work given to communities and the burden report
    "/api/v1/burden/lists",  # linli/burden/access/tests/test_authorization.py, with /api/v1/burden/access
    "/api/v1/burden/access",
    "/api/v1/burden/work",  # linli/burden/work/tests/test_report.py
    # ---- 电子台账: boxes, items, categories and evidence; the search
    "/api/v1/archives",  # linli/archives/tests/test_authorization.py, linli/archives/search/tests/test_search.py
    # ---- 居委会证明, with the residents' /api/v1/portal/certificates
    "/api/v1/certificates",  # linli/certificates/tests/test_authorization.py
    "/api/v1/portal/certificates",
)


def test_the_table_covers_every_endpoint():
    missing, stale = uncovered(ENDPOINTS, "")
    elsewhere = {(method, path) for method, path in missing if path.startswith(NOT_IN_THIS_TABLE)}
    assert missing - elsewhere == set(), "endpoints missing from the authorization matrix"
    assert stale == set(), "rows for endpoints that do not exist"
    named = {prefix for prefix in NOT_IN_THIS_TABLE if any(path.startswith(prefix) for _, path in elsewhere)}
    assert named == set(NOT_IN_THIS_TABLE), "exclusions that name no endpoint"


# ---------------------------------------------------------------- list endpoints return only in-scope rows

REGISTRY_ROWS = {
    "admin": "a1 a2 b1",
    "district_staff": "a1 a2 b1",
    "street_staff": "a1 a2",
    "community_worker": "a1",
    "community_worker2": "a2",
    "grid_worker": "a1",
    "dept_handler": "",
    "company_staff": "",
}
ESTATE_ROWS = {**REGISTRY_ROWS, "grid_worker": ""}  # estates hang off the community, above a grid
GRID_ROWS = {
    "admin": "a1 a1b a2 b1",
    "district_staff": "a1 a1b a2 b1",
    "street_staff": "a1 a1b a2",
    "community_worker": "a1 a1b",
    "community_worker2": "a2",
    "grid_worker": "a1",
    "dept_handler": "a1 a1b a2 b1",  # organisations read the region tree of the district they serve
    "company_staff": "a1 a1b a2 b1",
}


def _by_grid(item):
    return item["grid"]["id"]


LISTS = [
    # url, expected keys per persona, the region (grid or community) a row belongs to
    ("/persons", REGISTRY_ROWS, _by_grid),
    ("/households", REGISTRY_ROWS, _by_grid),
    ("/houses", REGISTRY_ROWS, _by_grid),
    ("/estates", ESTATE_ROWS, lambda item: item["region"]["id"]),
    ("/regions?level=6", GRID_ROWS, lambda item: item["id"]),
    ("/regions/geojson", GRID_ROWS, lambda item: item["id"]),
]


@pytest.mark.parametrize("url, expected, region_of", LISTS, ids=[row[0] for row in LISTS])
def test_lists_hold_only_rows_in_scope(world, url, expected, region_of):
    registry(world)
    key = {
        world.grid_a1.pk: "a1",
        world.grid_a1b.pk: "a1b",
        world.grid_a2.pk: "a2",
        world.grid_b1.pk: "b1",
        world.community_a1.pk: "a1",
        world.community_a2.pk: "a2",
        world.community_b1.pk: "b1",
    }
    got = {}
    for role in PERSONAS:
        body = ApiClient(world.users[role]).get(url).json()
        rows = body["features"] if "features" in body else body["items"]
        if "count" in body:
            assert body["count"] == len(rows)
        got[role] = " ".join(sorted(key[region_of(row)] for row in rows))
    assert got == expected


@pytest.mark.parametrize("number", ["id_number", "phone"])
def test_a_search_by_number_finds_only_rows_in_scope(world, number):
    places = registry(world).places
    key = {place.grid.pk: name for name, place in places.items()}
    got = {}
    for role in PERSONAS:
        api = ApiClient(world.users[role])
        rows = {
            key[row["grid"]["id"]]
            for place in places.values()
            for row in api.post("/persons/search", {number: getattr(place.person, number)}).json()["items"]
        }
        got[role] = " ".join(sorted(rows))
    assert got == REGISTRY_ROWS


def test_sensitive_tags_are_listed_only_with_the_permission(world):
    sees_sensitive = {
        role: any(t["sensitive"] for t in ApiClient(world.users[role]).get("/tags", {"page_size": 100}).json()["items"])
        for role in PERSONAS
    }
    assert sees_sensitive == {role: role in ("admin", "street_staff") for role in PERSONAS}


def test_a_person_shows_sensitive_tags_only_with_the_permission(world):
    person = registry(world)["a1"].person  # tagged 独居老人 and the sensitive 精神障碍患者
    tags = {
        role: [t["code"] for t in ApiClient(world.users[role]).get(f"/persons/{person.pk}").json()["tags"]]
        for role in ("admin", "district_staff", "street_staff", "community_worker", "grid_worker")
    }
    assert tags == {
        "admin": ["elderly_alone", "mental_disorder"],
        "district_staff": ["elderly_alone"],
        "street_staff": ["elderly_alone", "mental_disorder"],
        "community_worker": ["elderly_alone"],
        "grid_worker": ["elderly_alone"],
    }
