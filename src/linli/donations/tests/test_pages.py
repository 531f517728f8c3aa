"""The staff pages (/donations/) and the public ledger (/donations/public/): they call the API's services and
checks; the public sees no full name and no personal data; lists run a constant number of queries."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from linli.donations import rules, services
from linli.donations.models import Beneficiary, Disbursement, Drive, Receipt
from linli.testing import factories

from .conftest import ask, receive

pytestmark = pytest.mark.django_db


def test_a_community_runs_a_drive_and_the_street_approves(world, client):
    client.force_login(world.users["community_worker"])
    form = client.get("/donations/new/").content.decode()
    assert "甲一社区" in form and "乙一社区" not in form
    response = client.post("/donations/new/", {"region": world.community_a1.pk, "title": "帮扶火灾受困家庭",
                                                "purpose": "为3号楼火灾受困家庭募集", "target": "20000",
                                                "starts_on": "2026-11-01", "ends_on": "2026-12-31"})  # fmt: skip
    drive = Drive.objects.get()
    assert response.status_code == 302
    client.post(f"/donations/{drive.pk}/receipts/new/", {"donor_name": "张三丰", "donor_kind": "person",
                                                         "method": "cash", "amount": "3000.00",
                                                         "received_on": "2026-11-05"})  # fmt: skip
    client.post(f"/donations/{drive.pk}/receipts/new/", {"donor_kind": "person", "anonymous": "on", "method": "goods",
                                                         "amount": "2000", "goods": "大米50袋",
                                                         "valuation": "按超市零售价",
                                                         "received_on": "2026-11-06"})  # fmt: skip
    client.post(f"/donations/{drive.pk}/beneficiaries/new/", {"name": "王小明", "need": "房屋烧毁",
                                                              "consent_on": "2026-11-02",
                                                              "consent_note": "本人书面同意"})  # fmt: skip
    beneficiary = Beneficiary.objects.get()
    scan = SimpleUploadedFile("签收表.pdf", b"%PDF-1.4 list", content_type="application/pdf")
    data = {"fund": "money", "amount": "2500", "purpose": "生活救助金", "beneficiary": beneficiary.pk, "evidence": scan}
    response = client.post(f"/donations/{drive.pk}/disbursements/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert Receipt.objects.count() == 2 and Disbursement.objects.get().state == rules.ASKED
    # too much: refused beside the amount, nothing stored
    scan = SimpleUploadedFile("签收表.pdf", b"%PDF-1.4 list", content_type="application/pdf")
    response = client.post(f"/donations/{drive.pk}/disbursements/new/", {
        "fund": "money", "amount": "3000.01", "purpose": "x", "evidence": scan})  # fmt: skip
    assert response.status_code == 400 and "资金余额3,000.00元" in response.content.decode()
    page = client.get(f"/donations/{drive.pk}/").content.decode()
    assert "5000.00" in page and "待审批" in page and 'action="/donations/disbursements/' not in page

    client.force_login(world.users["street_staff"])
    listing = client.get("/donations/").content.decode()
    assert "待我审批的支出（1）" in listing
    d = Disbursement.objects.get()
    assert client.get(f"/donations/disbursements/{d.pk}/evidence/").status_code == 200
    client.post(f"/donations/disbursements/{d.pk}/approve/", {"version": d.version, "back": "list"})
    drive.refresh_from_db()
    assert (drive.balance.money, drive.balance.goods) == (Decimal("500.00"), Decimal("2000.00"))

    client.force_login(world.users["community_worker"])
    response = client.post(f"/donations/{drive.pk}/close/", {"summary": "结余转入社区救助金", "version": drive.version})
    assert response.status_code == 302
    report = client.get(f"/donations/{drive.pk}/report/").content.decode()
    assert "逐笔核对相符" in report and "王小明" in report
    workbook = load_workbook(BytesIO(client.get(f"/donations/{drive.pk}/report.xlsx").content))
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "帮扶火灾受困家庭 结项报告" in cells and "收入 − 支出 = 余额，逐笔相符" in cells


def test_the_asker_sees_no_approval_buttons_and_a_refusal_needs_a_reason(world, client, drive):
    receive(world, drive, "1000.00")
    d = ask(world, drive, "100.00", user="street_staff")
    client.force_login(world.users["street_staff"])
    assert f"/donations/disbursements/{d.pk}/approve/" not in client.get(f"/donations/{drive.pk}/").content.decode()
    client.force_login(world.users["district_staff"])
    response = client.post(f"/donations/disbursements/{d.pk}/refuse/", {"version": d.version}, follow=True)
    assert "不批准时请写明理由" in response.content.decode()
    client.post(f"/donations/disbursements/{d.pk}/refuse/", {"version": d.version, "note": "凭证不全"})
    d.refresh_from_db()
    assert d.state == rules.REFUSED


def test_the_community_worker_cannot_approve_and_others_cannot_open_the_pages(world, client, drive):
    receive(world, drive, "1000.00")
    d = ask(world, drive, "100.00")
    client.force_login(world.users["community_worker"])
    assert client.post(f"/donations/disbursements/{d.pk}/approve/", {"version": d.version}).status_code == 403
    client.force_login(world.users["grid_worker"])
    assert client.get("/donations/").status_code == 403
    client.force_login(world.users["community_worker2"])
    assert client.get(f"/donations/{drive.pk}/").status_code == 404
    assert client.get(f"/donations/disbursements/{d.pk}/evidence/").status_code == 404


def test_the_public_ledger_masks_names_and_reconciles(world, client, drive):
    receive(world, drive, "3000.00", donor_name="张三丰")
    receive(world, drive, "5000.00", "transfer", donor_name="沈河区某商贸公司", donor_kind="organisation")
    receive(world, drive, "100.00", donor_name="李四", anonymous=True)
    b = services.beneficiary_add(
        user=world.users["community_worker"], drive_id=drive.pk, name="王小明", need="房屋烧毁，母亲患病",
        consent_on=date(2026, 11, 2), consent_note="本人书面同意",
    )  # fmt: skip
    d = ask(world, drive, "6000.00", beneficiary_id=b.pk)
    services.disbursement_decide(user=world.users["street_staff"], disbursement_id=d.pk, version=d.version,
                                 approve=True)  # fmt: skip
    page = client.get(f"/donations/public/{drive.pk}/").content.decode()  # no login
    assert "张*丰" in page and "沈河区某商贸公司" in page and "爱心人士" in page and "王*明" in page
    for secret in ("张三丰", "李四", "王小明", "母亲患病"):
        assert secret not in page
    assert "逐笔核对相符" in page and "2100.00" in page
    assert client.get("/donations/public/").status_code == 200
    # a resident reaches the public pages (its namespace is a resident's) and the portal offers them
    resident = factories.resident("13811112222", factories.person(world.grid_a1, name="居民乙"))
    client.force_login(resident.user)
    assert client.get(f"/donations/public/{drive.pk}/").status_code == 200
    assert client.get("/donations/").status_code == 403
    assert "/donations/public/" in client.get("/portal/").content.decode()


def _fill(world, drive, n):
    for i in range(n):
        receive(world, drive, "10.00", donor_name=f"捐赠人{i}")
        if i % 2:
            d = ask(world, drive, "5.00")
            services.disbursement_decide(user=world.users["street_staff"], disbursement_id=d.pk, version=d.version,
                                         approve=True)  # fmt: skip


def test_pages_run_a_constant_number_of_queries(world, client, drive, django_assert_max_num_queries):
    counts = {}
    for n in (2, 12):
        _fill(world, drive, n - (2 if n == 12 else 0))
        client.force_login(world.users["street_staff"])
        for url in (f"/donations/{drive.pk}/", "/donations/", f"/donations/{drive.pk}/report/",
                    "/donations/statistics/"):  # fmt: skip
            with django_assert_max_num_queries(40) as ctx:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(ctx.captured_queries))
        client.logout()
        for url in (f"/donations/public/{drive.pk}/", "/donations/public/"):
            with django_assert_max_num_queries(20) as ctx:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(ctx.captured_queries))
    assert all(small == large for small, large in counts.values()), counts


def test_every_form_page_opens_and_a_stale_edit_is_refused(world, client, drive):
    client.force_login(world.users["community_worker"])
    for what in ("edit", "receipts/new", "pledges/new", "beneficiaries/new", "disbursements/new", "close"):
        assert client.get(f"/donations/{drive.pk}/{what}/").status_code == 200, what
    client.post(f"/donations/{drive.pk}/pledges/new/", {"donor_name": "安居物业", "donor_kind": "organisation",
                                                        "fund": "money", "amount": "5000",
                                                        "pledged_on": "2026-11-03"})  # fmt: skip
    assert "安居物业" in client.get(f"/donations/{drive.pk}/").content.decode()
    data = {"title": "改名", "purpose": "续募", "target": "30000", "starts_on": "2026-11-01", "ends_on": "2026-12-31"}
    assert client.post(f"/donations/{drive.pk}/edit/", {**data, "version": drive.version}).status_code == 302
    response = client.post(f"/donations/{drive.pk}/edit/", {**data, "version": drive.version})
    assert response.status_code == 400 and "数据已被他人修改" in response.content.decode()
    client.force_login(world.users["grid_worker"])
    assert client.get(f"/donations/{drive.pk}/edit/").status_code == 403
