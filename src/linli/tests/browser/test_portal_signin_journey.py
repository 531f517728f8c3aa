"""A resident signs in to the portal on a phone: asks for a code, reads it where the demo shows it (the outbox page,
opened by an administrator), types it, agrees to the privacy notice and lands on the portal's home. On a 360 px
screen nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_PHONE = {"width": 360, "height": 740}
NUMBER = "13900000000"


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sign_in_with_the_code_from_the_outbox(browser_page, world, settings):
    settings.OUTBOX_PAGE = True
    resident = browser_page(None, SMALL_PHONE)
    resident.goto("/portal/")  # signed out: to the sign-in, and back here afterwards
    expect(resident).to_have_url(re.compile(r"/portal/login/\?next=/portal/$"))
    _fits(resident)
    resident.fill("#id_phone", NUMBER)
    resident.get_by_role("button", name="获取验证码").click()
    expect(resident.locator("#code-sent")).to_contain_text("139****0000")
    _fits(resident)

    admin = browser_page("admin", DESKTOP)
    admin.goto("/notifications/outbox/")
    text = admin.locator("table tbody tr").first.inner_text()
    assert "139****0000" in text
    code = re.search(r"验证码为(\d{6})", text).group(1)

    resident.fill("#id_code", code)
    resident.press("#id_code", "Enter")  # Enter signs in; it does not send another code
    expect(resident).to_have_url(re.compile(r"/portal/privacy/"))
    expect(resident.locator("h1")).to_have_text("个人信息保护告知书")
    _fits(resident)
    resident.get_by_role("button", name="同意并继续").click()
    expect(resident.locator(".field-error, [role=alert]").first).to_contain_text("请勾选同意")
    resident.get_by_label("我已阅读并同意《个人信息保护告知书》").check()
    resident.get_by_role("button", name="同意并继续").click()

    expect(resident).to_have_url(re.compile(r"/portal/$"))
    expect(resident.locator(".portal-hello")).to_contain_text("139****0000")
    _fits(resident)
    resident.get_by_role("link", name=re.compile("我的账号")).click()
    expect(resident.locator("#account-phone")).to_have_text("139****0000")
    _fits(resident)
    resident.get_by_role("button", name="退出登录").click()
    expect(resident).to_have_url(re.compile(r"/portal/login/$"))
    assert resident.errors == []
