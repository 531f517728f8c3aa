"""Authorization matrix of /api/v1/surveys/forms and of the 调查表 pages.

Forms are shared by the district's surveys: the offices that run surveys (RUN_SURVEYS: administrator, district and
street staff) draft and publish versions, those that follow them (VIEW_SURVEYS: community workers too) read them;
grid workers (enumerators only), departments and companies get 403. A survey's forms: in scope = a census of 甲街道
(its communities see it, as they see their street's plans), out of scope = one of 乙街道.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from linli.surveys.forms import services
from linli.testing.authz import PERSONAS, Endpoint, anonymous_status, answers, expected, matrix_cases, uncovered

from .helpers import default, survey


@dataclass
class Ctx:
    published: int
    draft: int
    survey: int
    role: str = "short"


READERS = "200 200 200 200 200 403 403 403"
# fmt: off
ENDPOINTS = [
    #                                                                adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/surveys/forms",                               READERS),
    Endpoint("GET",  "/surveys/forms/versions/{published}",          READERS),
    Endpoint("POST", "/surveys/forms/versions/{published}/copy",     "201 201 201 403 403 403 403 403",
             body=lambda c: {}),
    Endpoint("PUT",  "/surveys/forms/versions/{draft}",              "200 200 200 403 403 403 403 403",
             body=lambda c: {"definition": default("census-death").definition, "note": "改说明", "revision": 1}),
    Endpoint("POST", "/surveys/forms/versions/{draft}/publish",      "200 200 200 403 403 403 403 403"),
    Endpoint("GET",  "/surveys/forms/surveys/{survey}",              READERS,
             out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("PUT",  "/surveys/forms/surveys/{survey}/{role}",       "200 200 200 403 403 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403",
             body=lambda c: {"version_id": default("census-short").pk}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


@pytest.fixture
def ctx(world):
    draft = services.form_version_create(user=world.users["admin"], version_id=default("census-death").pk)
    published = default("census-short").pk
    return {
        "in": Ctx(published, draft.pk, survey(world.street_a).pk),
        "out": Ctx(published, draft.pk, survey(world.street_b).pk),
    }


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/surveys/forms") == (set(), set())


# ---------------------------------------------------------------- pages

# fmt: off
PAGES = [
    #                                                    adm dis str cw  cw2 grd dep com
    ("survey_forms:list", "",                            READERS),
    ("survey_forms:version", "published",                READERS),
    ("survey_forms:version", "draft",                    READERS),
    ("survey_forms:edit", "draft",                       "200 200 200 403 403 403 403 403"),
    ("survey_forms:survey", "survey",                    READERS),
    ("survey_forms:survey", "out_survey",                "200 200 404 404 404 403 403 403"),
]
POSTS = [
    ("survey_forms:copy", "published",                   "302 302 302 403 403 403 403 403"),
    ("survey_forms:publish", "draft",                    "302 302 302 403 403 403 403 403"),
]
# fmt: on


def page_url(name, key, ctx):
    if not key:
        return reverse(name)
    if key == "out_survey":
        return reverse(name, args=[ctx["out"].survey])
    return reverse(name, args=[getattr(ctx["in"], key)])


@pytest.mark.parametrize("name, key, line", PAGES + POSTS, ids=[f"{n}-{k}" for n, k, _ in PAGES + POSTS])
def test_each_persona_gets_the_pages_the_table_says(world, ctx, name, key, line):
    url, post = page_url(name, key, ctx), (name, key, line) in POSTS
    got = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(world.users[persona])
        with transaction.atomic():
            got[persona] = (client.post(url) if post else client.get(url)).status_code
            transaction.set_rollback(True)
    assert got == expected(line)
