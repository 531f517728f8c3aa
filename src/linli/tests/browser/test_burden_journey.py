"""社区减负 in Chromium: the district gives a community a department's task outside the lists; it is held (待准入)
and the community does not see it in 我的任务; once the access application is approved the community sees it; the
burden report draws its trend under the CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_unlisted_task_is_held_until_approved(browser_page, world, live_server):
    from linli.burden import rules
    from linli.burden.models import WorkRequest
    from linli.burden.work.tests.conftest import application, lists_for
    from linli.campaigns.plans import services
    from linli.campaigns.plans.tests.conftest import plan_data

    lists_for(world.district)
    staff = world.users["district_staff"]
    plan = services.plan_create(user=staff, data=plan_data(world.district))
    plan = services.plan_issue(user=staff, plan=plan, version=plan.version)

    district = browser_page("district_staff")
    district.goto(f"/campaigns/{plan.pk}/")
    form = district.locator("#new-task")
    form.locator("summary").click()
    form.locator("#id_title").fill("燃气安全入户排查")
    form.locator("#id_lead_units").select_option(label="区城市管理综合执法局")
    form.locator("#id_responsible_units").select_option(label="甲一社区")
    expect(form.locator("#id_basis")).to_contain_text("协助开展城乡居民基本养老保险参保登记")
    form.get_by_role("button", name="添加", exact=True).click()
    tasks = district.locator("#tasks")
    expect(tasks).to_contain_text("燃气安全入户排查")
    held = tasks.get_by_role("link", name="待准入")
    expect(held).to_be_visible()
    assert district.errors == []

    community = browser_page("community_worker")
    community.goto("/campaigns/progress/")
    expect(community.locator("main")).not_to_contain_text("燃气安全入户排查")

    # 区委、区政府审批: part A's decision moves the linked rows (written directly until its services are merged)
    app = application(world, communities=[world.community_a1])
    WorkRequest.objects.update(access=app, state=rules.ADMITTED)
    community.goto("/campaigns/progress/")
    expect(community.locator("main")).to_contain_text("燃气安全入户排查")
    assert community.errors == []

    district.goto("/burden/work/report/")
    expect(district.locator("#burden-trend canvas")).to_have_count(1)
    expect(district.locator("main")).to_contain_text("准入已批")
    district.screenshot(path="test-artifacts/burden-report.png", full_page=True)
    assert district.errors == []
