"""A plan in the browser: street staff draws it up with a target and a phase, breaks it into two tasks for a
community, issues it; the community worker then finds it, with the tasks and the community named on them."""

import pytest
from playwright.sync_api import expect

from linli.campaigns.models import Plan

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_draw_up_break_down_issue_and_see(browser_page, world):
    page = browser_page("street_staff")
    page.goto("/campaigns/")
    page.get_by_role("link", name="制定方案").click()
    page.fill("#id_title", "甲街道老旧小区整治工作方案")
    page.fill("#id_issuer", "甲街道办事处")
    page.fill("#id_doc_number", "甲街发〔2026〕5号")
    page.fill("#id_issued_on", "2026-03-01")
    page.fill("#id_targets-0-indicator", "物业化率")
    page.fill("#id_targets-0-value", "100")
    page.select_option("#id_targets-0-measure", "property_rate")
    page.fill("#id_phases-0-name", "排查阶段")
    page.fill("#id_phases-0-starts_on", "2026-03-01")
    page.fill("#id_phases-0-ends_on", "2026-12-31")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("甲街道老旧小区整治工作方案")
    expect(page.locator("#targets")).to_contain_text("物业化率≥100%")

    for title, due in (("楼道堆物清理", "2026-06-30"), ("违建拆除", "2026-09-30")):
        page.locator("#new-task summary").click()
        page.fill("#id_title", title)
        page.fill("#id_due_on", due)
        page.select_option("#id_responsible_units", label="甲一社区")
        page.get_by_role("button", name="添加", exact=True).click()
        expect(page.locator("#tasks")).to_contain_text(title)
    expect(page.locator(".task-tree tbody tr")).to_have_count(2)

    page.get_by_role("button", name="印发").click()
    expect(page.locator("h1 .badge")).to_have_text("已印发")
    assert Plan.objects.get().status == "issued"
    assert page.errors == []

    worker = browser_page("community_worker", PHONE)
    worker.goto("/campaigns/")
    worker.get_by_role("link", name="甲街道老旧小区整治工作方案").click()
    expect(worker.locator("#tasks")).to_contain_text("甲一社区")
    expect(worker.locator("#tasks")).to_contain_text("楼道堆物清理")
    expect(worker.get_by_role("link", name="编辑方案")).to_have_count(0)
