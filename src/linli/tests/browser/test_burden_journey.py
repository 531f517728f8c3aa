"""社区减负 in Chromium: the district gives a community a department's task outside the lists; it is held (待准入)
and the community does not see it in 我的任务; once the access application is approved the community sees it; the
burden report draws its trend under the CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_unlisted_task_is_held_until_approved(browser_page, world, live_server):
    from django.core.files.base import ContentFile

    from linli.burden import rules
    from linli.burden.access import rules as access_rules
    from linli.burden.access import services as access
    from linli.burden.models import WorkRequest
    from linli.burden.work.tests.conftest import lists_for
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

    # The department applies for the held work; the district's leading group passes it and another person approves.
    dept = world.users["dept_handler"]
    docs = [(kind, ContentFile(b"%PDF-1.4\n", name=f"{kind}.pdf")) for kind in access_rules.REQUIRED_DOCS]
    app = access.application_create(
        user=dept, title="燃气安全入户排查", kind=rules.TASK, content="协助入户排查燃气安全隐患",
        basis="《城镇燃气管理条例》", community_ids=[world.community_a1.pk], district_id=world.district.pk,
        work_ids=list(WorkRequest.objects.values_list("pk", flat=True)), documents=docs, submit=True,
    )  # fmt: skip
    app = access.application_first_review(user=staff, application_id=app.pk, version=app.version, passed=True)
    access.application_decide(user=world.users["admin"], application_id=app.pk, version=app.version, approve=True)
    assert set(WorkRequest.objects.values_list("state", flat=True)) == {rules.ADMITTED}
    community.goto("/campaigns/progress/")
    expect(community.locator("main")).to_contain_text("燃气安全入户排查")
    assert community.errors == []

    district.goto("/burden/work/report/")
    expect(district.locator("#burden-trend canvas")).to_have_count(1)
    expect(district.locator("main")).to_contain_text("准入已批")
    district.screenshot(path="test-artifacts/burden-report.png", full_page=True)
    assert district.errors == []
