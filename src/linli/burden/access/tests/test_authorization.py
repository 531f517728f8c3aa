"""Authorization matrix of /api/v1/burden/lists and /api/v1/burden/access.

Staff personas (linli.testing.factories). In scope: the world district's lists, and the department's applications
(one submitted naming 甲一社区, one draft with its documents, one past 初审). Out of scope: another district's lists
and applications, and — for the applying body's own steps — the street's draft. Everybody in the district but grid
workers and companies reads the lists; only the district edits them. Departments, streets and the district apply;
the district (and the administrator) review. Residents get 403 everywhere."""

from dataclasses import dataclass

import pytest

from linli.burden import rules as b
from linli.burden.access import services
from linli.burden.models import AccessApplication, DutyItem
from linli.regions.models import Region
from linli.testing import factories
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, statuses, uncovered

from .conftest import apply, pdf


@dataclass
class Ctx:
    district: int
    item: int
    retired: int
    submitted: int
    draft: int
    doc: int
    passed: int


LISTS = "200 200 200 200 200 403 200 403"
LISTS_OUT = "200 404 404 404 404 403 404 403"
EDIT = "200 200 403 403 403 403 403 403"
EDIT_OUT = "200 404 403 403 403 403 403 403"
OWN = "200 404 404 403 403 403 200 403"  # the department's draft: its own body and the administrator
OWN_OUT = "200 404 200 403 403 403 404 403"  # the street's draft
REVIEW = "200 200 403 403 403 403 403 403"
REVIEW_OUT = "200 404 403 403 403 403 403 403"


def _c(status: str, new: str) -> str:
    return status.replace("200", new)


def item_body(c) -> dict:
    return {"category": "居民自治", "title": "召集居民会议", "basis": "居委会组织法第十条", "reason": "文字精简",
            "version": 1}  # fmt: skip


def app_body(c) -> dict:
    return {"title": "油烟调查", "kind": "form", "content": "逐户登记", "basis": "大气污染防治法",
            "community_ids": [], "version": 1}  # fmt: skip


# fmt: off
ENDPOINTS = [
    #                                                                 adm dis str cw  cw2 grd dep com
    Endpoint("GET",    "/burden/lists?district_id={district}",        LISTS, out_of_scope=LISTS_OUT),
    Endpoint("POST",   "/burden/lists/defaults",                      EDIT, out_of_scope=EDIT_OUT,
             body=lambda c: {"district_id": c.district}),
    Endpoint("GET",    "/burden/lists/changes?district_id={district}", LISTS, out_of_scope=LISTS_OUT),
    Endpoint("POST",   "/burden/lists/items",                         _c(EDIT, "201"), out_of_scope=_c(EDIT_OUT, "201"),
             body=lambda c: {**item_body(c), "district_id": c.district, "list": "assist"}),
    Endpoint("GET",    "/burden/lists/items/{item}",                  LISTS, out_of_scope=LISTS_OUT),
    Endpoint("PUT",    "/burden/lists/items/{item}",                  EDIT, out_of_scope=EDIT_OUT, body=item_body),
    Endpoint("POST",   "/burden/lists/items/{item}/retire",           EDIT, out_of_scope=EDIT_OUT,
             body=lambda c: {"version": 1, "reason": "并入他项"}),
    Endpoint("POST",   "/burden/lists/items/{retired}/restore",       EDIT, out_of_scope=EDIT_OUT,
             body=lambda c: {"version": 2, "reason": "恢复"}),
    Endpoint("GET",    "/burden/access",                              LISTS),
    Endpoint("POST",   "/burden/access",                              "201 201 201 403 403 403 201 403",
             body=lambda c: {**app_body(c), "community_ids": []}),
    Endpoint("GET",    "/burden/access/{submitted}",                  "200 200 404 404 404 403 200 403",
             out_of_scope="200 404 404 404 404 403 404 403"),
    Endpoint("PUT",    "/burden/access/{draft}",                      OWN, out_of_scope=OWN_OUT, body=app_body),
    Endpoint("POST",   "/burden/access/{draft}/documents",            _c(OWN, "201"), out_of_scope=_c(OWN_OUT, "201"),
             body=lambda c: {"kind": "other", "file": pdf("附件.pdf")}, form=True),
    Endpoint("GET",    "/burden/access/{draft}/documents/{doc}",      "200 404 404 404 404 403 200 403"),
    Endpoint("DELETE", "/burden/access/{draft}/documents/{doc}",      _c(OWN, "204")),
    Endpoint("POST",   "/burden/access/{draft}/submit",               OWN, out_of_scope=OWN_OUT,
             body=lambda c: {"version": 1}),
    Endpoint("POST",   "/burden/access/{submitted}/withdraw",         "200 403 404 403 403 403 200 403",
             body=lambda c: {"version": 2}),
    Endpoint("POST",   "/burden/access/{submitted}/first-pass",       REVIEW, out_of_scope=REVIEW_OUT,
             body=lambda c: {"version": 2, "opinion": "依据充分"}),
    Endpoint("POST",   "/burden/access/{submitted}/first-refuse",     REVIEW, out_of_scope=REVIEW_OUT,
             body=lambda c: {"version": 2, "opinion": "属部门职责"}),
    Endpoint("POST",   "/burden/access/{passed}/approve",             REVIEW, out_of_scope=REVIEW_OUT,
             body=lambda c: {"version": 3}),
    Endpoint("POST",   "/burden/access/{passed}/refuse",              REVIEW, out_of_scope=REVIEW_OUT,
             body=lambda c: {"version": 3, "opinion": "不予准入"}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def _retired(district) -> DutyItem:
    item = DutyItem.objects.filter(district=district).order_by("-list", "-number").first()
    DutyItem.objects.filter(pk=item.pk).update(active=False, version=2)
    return item


def _passed(application: AccessApplication, first_reviewer) -> AccessApplication:
    AccessApplication.objects.filter(pk=application.pk).update(state=b.FIRST_PASSED, first_reviewer=first_reviewer,
                                                               version=3)  # fmt: skip
    return application


@pytest.fixture
def ctx(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.ensure_default_lists(world.district)
    inside_draft = apply(world, submit=False)
    inside = Ctx(
        district=world.district.pk,
        item=DutyItem.objects.get(district=world.district, list=b.DUTIES, number=1).pk,
        retired=_retired(world.district).pk,
        submitted=apply(world).pk,
        draft=inside_draft.pk,
        doc=inside_draft.documents.first().pk,
        passed=_passed(apply(world), world.users["street_staff"]).pk,
    )
    other = factories.region(None, Region.Level.DISTRICT, "210104000000", "大东区")
    services.ensure_default_lists(other)
    common = {"applicant": world.users["district_staff"], "office": other, "district": other, "title": "外区事项",
              "content": "c", "basis": "b"}  # fmt: skip
    street_draft = apply(world, user="street_staff", submit=False)
    outside = Ctx(
        district=other.pk,
        item=DutyItem.objects.get(district=other, list=b.DUTIES, number=1).pk,
        retired=_retired(other).pk,
        submitted=AccessApplication.objects.create(state=b.SUBMITTED, version=2, **common).pk,
        draft=street_draft.pk,
        doc=street_draft.documents.first().pk,
        passed=AccessApplication.objects.create(
            state=b.FIRST_PASSED, first_reviewer=world.users["street_staff"], version=3, **common
        ).pk,  # fmt: skip
    )
    return {"in": inside, "out": outside}


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


def test_residents_get_403_everywhere(world, ctx):
    person = factories.person(world.grid_a1, name="居民甲")
    users = {"resident": factories.resident("13811110000", person).user}
    got = {str(e): statuses(users, e, ctx["in"], ("resident",))["resident"] for e in ENDPOINTS}
    assert got == {str(e): 403 for e in ENDPOINTS}


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/burden/lists", "/burden/access") == (set(), set())
