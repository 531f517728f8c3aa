"""Honours pages and API: the authorization matrix (personas × in/out of scope), the public list without login,
the map, and constant queries at N and 10×N."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.honours import rules, services
from linli.honours.models import Honour
from linli.testing import factories
from linli.testing.apiclient import ApiClient

from .test_services import apply, granted, htype, step
from .test_services import rw as _rw  # noqa: F401

pytestmark = pytest.mark.django_db
ROLES = factories.PERSONAS


@pytest.fixture
def rw(_rw):  # noqa: F811
    return _rw


def _in_out(rw):
    """An application in 甲一 (in scope of street 甲) and a granted plate in 乙一 (out of it)."""
    inside = apply(rw)
    b1 = Honour.objects.create(honour_type=htype("civilised"), community=rw.w.community_b1, region=rw.w.community_b1,
                               statement="乙一社区申报文明社区", applicant=rw.users["admin"],
                               applied_at=inside.applied_at)  # fmt: skip
    return inside, b1


MATRIX = [
    # persona order: admin district street community community2 grid dept company
    ("get", "/honours/{id}", "in", "200 200 200 200 404 404 404 200"),
    ("get", "/honours/{id}", "out", "200 200 404 404 404 404 404 404"),
    ("post", "/honours/{id}/actions/review", "in", "200 403 200 403 404 404 404 403"),
    ("post", "/honours/{id}/actions/review", "out", "200 403 404 404 404 404 404 404"),
    ("post", "/honours", None, "403 403 403 201 400 403 403 201"),
    ("get", "/honours", None, "200 200 200 200 200 200 200 200"),
    ("get", "/honours/types", None, "200 200 200 200 200 200 200 200"),
]


@pytest.mark.parametrize("method, url, which, expected", MATRIX)
def test_api_authorization_matrix(rw, method, url, which, expected):
    inside, outside = _in_out(rw)
    target = {"in": inside, "out": outside}.get(which)
    got = []
    for role in ROLES:
        sid = transaction.savepoint()
        path = url.format(id=target.pk if target else 0)
        if url == "/honours":
            Honour.objects.filter(pk=inside.pk).update(status=rules.REJECTED)  # free the unit for a new one
            statement = "连续30天无新发病例，措施到位。"
            body = {"honour_type_id": htype().pk, "estate_id": rw.estate_a1.pk, "statement": statement}
        else:
            body = {"version": target.version if target else 1, "note": "同意"}
        response = ApiClient(rw.users[role]).request(method, path, body if method == "post" else None)
        got.append(str(response.status_code))
        transaction.savepoint_rollback(sid)
    assert " ".join(got) == expected


def test_api_list_is_scoped(rw):
    _in_out(rw)
    counts = {p: ApiClient(rw.users[p]).get("/honours").json()["count"] for p in ROLES}
    assert counts == {"admin": 2, "district_staff": 2, "street_staff": 1, "community_worker": 1,
                      "community_worker2": 0, "grid_worker": 0, "dept_handler": 0, "company_staff": 1}  # fmt: skip


def test_public_api_and_page_need_no_login(rw, django_capture_on_commit_callbacks):
    h = granted(rw)
    step(rw, "district_staff", h, "revoke", "检查发现卡口无人值守")
    granted(rw, code="civilised")
    body = ApiClient().get("/honours/public").json()
    assert [x["unit"] for x in body["current"]] == ["甲一社区"]
    assert body["revoked"][0]["revocation_reason"] == "人工摘牌：检查发现卡口无人值守"
    page = Client().get("/public/honours/")
    html = page.content.decode()
    assert page.status_code == 200 and "甲一社区" in html and "检查发现卡口无人值守" in html
    assert "honour-points" in html


@pytest.mark.parametrize(
    "persona, status",
    [("admin", 200), ("district_staff", 200), ("street_staff", 200), ("community_worker", 200),
     ("community_worker2", 404), ("grid_worker", 404), ("dept_handler", 404), ("company_staff", 200)],
)  # fmt: skip
def test_detail_page_matrix(rw, persona, status):
    h = apply(rw)
    client = Client()
    client.force_login(rw.users[persona])
    assert client.get(f"/honours/{h.pk}/").status_code == status


def test_pages_walk_the_flow(rw):
    worker, street, district = (Client() for _ in range(3))
    worker.force_login(rw.users["community_worker"])
    street.force_login(rw.users["street_staff"])
    district.force_login(rw.users["district_staff"])
    assert worker.get("/honours/apply/").status_code == 200
    form = {"honour_type_id": htype().pk, "estate_id": rw.estate_a1.pk}
    bad = worker.post("/honours/apply/", form | {"statement": "短"})
    assert bad.status_code == 400 and "申报说明至少10个字" in bad.content.decode()
    ok = worker.post("/honours/apply/", {"honour_type_id": htype().pk, "estate_id": rw.estate_a1.pk,
                                         "statement": "本小区连续30天无新发病例，措施全部落实。"})  # fmt: skip
    h = Honour.objects.get()
    assert ok.status_code == 302 and "待街道初审" not in ok.content.decode()
    assert "等待您审核" in street.get("/honours/").content.decode()
    street.post(f"/honours/{h.pk}/act/", {"action": "review", "version": h.version})
    h.refresh_from_db()
    stale = district.post(f"/honours/{h.pk}/act/", {"action": "grant", "version": h.version - 1})
    assert stale.status_code == 409
    assert district.post(f"/honours/{h.pk}/act/", {"action": "grant", "version": h.version}).status_code == 302
    h.refresh_from_db()
    assert h.status == rules.GRANTED
    assert street.post(f"/honours/{h.pk}/act/", {"action": "revoke", "version": h.version}).status_code == 403
    assert worker.get("/honours/apply/").status_code == 200
    assert street.get("/honours/apply/").status_code == 403
    assert "锦绣家园" in district.get("/honours/map/").content.decode()


def _many(rw, n: int):
    from linli.people.models import Estate

    start = Estate.objects.count()
    names = [f"小区{start + i}" for i in range(n)]
    Estate.objects.bulk_create(
        Estate(region=rw.w.community_a1, name=name, latitude="41.79", longitude="123.42") for name in names
    )
    t = htype()
    Honour.objects.bulk_create(
        Honour(honour_type=t, estate=e, region=e.region, statement="申报", applicant=rw.users["admin"],
               applied_at="2026-01-05T10:00:00+08:00", status=rules.GRANTED, number=f"无疫小区〔2026〕第{e.pk:03d}号",
               granted_on="2026-01-10", valid_until="2099-01-09", granted_at="2026-01-10T10:00:00+08:00")
        for e in Estate.objects.filter(name__in=names)
    )  # fmt: skip


@pytest.mark.parametrize(
    "persona, url",
    [("district_staff", "/honours/"), ("district_staff", "/honours/map/"), (None, "/public/honours/")],
)
def test_list_pages_cost_the_same_at_n_and_10n(rw, persona, url):
    client = Client()
    if persona:
        client.force_login(rw.users[persona])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _many(rw, 3)
    small = count()
    _many(rw, 27)
    assert count() == small
    services.honours_review()  # and the review leaves them all (no cases)
    assert Honour.objects.filter(status=rules.GRANTED).count() == 30
