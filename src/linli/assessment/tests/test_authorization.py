"""Authorization matrix of /api/v1/assessment: every endpoint × every persona × an object in scope and one out.

- in scope  = community 甲一's unit (street 甲) of the district's star round, the district's scheme and round;
- out scope = community 乙一's unit (street 乙), and a scheme and a round that street 乙 made for itself.
Statuses: 200/201 allowed; 403 the persona may not do this (departments and companies take no part in assessment;
a stage belongs to its scorer); 404 the object is out of the persona's scope; 400 where the persona is allowed but
the request names units outside their region. The harness is linli.testing.authz.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from linli.assessment import rules, services, standard
from linli.assessment.models import Evidence, RoundUnit
from linli.testing import factories
from linli.testing.authz import Endpoint, anonymous_status, case_ids, matrix_cases, statuses, uncovered

from .conftest import star_scores


@dataclass
class Ctx:
    a: object  # the Assessment of conftest
    unit: RoundUnit
    scheme: object
    round: object
    stage: str = rules.SELF  # the sheet a row reads or writes; rows at a later stage move the unit there

    def url_values(self) -> dict:
        evidence = self.unit.evidence.values_list("pk", flat=True).first() or 0
        return {"unit": self.unit.pk, "scheme": self.scheme.pk, "round": self.round.pk, "evidence": evidence,
                "stage": self.stage}  # fmt: skip

    def sheet_version(self, stage: str) -> int:
        return self.unit.sheets.get(stage=stage).version


def at(stage: str) -> Callable[[Ctx], None]:
    def prepare(c: Ctx) -> None:
        RoundUnit.objects.filter(pk=c.unit.pk).update(stage=stage)
        c.stage = stage

    return prepare


def scored(c: Ctx) -> None:
    services.sheet_record(unit=c.unit, stage=rules.SELF, scores=star_scores(c.a.star, 9))


def all_reviewed(c: Ctx) -> None:
    c.round.units.update(stage=rules.CONFIRM)


def with_evidence(c: Ctx) -> None:
    e = Evidence(unit=c.unit, item=c.a.star.items.first(), stage=rules.SELF, name="台账.pdf",
                 content_type="application/pdf", size=9)  # fmt: skip
    e.file.save("台账.pdf", ContentFile(b"%PDF-1.4\n"), save=True)


def new_scheme(c: Ctx) -> dict:
    return {**standard.keypoint_scheme(), "key": "", "region_id": c.unit.region_id}


def sheet_body(stage: str, *, submit: bool = False) -> Callable[[Ctx], dict]:
    """Two scores to save; with submit all ten, saved and submitted in one call."""
    scores = (lambda c: star_scores(c.a.star, 9)) if submit else (lambda c: star_scores(c.a.star, 9)[:2])
    return lambda c: {"version": c.sheet_version(stage), "scores": scores(c), "submit": submit}


def evidence_form(c: Ctx) -> dict:
    return {"item_id": c.a.star.items.first().pk, "file": ContentFile(b"%PDF-1.4\n", name="自评报告.pdf")}


SHEET = "/assessment/units/{unit}/sheets/{stage}"
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
    Endpoint("GET",  "/assessment/rounds/{round}/results.xlsx",  ALL_READERS,
                                                   out_of_scope="200 200 404 404 404 404 403 403"),
    Endpoint("POST", "/assessment/rounds/{round}/confirm",       "200 200 403 403 403 403 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403",
             body=lambda c: {"version": c.round.version}, prepare=all_reviewed),
    # ---- one unit's sheets: read in the subtree; each stage written by its scorer only
    Endpoint("GET",  SHEET,                                      "200 200 200 200 404 404 403 403",
                                                   out_of_scope="200 200 404 404 404 404 403 403"),
    Endpoint("PUT",  SHEET,                                      "403 403 403 200 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=sheet_body(rules.SELF)),
    # save and submit in one call, as the scoring page's 提交
    Endpoint("PUT",  SHEET,                                      "403 403 403 200 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=sheet_body(rules.SELF, submit=True)),
    Endpoint("PUT",  SHEET,                                      "403 403 200 403 404 404 403 403",
             body=sheet_body(rules.FIRST, submit=True), prepare=at(rules.FIRST)),
    Endpoint("POST", SHEET + "/submit",                          "403 403 403 200 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=lambda c: {"version": c.sheet_version(rules.SELF)}, prepare=scored),
    Endpoint("PUT",  SHEET,                                      "403 403 200 403 404 404 403 403",
             body=sheet_body(rules.FIRST), prepare=at(rules.FIRST)),
    Endpoint("POST", "/assessment/units/{unit}/evidence",        "403 403 403 201 404 404 403 403",
                                                   out_of_scope="403 403 404 404 404 404 403 403",
             body=evidence_form, form=True),
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
CASES = matrix_cases(ENDPOINTS)


def _contexts(a) -> dict[str, Ctx]:
    street_b = factories.user("street_staff_b2", "street_staff", a.world.street_b)
    scheme_b = services.scheme_create(user=street_b, data={**standard.keypoint_scheme(), "key": ""})
    round_b = services.round_create(
        user=street_b, scheme_id=scheme_b.pk, name="乙街道点位测评", period="2026年度", unit_ids=[a.b1.region_id]
    )
    return {"in": Ctx(a, a.a1, a.star, a.round), "out": Ctx(a, a.b1, scheme_b, round_b)}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# A row per test: the rows' `prepare` moves the shared context through the review stages.
@pytest.mark.parametrize("endpoint, scope", CASES, ids=case_ids(CASES))
def test_each_persona_gets_what_the_table_says(a, media, endpoint, scope):
    assert statuses(a.users, endpoint, _contexts(a)[scope]) == endpoint.expected(scope)


@pytest.mark.parametrize("stage", list(STAGE_ROWS))
def test_each_review_stage_has_its_scorer(a, stage):
    endpoint = Endpoint("PUT", SHEET, STAGE_ROWS[stage], body=sheet_body(stage), prepare=at(stage))
    assert statuses(a.users, endpoint, _contexts(a)["in"]) == endpoint.expected()


def test_without_credentials_every_endpoint_answers_401(a, media):
    ctx = _contexts(a)["in"]
    assert {str(e): anonymous_status(e, ctx) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_assessment_endpoint():
    assert uncovered(ENDPOINTS, "/assessment") == (set(), set())
