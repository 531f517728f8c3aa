"""A resident on a phone follows a report made on the hotline with their number: the 消息 tab counts the messages its
progress sent, the last one opens the report's progress, and the resident rates the result there."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linli.cases import services
from linli.testing import factories

from .conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_follow_a_report_and_rate_it(browser_page, live_server, world):
    factories.install_case_catalogue(world)
    resident = factories.resident("13900001111")
    case = factories.case(world.grid_a1, channel="hotline", reporter_phone="13900001111")
    street, handler, grid = (world.users[k] for k in ("street_staff", "dept_handler", "grid_worker"))
    start = timezone.now()
    for who, action, hours, params in [
        (street, "register", 0, {}), (street, "dispatch", 0, {}), (handler, "accept", 1, {}),
        (handler, "feedback", 1, {"note": "已更换灯泡"}), (grid, "verify", 2, {}),
    ]:  # fmt: skip
        case = services.case_act(user=who, case_id=case.pk, action=action, version=case.version,
                                 now=start + timedelta(hours=hours), **params)  # fmt: skip

    page = browser_page(None, PHONE)
    signed_in(page, live_server, resident.user)
    page.goto("/portal/")
    tab = page.locator(".portal-tabs a", has_text="消息")
    expect(tab.locator(".badge")).to_have_text("3")
    tab.click()
    expect(page.locator(".portal-lead").first).to_have_text("3条未读")
    page.locator(".portal-message", has_text="事件已办结").click()

    page.wait_for_url(f"**/portal/reports/{case.pk}/")
    expect(page.locator(".case-head .state")).to_have_text("已结案")
    expect(page.locator(".pub-timeline")).to_contain_text("已更换灯泡")
    page.locator(".rate-option", has_text="基本满意").click()
    page.fill("#id_note", "修得挺快")
    page.click("#rate button[type=submit]")
    expect(page.locator(".alert-success")).to_have_text("感谢您的评价！")
    expect(page.locator(".pub-timeline")).to_contain_text("评价：基本满意")
    expect(page.locator("#rate")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone

    page.locator(".portal-back").click()  # to 我的反映
    expect(page.locator(".portal-list li")).to_have_count(1)
    expect(page.locator(".portal-list li")).to_contain_text(case.number)
    expect(page.locator(".portal-tabs a", has_text="消息").locator(".badge")).to_have_count(0)  # all read on opening
    case.refresh_from_db()
    assert case.rating == "basic"
