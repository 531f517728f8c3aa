"""Authorization matrix of /api/v1/donations.

Staff personas (linli.testing.factories): in scope = drives of 甲一社区; out of scope = drives of 乙一社区 (another
street). Community, street and district staff read and run the drives of their scope; only street and district staff
(and the administrator) approve or refuse disbursements, never their own; grid workers, departments and companies get
403. Residents get 403 from every endpoint (their own pages are the public ones)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from linli.donations import services
from linli.testing import factories
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, statuses, uncovered

from .conftest import evidence


@dataclass
class Ctx:
    drive: int
    closable: int
    disbursement: int
    region: int
    version: int = 1


READERS = "200 200 200 200 404 403 403 403"
READERS_OUT = "200 200 404 404 404 403 403 403"
RUNNERS = "200 200 200 200 404 403 403 403"
RUNNERS_OUT = "200 200 404 404 404 403 403 403"
ADDERS = "201 201 201 201 404 403 403 403"
ADDERS_OUT = "201 201 404 404 404 403 403 403"
APPROVERS = "200 200 200 403 403 403 403 403"
APPROVERS_OUT = "200 200 404 403 403 403 403 403"
LISTS = "200 200 200 200 200 403 403 403"


def drive_body(c) -> dict:
    return {"region_id": c.region, "title": "助学", "purpose": "为困难家庭学生募集助学金", "target": "5000.00",
            "starts_on": "2026-09-01", "ends_on": "2026-12-31"}  # fmt: skip


def receipt_body(c) -> dict:
    return {"donor_name": "张三", "donor_kind": "person", "method": "cash", "amount": "100.00",
            "received_on": "2026-11-05"}  # fmt: skip


def ask_body(c) -> dict:
    return {
        "fund": "money",
        "amount": "10.00",
        "purpose": "救助金",
        "evidence": ContentFile(b"%PDF-1.4", name="签收.pdf"),
    }


# fmt: off
ENDPOINTS = [
    #                                                              adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/donations",                                 LISTS),
    Endpoint("POST", "/donations",                                 "201 201 201 201 404 403 403 403",
             out_of_scope="201 201 404 404 404 403 403 403", body=drive_body),
    Endpoint("GET",  "/donations/statistics",                      LISTS),
    Endpoint("GET",  "/donations/disbursements/awaiting",          APPROVERS),
    Endpoint("POST", "/donations/disbursements/{disbursement}/approve", APPROVERS, out_of_scope=APPROVERS_OUT,
             body=lambda c: {"version": 1}),
    Endpoint("POST", "/donations/disbursements/{disbursement}/refuse", APPROVERS, out_of_scope=APPROVERS_OUT,
             body=lambda c: {"version": 1, "note": "凭证不全"}),
    Endpoint("GET",  "/donations/{drive}",                         READERS, out_of_scope=READERS_OUT),
    Endpoint("PUT",  "/donations/{drive}",                         RUNNERS, out_of_scope=RUNNERS_OUT,
             body=lambda c: {**drive_body(c), "version": c.version}),
    Endpoint("POST", "/donations/{closable}/close",                RUNNERS, out_of_scope=RUNNERS_OUT,
             body=lambda c: {"version": 1, "summary": "已全部发放"}),
    Endpoint("GET",  "/donations/{drive}/ledger",                  READERS, out_of_scope=READERS_OUT),
    Endpoint("GET",  "/donations/{drive}/beneficiaries",           READERS, out_of_scope=READERS_OUT),
    Endpoint("POST", "/donations/{drive}/beneficiaries",           ADDERS, out_of_scope=ADDERS_OUT,
             body=lambda c: {"name": "王五", "need": "因病致困", "consent_on": "2026-11-01",
                             "consent_note": "本人书面同意"}),
    Endpoint("GET",  "/donations/{drive}/pledges",                 READERS, out_of_scope=READERS_OUT),
    Endpoint("POST", "/donations/{drive}/pledges",                 ADDERS, out_of_scope=ADDERS_OUT,
             body=lambda c: {"donor_name": "安居物业", "donor_kind": "organisation", "fund": "money",
                             "amount": "1000.00", "pledged_on": "2026-11-01"}),
    Endpoint("GET",  "/donations/{drive}/receipts",                READERS, out_of_scope=READERS_OUT),
    Endpoint("POST", "/donations/{drive}/receipts",                ADDERS, out_of_scope=ADDERS_OUT, body=receipt_body),
    Endpoint("GET",  "/donations/{drive}/disbursements",           READERS, out_of_scope=READERS_OUT),
    Endpoint("POST", "/donations/{drive}/disbursements",           ADDERS, out_of_scope=ADDERS_OUT, body=ask_body,
             form=True),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def _made(asker, runner, region) -> Ctx:
    def drive():
        return services.drive_create(user=runner, region_id=region.pk, title="帮扶火灾受困家庭", purpose="救助",
                                     target=Decimal(20000), starts_on=date(2026, 11, 1),
                                     ends_on=date(2026, 12, 31))  # fmt: skip

    main, closable = drive(), drive()
    services.receipt_record(user=runner, drive_id=main.pk, donor_name="张三", donor_kind="person", anonymous=False,
                            method="cash", amount=Decimal(1000), received_on=date(2026, 11, 2))  # fmt: skip
    asked = services.disbursement_ask(user=asker, drive_id=main.pk, fund="money", amount=Decimal(100),
                                      purpose="救助金", evidence=evidence())  # fmt: skip
    return Ctx(main.pk, closable.pk, asked.pk, region.pk)


@pytest.fixture
def ctx(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    street_b = factories.users(("street_b", factories.Role.STREET_STAFF, world.street_b, None, ()))["street_b"]
    worker = world.users["community_worker"]
    return {"in": _made(worker, worker, world.community_a1), "out": _made(street_b, street_b, world.community_b1)}


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
    assert uncovered(ENDPOINTS, "/donations") == (set(), set())
