"""社区公告 in Chromium: a community worker publishes a notice to a grid on the desktop; a resident of the grid reads
it on a phone (unread marked, then read); the worker sees one reader."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_resident_reads_on_a_phone_the_notice_a_worker_published(browser_page, world, live_server):
    from linli.notices.tests.town import town_of

    town = town_of(world)
    worker = browser_page("community_worker")
    worker.goto("/notices/")
    worker.get_by_role("link", name="拟写公告").click()
    worker.fill("#id_title", "停水通知")
    worker.fill("#id_body", "各位居民：\n因管道检修，本周六8时至16时停水，请提前储水。")
    worker.select_option("#id_target", label="甲一1号网格")
    worker.get_by_role("button", name="发布", exact=True).click()
    expect(worker.locator(".alert")).to_contain_text("公告已发布")
    notice_url = worker.url

    resident = browser_page(None, PHONE)
    signed_in(resident, live_server, town.residents["a1"].user)
    resident.goto("/portal/")
    resident.get_by_role("link", name="社区公告").click()
    item = resident.locator(".notice-list li", has_text="停水通知")
    expect(item).to_have_class("unread")
    item.get_by_role("link").click()
    expect(resident.locator(".notice-article h1")).to_have_text("停水通知")
    expect(resident.locator(".notice-article")).to_contain_text("本周六8时至16时停水")
    resident.go_back()
    resident.reload()
    expect(resident.locator(".notice-list li.unread")).to_have_count(0)
    assert resident.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")

    worker.goto(notice_url)
    expect(worker.locator(".read-count")).to_have_text("1")
    assert worker.errors == [] and resident.errors == []
