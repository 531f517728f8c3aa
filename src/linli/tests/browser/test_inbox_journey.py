"""我的消息 in Chromium, on a phone: the unread count in the top bar, a message opened where it points, its read
mark, and the choice of SMS for a kind of message."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_message_is_read_where_it_points_and_sms_can_be_chosen(browser_page, world):
    from linli.notifications import selectors, services

    cw = world.users["community_worker"]
    context = {"plan": "背街小巷环境整治", "text": "以下单位未按时报送：甲一社区。", "issuer": "甲街道",
               "issued": "2026-12-06"}  # fmt: skip
    services.notify([cw], "campaigns.circular", context, link="/campaigns/progress/")
    page = browser_page("community_worker", PHONE)
    page.locator(".topbar .inbox-link").click()
    expect(page.locator("h1")).to_contain_text("1条未读")
    expect(page.locator(".message.unread")).to_contain_text("通报：背街小巷环境整治")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r"/campaigns/progress/$"))
    assert selectors.unread_count(cw) == 0
    page.locator(".topbar .inbox-link").click()
    expect(page.locator(".message.unread")).to_have_count(0)
    prefs = page.locator("form", has_text="督办与通报")
    prefs.get_by_label("短信").check()
    prefs.get_by_role("button", name="保存").click()
    expect(page.locator("form", has_text="督办与通报").get_by_label("短信")).to_be_checked()
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    assert page.errors == []
