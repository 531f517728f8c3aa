"""Each role's landing in Chromium, on a desktop and on a phone: the page of its own work, a menu of what it can
use, and nothing wider than the phone's screen."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# persona → (where it lands, the heading there, a menu entry it must not be offered)
LANDINGS = {
    "street_staff": ("/workbench/", "工作台", "手机巡查"),
    "community_worker": ("/workbench/", "工作台", "调度台"),
    "grid_worker": ("/cases/m/", None, None),  # the phone page has no side menu, only 上报问题 and the cases
    "dept_handler": ("/cases/todo/", "我的待办", "测评考核"),
    "company_staff": ("/cases/todo/", "我的待办", "人员"),
}


def _fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("persona", LANDINGS)
def test_each_role_lands_on_its_own_work_on_desktop_and_phone(browser_page, persona):
    url, heading, absent = LANDINGS[persona]
    for viewport in (DESKTOP, PHONE):
        page = browser_page(persona, viewport)
        page.wait_for_url(re.compile(re.escape(url) + "$"))
        if heading:
            expect(page.locator("h1")).to_contain_text(heading)
            menu = page.locator("nav[aria-label='主菜单'] a")
            expect(menu.first).to_be_visible()
            assert absent not in menu.all_inner_texts()
        else:
            expect(page.get_by_text("上报问题")).to_be_visible()
        if viewport is PHONE:
            assert _fits(page), f"{persona}: the landing page is wider than the phone"
        assert page.errors == []
