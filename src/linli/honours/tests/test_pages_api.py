"""Honours pages and API: the authorization matrix (personas × in/out of scope), the public list without login,
the map, and constant queries at N and 10×N."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.honours import rules, services
from linli.honours.models import Honour
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

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


@dataclass
class Ctx:
    rw: object
    honour: Honour
    action: str = "review"  # the step the actions row takes; rows of other steps bring the honour to its source

    def url_values(self) -> dict:
        return {"id": self.honour.pk, "action": self.action}


def at(action: str, status: str):
    def prepare(c: Ctx) -> None:
        Honour.objects.filter(pk=c.honour.pk).update(status=status)
        c.action = action

    return prepare


def act_body(c: Ctx) -> dict:
    return {"version": Honour.objects.get(pk=c.honour.pk).version, "note": "同意"}


def free_the_unit(c: Ctx) -> None:
    Honour.objects.filter(pk=c.honour.pk).update(status=rules.REJECTED)


def apply_body(c: Ctx) -> dict:
    return {"honour_type_id": htype().pk, "estate_id": c.rw.estate_a1.pk, "statement": "连续30天无新发病例，措施到位。"}


ALL = "200 200 200 200 200 200 200 200"
DECIDERS = "200 200 403 403 404 404 404 403"
DECIDERS_OUT = "200 200 404 404 404 404 404 404"
ACT = "/honours/{id}/actions/{action}"
# fmt: off
ENDPOINTS = [
    #                                      adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/honours/{id}",      "200 200 200 200 404 404 404 200",
                              out_of_scope="200 200 404 404 404 404 404 404"),
    Endpoint("POST", ACT,                  "200 403 200 403 404 404 404 403",
                              out_of_scope="200 403 404 404 404 404 404 404", body=act_body),
    Endpoint("POST", ACT,                  "200 403 200 403 404 404 404 403",
                              out_of_scope="200 403 404 404 404 404 404 404", body=act_body,
             prepare=at("review_reject", rules.APPLIED)),
    Endpoint("POST", ACT,                  DECIDERS, out_of_scope=DECIDERS_OUT, body=act_body,
             prepare=at("grant", rules.REVIEWED)),
    Endpoint("POST", ACT,                  DECIDERS, out_of_scope=DECIDERS_OUT, body=act_body,
             prepare=at("reject", rules.REVIEWED)),
    Endpoint("POST", ACT,                  DECIDERS, out_of_scope=DECIDERS_OUT, body=act_body,
             prepare=at("revoke", rules.GRANTED)),
    Endpoint("POST", "/honours",           "403 403 403 201 400 403 403 201", body=apply_body, prepare=free_the_unit),
    Endpoint("GET",  "/honours",           ALL),
    Endpoint("GET",  "/honours/types",     ALL),
    Endpoint("GET",  "/honours/public",    ALL),  # no login needed
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def test_api_authorization_matrix(rw):
    inside, outside = _in_out(rw)
    got, table = answers(rw.users, CASES, {"in": Ctx(rw, inside), "out": Ctx(rw, outside)})
    assert got == table


def test_without_credentials_only_the_public_list_answers(rw):
    inside, _ = _in_out(rw)
    got = {str(e): anonymous_status(e, Ctx(rw, inside)) for e in ENDPOINTS}
    assert got == {str(e): 200 if e.url == "/honours/public" else 401 for e in ENDPOINTS}


def test_the_table_covers_every_honours_endpoint():
    assert uncovered(ENDPOINTS, "/honours") == (set(), set())


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


def test_the_apply_page_refuses_a_page_named_as_a_photo(rw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker = Client()
    worker.force_login(rw.users["community_worker"])
    fake = SimpleUploadedFile("照片.jpg", b"<!doctype html><script>alert(1)</script>", "image/jpeg")
    form = {"honour_type_id": htype().pk, "estate_id": rw.estate_a1.pk, "statement": "本小区连续30天无新发病例。"}
    response = worker.post("/honours/apply/", form | {"evidence": fake})
    assert response.status_code == 400
    assert "佐证材料（照片.jpg）已损坏或不是有效的JPEG文件" in response.content.decode()
    assert Honour.objects.count() == 0 and not any(tmp_path.rglob("*.*"))


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
