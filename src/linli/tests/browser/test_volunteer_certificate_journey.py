"""志愿服务时长证明 in Chromium: a community worker issues a volunteer's certificate from the volunteer's page and
prints it; anyone checks its code on a phone (valid, the name masked); the worker revokes it and the same check
then answers revoked; the volunteer sees it on their card in the portal."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_certificate_is_issued_then_verified_and_revoked(browser_page, world, live_server):
    from linli.volunteers.registry.tests.place import credit, place_of

    place = place_of(world)
    credit(place.va, "16.5", title="敬老院探访")
    worker = browser_page("community_worker")
    worker.goto("/volunteers/")
    worker.get_by_role("link", name=place.va.number).click()
    expect(worker.locator("h1")).to_contain_text("张志愿")
    expect(worker.locator("body")).to_contain_text("敬老院探访")
    worker.get_by_role("button", name="出具时长证明").click()
    expect(worker.locator(".alert")).to_contain_text("时长证明已出具")
    expect(worker.locator(".cert")).to_contain_text("累计 16.5 小时")
    code = worker.locator(".cert-check b").inner_text()
    expect(worker.get_by_role("link", name="下载 Word")).to_be_visible()

    public = browser_page(None, PHONE)
    public.goto("/verify/volunteer/")
    public.fill("#id_code", code.lower().replace("-", " "))
    public.get_by_role("button", name="查验").click()
    expect(public.locator(".vol-valid")).to_contain_text("证明有效")
    expect(public.locator("main")).to_contain_text("张*愿")
    expect(public.locator("main")).not_to_contain_text("张志愿")
    assert public.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")

    worker.fill("#id_reason", "服务时长录入有误，重新出具")
    worker.get_by_role("button", name="作废").click()
    expect(worker.locator(".cert-void")).to_have_text("已作废")
    public.reload()
    expect(public.locator(".vol-revoked")).to_contain_text("证明已作废")

    volunteer = browser_page(None, PHONE)
    signed_in(volunteer, live_server, place.residents["vol"].user)
    volunteer.goto("/portal/")
    volunteer.get_by_role("link", name="志愿服务 注册志愿者").click()  # not 志愿活动, whose hint names 志愿服务 too
    expect(volunteer.locator(".vol-hours")).to_contain_text("16.5")
    expect(volunteer.locator("body")).to_contain_text("再服务 83.5 小时升为1星")
    expect(volunteer.locator(".vol-revoked")).to_have_text("已作废")
    assert worker.errors == [] and public.errors == [] and volunteer.errors == []
