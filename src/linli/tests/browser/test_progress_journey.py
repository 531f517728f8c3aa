"""Progress reporting in the browser: the community worker sees last month's report missing (视为未完成) and
reports this month's on a phone; street staff find the community on the late list and send a 督办; the community
worker sees it on 我的任务 and marks it read."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linli.campaigns.models import Notice, Phase, Plan, ProgressReport, Task, TaskUnit
from linli.campaigns.plans import rules
from linli.campaigns.progress import rules as progress_rules
from linli.organizations.models import Organization

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def months_back(day: date, n: int) -> date:
    month = day.month - 1 - n
    return date(day.year + month // 12, month % 12 + 1, 1)


def campaign(world):
    """Street 甲's plan, begun three months ago: 甲一 reported the first month on time, nothing since."""
    today = timezone.localdate()
    first, last = months_back(today, 3), months_back(today, 1)
    plan = Plan.objects.create(
        region=world.street_a, title="背街小巷环境整治工作方案", issuer="甲街道办事处", issued_on=first,
        status=rules.ISSUED, created_by=world.users["street_staff"],
    )  # fmt: skip
    Phase.objects.create(plan=plan, order=1, name="组织实施", starts_on=first, ends_on=today + timedelta(days=180))
    task = Task.objects.create(plan=plan, order=1, title="小区环境卫生整治", due_on=today + timedelta(days=180))
    TaskUnit.objects.create(
        task=task, role=rules.LEAD, organization=Organization.objects.get(name="区城市管理综合执法局")
    )
    a1 = TaskUnit.objects.create(task=task, role=rules.RESPONSIBLE, region=world.community_a1)
    TaskUnit.objects.create(task=task, role=rules.RESPONSIBLE, region=world.community_a2)
    due = progress_rules.report_due(first, rules.MONTHLY, timezone.get_current_timezone())
    ProgressReport.objects.create(
        task_unit=a1, period=first, due_at=due, submitted_at=due - timedelta(days=2),
        submitted_by=world.users["community_worker"], progress=20, content="完成楼道堆物摸排",
    )  # fmt: skip
    return plan, a1, last


def test_report_late_list_supervise_and_notice(browser_page, world):
    plan, a1, last_month = campaign(world)

    worker = browser_page("community_worker", PHONE)
    worker.goto("/campaigns/progress/")
    row = worker.locator("tr", has_text="小区环境卫生整治")
    expect(row.get_by_text(f"{last_month.month}月未报送，视为未完成")).to_be_visible()
    row.get_by_role("link", name="报送", exact=True).click()
    expect(worker.locator("#pick-period option:checked")).to_contain_text("（本期）")
    worker.fill("#id_progress", "35")
    worker.fill("#id_content", "本月清理楼道堆物12处，清运垃圾6车")
    worker.get_by_role("button", name="报送").click()
    expect(worker.get_by_role("status")).to_contain_text("已报送")
    this_month = timezone.localdate().replace(day=1)
    saved = ProgressReport.objects.get(task_unit=a1, period=this_month)
    assert (saved.progress, saved.submitted_by.username) == (35, "community_worker")
    expect(worker.locator("tr", has_text="小区环境卫生整治")).to_contain_text("按时报送")

    staff = browser_page("street_staff")
    staff.goto(f"/campaigns/progress/plans/{plan.pk}/late/")
    expect(staff.locator("#f-period")).to_have_value(last_month.isoformat())
    late_row = staff.locator("tbody tr", has_text="甲一社区")
    expect(late_row).to_contain_text("未报送（视为未完成）")
    late_row.locator("input[type=checkbox]").check()
    staff.fill("#note", "请三日内补报")
    staff.get_by_role("button", name="对勾选单位发督办").click()
    expect(staff.get_by_role("status")).to_contain_text("已向1个单位发出督办")
    notice = Notice.objects.get()
    assert (notice.kind, notice.task_unit_id, notice.period) == ("supervise", a1.pk, last_month)

    worker.goto("/campaigns/progress/")
    notices = worker.locator(".notices")
    expect(notices).to_contain_text("1条未读")
    expect(notices).to_contain_text("请三日内补报")
    notices.get_by_role("button", name="标为已读").click()
    expect(worker.locator(".notices")).not_to_contain_text("未读")
    assert worker.errors == [] and staff.errors == []
