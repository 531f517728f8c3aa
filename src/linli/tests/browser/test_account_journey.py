"""The account page in real Chromium: from the name in the top bar, change the password, then log out everywhere
(another browser, as on another device, is logged out too)."""

import re

import pytest
from playwright.sync_api import expect

from linli.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "qiu-feng-luo-ye-2026"


def test_changing_the_password_then_logging_out_everywhere(browser_page):
    page = browser_page("street_staff")
    elsewhere = browser_page("street_staff")

    page.click(".topbar .who-name")
    page.wait_for_url(re.compile(r"/account/$"))
    expect(page.locator("h1")).to_contain_text("账户与安全")
    page.fill("#id_old_password", factories.PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("[role=status]")).to_contain_text("密码已修改")

    elsewhere.goto("/persons/")
    assert "/login/" in elsewhere.url  # the new password ended the other browser's session
    elsewhere.fill("#id_username", "street_staff")
    elsewhere.fill("#id_password", NEW_PASSWORD)
    elsewhere.click("button[type=submit]")
    elsewhere.wait_for_url(re.compile(r"/persons/$"))

    page.get_by_role("button", name="退出所有设备").click()
    page.wait_for_url(re.compile(r"/login/$"))
    expect(page.locator("[role=status]")).to_contain_text("已退出所有设备，请重新登录。")
    elsewhere.goto("/persons/")
    assert "/login/" in elsewhere.url
    assert page.errors == [] and elsewhere.errors == []
