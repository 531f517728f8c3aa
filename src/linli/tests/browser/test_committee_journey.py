"""业主委员会 in Chromium: a community worker registers the committee an estate elected almost five years ago, choosing
its members among the estate's owners; the committee's page and the list warn that re-election is due, and the
estate page shows the committee beside the property company."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_worker_forms_a_committee_and_sees_re_election_is_due(browser_page, world):
    from linli.committees.tests.town import places

    estate = places(world)["in"].estate
    formed = timezone.localdate() - relativedelta(years=5) + timedelta(days=60)
    worker = browser_page("community_worker")
    worker.goto("/committees/")
    worker.get_by_role("link", name="登记新一届业委会").click()
    worker.select_option("#estate", label="甲一社区 · 甲一花园")
    worker.get_by_role("button", name="下一步").click()
    worker.fill("#id_assembly_on", (formed - timedelta(days=7)).isoformat())
    worker.fill("#id_formed_on", formed.isoformat())
    for i in range(1, 6):
        worker.select_option(f"#id_person_{i}", label=f"甲一花园业主{i}")
    worker.select_option("#id_role_2", label="副主任")
    worker.check("#id_party_1")
    worker.get_by_role("button", name="保存").click()
    expect(worker.locator(".alert").first).to_contain_text("业主委员会已登记")
    expect(worker.locator(".alert-error")).to_contain_text("已进入届满前3个月")
    expect(worker.locator("table")).to_contain_text("甲一花园业主5")

    worker.get_by_role("link", name="全部业委会").click()
    expect(worker.locator("#near-end + ul")).to_contain_text("甲一花园业主委员会")
    expect(worker.locator(".kpis")).to_contain_text("100%")

    worker.goto(f"/committees/estates/{estate.pk}/")
    expect(worker.locator("dl.facts")).to_contain_text("安居物业")
    expect(worker.locator("#committee + p")).to_contain_text(f"{formed:%Y-%m-%d} 成立")
    assert worker.errors == []
