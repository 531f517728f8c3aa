"""Authorization matrix of /api/v1/archives.

Staff personas (linli.testing.factories): in scope = a box of 甲一社区 (community_worker's office); out of scope = a
box of 乙一社区 (another street). The offices at and above a box read it; only its own office keeps it (the
administrator any); grid workers read only their grid's boxes (none here); departments and companies get 403.
Evidence: an item of the 甲一 box attached to 甲一社区's unit of an assessment round; whoever reads the unit opens
the item (whatever their archive scope), the unit's scorer at its stage attaches and removes. Residents get 403."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.archives import services
from linli.assessment import services as assessment
from linli.testing import factories
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, statuses, uncovered

from .conftest import make_box, make_item, pdf

READERS = "200 200 200 200 404 404 403 403"
READERS_OUT = "200 200 404 404 404 404 403 403"
KEEPERS = "200 403 403 200 404 404 403 403"
KEEPERS_OUT = "200 403 404 404 404 404 403 403"
GONE = "204 403 403 204 404 404 403 403"
GONE_OUT = "204 403 404 404 404 404 403 403"
UNIT_READERS = "200 200 200 200 404 404 403 403"


def item_body(c) -> dict:
    return {"category_id": c.category, "title": "宣传活动记录", "date": "2025-06-01", "tags": ["宣传"]}


# fmt: off
ENDPOINTS = [
    #                                                      adm dis str cw  cw2 grd dep com
    Endpoint("GET",    "/archives/categories",             "200 200 200 200 200 200 403 403"),
    Endpoint("POST",   "/archives/categories",             "201 201 403 403 403 403 403 403",
             body=lambda c: {"district_id": c.district, "name": "其他材料"}),
    Endpoint("PUT",    "/archives/categories/{own}",       "200 200 403 403 403 403 403 403",
             body=lambda c: {"name": "其他", "order": 3, "active": True}),
    Endpoint("GET",    "/archives/boxes",                  "200 200 200 200 200 200 403 403"),
    Endpoint("POST",   "/archives/boxes",                  "400 201 201 201 201 403 403 403",
             body=lambda c: {"topic": "创建文明城区", "year": 2026}),
    Endpoint("GET",    "/archives/boxes/{box}",            READERS, out_of_scope=READERS_OUT),
    Endpoint("PUT",    "/archives/boxes/{box}",            KEEPERS, out_of_scope=KEEPERS_OUT,
             body=lambda c: {"topic": "扫黄打非", "year": 2025, "note": "站点台账", "version": 1}),
    Endpoint("DELETE", "/archives/boxes/{empty}",          GONE, out_of_scope=GONE_OUT),
    Endpoint("GET",    "/archives/boxes/{box}/items",      READERS, out_of_scope=READERS_OUT),
    Endpoint("POST",   "/archives/boxes/{box}/items",      "201 403 403 201 404 404 403 403",
             out_of_scope="201 403 404 404 404 404 403 403", body=item_body, form=True),
    Endpoint("GET",    "/archives/boxes/{box}/export",     READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",    "/archives/items/{item}",           READERS, out_of_scope=READERS_OUT),
    Endpoint("PUT",    "/archives/items/{item}",           KEEPERS, out_of_scope=KEEPERS_OUT,
             body=lambda c: {**item_body(c), "version": 1}),
    Endpoint("POST",   "/archives/items/{item}/file",      KEEPERS, out_of_scope=KEEPERS_OUT,
             body=lambda c: {"version": 1, "file": pdf("新方案.pdf")}, form=True),
    Endpoint("GET",    "/archives/items/{item}/file",      READERS, out_of_scope=READERS_OUT),
    Endpoint("DELETE", "/archives/items/{item}",           GONE, out_of_scope=GONE_OUT),
    Endpoint("GET",    "/archives/evidence?source=assessment.unit&source_id={unit}", UNIT_READERS),
    Endpoint("POST",   "/archives/evidence",               "403 403 403 201 404 404 403 403",
             body=lambda c: {"item_id": c.free, "source": "assessment.unit", "source_id": c.unit,
                             "part_id": c.part}),
    Endpoint("DELETE", "/archives/evidence/{link}",        "403 403 403 204 404 404 403 403"),
    Endpoint("GET",    "/archives/evidence/{link}/file",   UNIT_READERS),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def _made(world, keeper, region, unit) -> dict:
    box = make_box(keeper, region_id=region.pk) if keeper.username == "admin" else make_box(keeper)
    empty = make_box(keeper, topic="社区减负", region_id=box.region_id)
    item = make_item(keeper, box, file=pdf())
    free = make_item(keeper, box, "活动记录", title="入户宣传")
    part = unit.round.scheme.items.order_by("order").first().pk if unit else 0
    link = 0
    if unit is not None:
        link = services.evidence_attach(user=keeper, item_id=item.pk, source="assessment.unit", source_id=unit.pk,
                                        part_id=part).pk  # fmt: skip
    return {"box": box.pk, "empty": empty.pk, "item": item.pk, "free": free.pk, "unit": unit.pk if unit else 0,
            "link": link, "part": part}  # fmt: skip


@pytest.fixture
def ctx(world, media):
    services.ensure_default_categories()
    own = services.category_create(user=world.users["district_staff"], district_id=world.district.pk, name="照片集")
    star, _ = assessment.standard_schemes_install(region=world.district)
    rnd = assessment.round_create(user=world.users["district_staff"], scheme_id=star.pk, name="2025年度星级评定",
                                  period="2025年度", unit_ids=[world.community_a1.pk])  # fmt: skip
    unit = rnd.units.get()
    keeper_b = factories.user("community_worker_b", "community_worker", world.community_b1)
    common = {"category": own.pk, "own": own.pk, "district": world.district.pk}
    inside = _made(world, world.users["community_worker"], world.community_a1, unit) | common
    outside = _made(world, keeper_b, world.community_b1, None) | common
    return {"in": SimpleNamespace(**inside), "out": SimpleNamespace(**outside)}


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_residents_get_403_everywhere(world, ctx, endpoint):
    person = factories.person(world.grid_a1, name="居民甲")
    users = {"resident": factories.resident("13811110000", person).user}
    assert statuses(users, endpoint, ctx["in"], ("resident",)) == {"resident": 403}


def test_without_credentials_every_endpoint_answers_401(world, ctx):
    assert {str(e): anonymous_status(e, ctx["in"]) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_the_table_covers_every_endpoint():
    prefixes = ("/archives/boxes", "/archives/items", "/archives/categories", "/archives/evidence")  # not search
    assert uncovered(ENDPOINTS, *prefixes) == (set(), set())


def test_a_bad_file_through_the_api_is_refused(world, ctx, client):
    client.force_login(world.users["community_worker"])
    bad = SimpleUploadedFile("通知.pdf", b"<html><script>alert(1)</script></html>")
    answer = client.post(
        f"/api/v1/archives/boxes/{ctx['in'].box}/items",
        {"category_id": ctx["in"].category, "title": "通知", "date": "2025-06-01", "file": bad},
    )
    assert answer.status_code == 400 and "file" in answer.content.decode()
