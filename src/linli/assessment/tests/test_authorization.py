"""Authorization matrix of /api/v1/assessment: every endpoint × every persona × an object in scope and one out.

- in scope  = community 甲一's unit (street 甲) of the district's star round, the district's scheme and round;
- out scope = community 乙一's unit (street 乙), and a scheme and a round that street 乙 made for itself.
Statuses: 200/201 allowed; 403 the persona may not do this (departments and companies take no part in assessment;
a stage belongs to its scorer); 404 the object is out of the persona's scope; 400 where the persona is allowed but
the request names units outside their region. Each call runs in a savepoint that is rolled back.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client

from linli.api import api
from linli.assessment import rules, services, standard
from linli.assessment.models import Evidence, RoundUnit
from linli.testing import factories
from linli.testing.apiclient import API, ApiClient

from .conftest import star_scores

ROLES = factories.PERSONAS


@dataclass
class Ctx:
    a: object  # the Assessment of conftest
    unit: RoundUnit
    scheme: object
    round: object

    @property
    def sheet_version(self):
        return lambda stage: self.unit.sheets.get(stage=stage).version


def at(stage: str) -> Callable[[Ctx], None]:
    def prepare(c: Ctx) -> None:
        RoundUnit.objects.filter(pk=c.unit.pk).update(stage=stage)

    return prepare


def scored(c: Ctx) -> None:
    services.sheet_record(unit=c.unit, stage=rules.SELF, scores=star_scores(c.a.star, 9))


def all_reviewed(c: Ctx) -> None:
    c.round.units.update(stage=rules.CONFIRM)


def with_evidence(c: Ctx) -> None:
    e = Evidence(unit=c.unit, item=c.a.star.items.first(), stage=rules.SELF, name="台账.pdf",
                 content_type="application/pdf", size=9)  # fmt: skip
    e.file.save("台账.pdf", ContentFile(b"%PDF-1.4\n"), save=True)


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # placeholders: {unit} {scheme} {round} {evidence}
    in_scope: str
    out_of_scope: str | None = None
    body: Callable[[Ctx], dict] | None = None
    prepare: Callable[[Ctx], None] | None = None
    multipart: bool = False

    def __str__(self):
        return f"{self.method} {self.url}"


def new_scheme(c: Ctx) -> dict:
    return {**standard.keypoint_scheme(), "key": "", "region_id": c.unit.region_id}


def sheet_body(stage: str) -> Callable[[Ctx], dict]:
    return lambda c: {"version": c.sheet_version(stage), "scores": star_scores(c.a.star, 9)[:2]}


ALL_READERS = "200 200 200 200 200 200 403 403"
# fmt: off
ENDPOINTS = [
    #                                                            adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/assessment/schemes",                      ALL_READERS),
    Endpoint("POST", "/assessment/schemes",                      "201 201 201 403 403 403 403 403",
                                                   out_of_scope="201 201 404 403 403 403 403 403", body=new_scheme),
    # the admin belongs to no region to install for; installing again returns what is there
    Endpoint("POST", "/assessment/schemes/standard",             "400 201 201 403 403 403 403 403"),
    Endpoint("GET",  "/assessment/schemes/{scheme}",             ALL_READERS,
                                                   out_of_scope="200 200 404 404 404 404 403 403"),
    Endpoint("GET",  "/assessment/rounds",                       ALL_READERS),
    Endpoint("POST", "/assessment/rounds",                       "201 201 201 403 403 403 403 403",
                                                   out_of_scope="201 201 400 403 403 403 403 403",
             body=lambda c: {"scheme_id": c.a.star.pk, "name": "复测", "period": "2026年度",
                             "unit_ids": [c.unit.region_id]}),
    Endpoint("GET",  "/assessment/rounds/{round}",               ALL_READERS,
                                                   out_of_scope="200 200 404 404 404 404 403 403"),
    Endpoint("POST", "/assessment/rounds/{round}/confirm",       "200 200 403 403 403 403 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda c: {"version": c.round.version}, prepare=all_reviewed),
    # ---- one unit's sheets: read in the subtree; each stage written by its scorer only
    Endpoint("GET",  "/assessment/units/{unit}/sheets/self",     "200 200 200 200 404 404 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403"),
    Endpoint("PUT",  "/assessment/units/{unit}/sheets/self",     "403 403 403 200 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=sheet_body(rules.SELF)),
    Endpoint("POST", "/assessment/units/{unit}/sheets/self/submit", "403 403 403 200 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=lambda c: {"version": c.sheet_version(rules.SELF)}, prepare=scored),
    Endpoint("PUT",  "/assessment/units/{unit}/sheets/{stage}",  "403 403 200 403 404 404 403 403",
             body=sheet_body(rules.FIRST), prepare=at(rules.FIRST)),
    Endpoint("POST", "/assessment/units/{unit}/evidence",        "403 403 403 201 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=lambda c: {"item_id": c.a.star.items.first().pk}, multipart=True),
    Endpoint("GET",  "/assessment/units/{unit}/evidence/{evidence}", "200 200 200 200 404 404 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             prepare=with_evidence),
]
# fmt: on
STAGE_ROWS = {
    # the same PUT at each review stage: who scores 初审, 复核 and 认定 of a community
    rules.FIRST: "403 403 200 403 404 404 403 403",
    rules.RECHECK: "200 200 403 403 404 404 403 403",
    rules.CONFIRM: "200 200 403 403 404 404 403 403",
}

CASES = [(e, "in") for e in ENDPOINTS] + [(e, "out") for e in ENDPOINTS if e.out_of_scope]


def _contexts(a) -> dict[str, Ctx]:
    street_b = factories.user("street_staff_b2", "street_staff", a.world.street_b)
    scheme_b = services.scheme_create(user=street_b, data={**standard.keypoint_scheme(), "key": ""})
    round_b = services.round_create(
        user=street_b, scheme_id=scheme_b.pk, name="乙街道点位测评", period="2026年度", unit_ids=[a.b1.region_id]
    )
    return {"in": Ctx(a, a.a1, a.star, a.round), "out": Ctx(a, a.b1, scheme_b, round_b)}


def _call(user, endpoint: Endpoint, c: Ctx, stage: str = rules.FIRST):
    evidence = c.unit.evidence.values_list("pk", flat=True).first() or 0
    path = endpoint.url.format(unit=c.unit.pk, scheme=c.scheme.pk, round=c.round.pk, evidence=evidence, stage=stage)
    body = endpoint.body(c) if endpoint.body else None
    if endpoint.multipart:
        client = ApiClient(user).client if user else Client()
        return client.post(API + path, {**body, "file": ContentFile(b"%PDF-1.4\n", name="自评报告.pdf")})
    return ApiClient(user).request(endpoint.method, path, body)


def statuses(a, endpoint: Endpoint, c: Ctx, stage: str = rules.FIRST) -> dict[str, int]:
    got = {}
    for role in ROLES:
        with transaction.atomic():
            if endpoint.prepare:
                endpoint.prepare(c)
            if "{stage}" in endpoint.url:
                at(stage)(c)
            got[role] = _call(a.users[role], endpoint, c, stage).status_code
            transaction.set_rollback(True)
    return got


def expected(line: str) -> dict[str, int]:
    return dict(zip(ROLES, map(int, line.split()), strict=True))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("endpoint, scope", CASES, ids=[f"{e}-{s}" for e, s in CASES])
def test_each_persona_gets_what_the_table_says(a, media, endpoint, scope):
    c = _contexts(a)[scope]
    assert statuses(a, endpoint, c) == expected(endpoint.in_scope if scope == "in" else endpoint.out_of_scope)


@pytest.mark.parametrize("stage", list(STAGE_ROWS))
def test_each_review_stage_has_its_scorer(a, stage):
    endpoint = next(e for e in ENDPOINTS if "{stage}" in e.url)
    endpoint = Endpoint(endpoint.method, endpoint.url, STAGE_ROWS[stage], body=sheet_body(stage))
    assert statuses(a, endpoint, _contexts(a)["in"], stage) == expected(STAGE_ROWS[stage])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(a, media, endpoint):
    c = _contexts(a)["in"]
    if endpoint.prepare:
        endpoint.prepare(c)
    response = (
        _call(None, endpoint, c)
        if endpoint.multipart
        else ApiClient().request(
            endpoint.method,
            endpoint.url.format(unit=c.unit.pk, scheme=c.scheme.pk, round=c.round.pk, evidence=1, stage=rules.FIRST),
            endpoint.body(c) if endpoint.body else None,
        )
    )
    assert response.status_code == 401


def test_the_table_covers_every_assessment_endpoint():
    def shape(path: str) -> str:
        return re.sub(r"/sheets/\w+", "/sheets/{}", re.sub(r"\{[^}]*\}", "{}", path))

    served = {
        (method.upper(), shape(path))
        for path, operations in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/v1/assessment")
        for method in operations
    }
    tabled = {(e.method, shape("/api/v1" + e.url)) for e in ENDPOINTS}
    assert served == tabled
