"""议事协商 in Chromium: a resident proposes on a phone; the community worker accepts it and opens a poll on the
desktop; the resident votes on the phone; the worker closes the poll and publishes the result, which the resident
then reads."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NARROW_PHONE = {"width": 360, "height": 740}


def test_a_resident_proposes_and_votes_on_a_phone_the_worker_publishes(browser_page, world, live_server):
    from linli.consultation.tests.town import town_of

    town = town_of(world)
    resident = browser_page(None, NARROW_PHONE)
    signed_in(resident, live_server, town.residents["a1"].user)
    resident.goto("/portal/")
    resident.get_by_role("link", name="议事协商").click()
    resident.get_by_role("link", name="我要提议题").click()
    resident.fill("#id_title", "小区门口增设减速带")
    resident.select_option("#id_target", label="甲一社区")
    resident.fill("#id_body", "小区门口车速快，老人孩子进出不安全。")
    resident.get_by_role("button", name="提交").click()
    expect(resident.locator(".alert")).to_contain_text("议题已提交")
    proposal_url = resident.url

    worker = browser_page("community_worker")
    worker.on("dialog", lambda dialog: dialog.accept())
    worker.goto("/consultation/")
    worker.get_by_role("link", name="小区门口增设减速带").click()
    worker.get_by_role("button", name="受理，进入协商").click()
    expect(worker.locator(".alert")).to_contain_text("议题已受理")
    worker.fill("#id_question", "是否增设减速带")
    closes = timezone.localtime() + timedelta(days=3)
    worker.fill("#id_closes_at", closes.strftime("%Y-%m-%dT%H:%M"))
    worker.select_option("#id_quorum_kind", "count")
    worker.fill("#id_quorum_value", "1")
    worker.get_by_role("button", name="发起投票").click()
    expect(worker.locator(".alert")).to_contain_text("投票已发起")

    resident.goto(proposal_url)
    resident.get_by_label("同意", exact=True).check()
    resident.get_by_role("button", name="投票", exact=True).click()
    expect(resident.locator(".alert")).to_contain_text("投票成功")
    expect(resident.locator("#poll")).to_contain_text("您已投票：同意")
    assert resident.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")

    worker.reload()
    worker.get_by_role("button", name="截止投票").click()
    expect(worker.locator(".alert")).to_contain_text("投票已截止")
    worker.get_by_role("button", name="公布结果").click()
    expect(worker.locator(".alert")).to_contain_text("结果已公布")

    resident.reload()
    expect(resident.locator(".cons-verdict.passed")).to_contain_text("“同意”获得通过")
    assert worker.errors == [] and resident.errors == []
