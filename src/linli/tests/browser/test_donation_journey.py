"""公益捐助 in Chromium: the street office approves a community's disbursement from its list; the statistics draw
their charts under the CSP; anyone reads the public ledger on a 360 px phone, names masked, the balance reconciled."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def _drive(world):
    from linli.donations import services

    worker = world.users["community_worker"]
    drive = services.drive_create(user=worker, region_id=world.community_a1.pk, title="帮扶火灾受困家庭",
                                  purpose="为3号楼火灾受困家庭募集", target=Decimal(20000), starts_on=date(2026, 11, 1),
                                  ends_on=date(2026, 12, 31))  # fmt: skip
    for name, method, amount in (("张三丰", "cash", "3000.00"), ("沈河区某商贸公司", "transfer", "5000.00")):
        services.receipt_record(user=worker, drive_id=drive.pk, donor_name=name, method=method, amount=Decimal(amount),
                                donor_kind="organisation" if method == "transfer" else "person", anonymous=False,
                                received_on=date(2026, 11, 5))  # fmt: skip
    b = services.beneficiary_add(user=worker, drive_id=drive.pk, name="王小明", need="房屋烧毁",
                                 consent_on=date(2026, 11, 2), consent_note="本人书面同意")  # fmt: skip
    services.disbursement_ask(user=worker, drive_id=drive.pk, fund="money", amount=Decimal("6000.00"),
                              purpose="生活救助金", beneficiary_id=b.pk,
                              evidence=ContentFile(b"%PDF-1.4 list", name="签收表.pdf"))  # fmt: skip
    return drive


def test_the_street_approves_and_the_public_reads_the_ledger(browser_page, world, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    drive = _drive(world)
    street = browser_page("street_staff")
    street.on("dialog", lambda dialog: dialog.accept())
    street.goto("/donations/")
    expect(street.get_by_role("heading", name="待我审批的支出（1）")).to_be_visible()
    street.get_by_role("button", name="批准", exact=True).click()
    expect(street.locator(".alert")).to_contain_text("已批准")
    street.goto("/donations/statistics/")
    expect(street.locator("#donation-drives canvas")).to_have_count(1)
    expect(street.locator("#donation-months canvas")).to_have_count(1)
    assert street.errors == []

    phone = browser_page(None, SMALL_PHONE)
    phone.goto(f"/donations/public/{drive.pk}/")
    ledger = phone.locator(".ledger")
    expect(ledger).to_contain_text("张*丰")
    expect(ledger).to_contain_text("王*明")
    expect(phone.locator("main")).not_to_contain_text("张三丰")
    expect(phone.locator("main")).to_contain_text("逐笔核对相符")
    expect(ledger.locator("tfoot")).to_contain_text("2000.00")
    assert phone.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    assert phone.errors == []
