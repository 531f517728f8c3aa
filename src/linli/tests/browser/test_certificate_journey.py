"""居委会证明 in Chromium: a resident applies on a phone (matter, requesting body and article, photos of ID and
户口本, the promise of truth); the community worker issues it and prints it with the seal's place; anyone checks the
code on a phone (valid, the name masked, no ID number)."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCAN = {"mimeType": "application/pdf", "buffer": b"%PDF-1.4 scan"}


def test_apply_on_a_phone_issue_and_verify(browser_page, world, live_server, settings, tmp_path):
    from linli.certificates import services
    from linli.testing import factories

    settings.MEDIA_ROOT = tmp_path
    services.ensure_default_matters(district=world.district)
    person = factories.person(world.grid_a1, name="王小明", phone="13800000011")
    resident = factories.resident("13800000011", person)

    phone = browser_page(None, PHONE)
    signed_in(phone, live_server, resident.user)
    phone.goto("/portal/")
    phone.get_by_role("link", name="开具证明").click()
    phone.get_by_role("link", name="申请开具证明").click()
    phone.select_option("#id_matter", label="居住情况证明")
    phone.fill("#id_requester", "沈河区某小学")
    phone.fill("#id_article", "《居住证暂行条例》第九条")
    phone.fill("#id_purpose", "子女入学")
    phone.fill("#id_reason", "办理子女入学需证明实际居住")
    phone.set_input_files("#id_id_card", {"name": "身份证.pdf", **SCAN})
    phone.set_input_files("#id_hukou", {"name": "户口本.pdf", **SCAN})
    phone.check("#id_promised")
    phone.get_by_role("button", name="承诺并提交").click()
    expect(phone.locator("main")).to_contain_text("待审核")
    assert phone.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")

    worker = browser_page("community_worker")
    worker.goto("/certificates/?state=submitted")
    worker.get_by_role("link", name="王小明").or_(worker.locator("td a").first).first.click()
    expect(worker.locator("body")).to_contain_text("身份证.pdf")
    worker.get_by_role("button", name="出具证明").click()
    expect(worker.locator(".alert")).to_contain_text("证明已出具")
    expect(worker.locator(".cert-seal")).to_contain_text("盖章处")
    code = worker.locator(".cert-check b").inner_text()

    public = browser_page(None, PHONE)
    public.goto("/verify/certificate/")
    public.fill("#id_code", code.lower().replace("-", " "))
    public.get_by_role("button", name="查验").click()
    expect(public.locator(".cert-valid")).to_contain_text("证明有效")
    expect(public.locator("main")).to_contain_text("王*明")
    expect(public.locator("main")).not_to_contain_text("王小明")

    phone.reload()
    expect(phone.locator(".cert-paper")).to_contain_text(code)
    assert phone.errors == [] and worker.errors == [] and public.errors == []
