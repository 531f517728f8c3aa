"""Plan pages: list, form with nested rows, plan page with the task editor, dashboard; scope and query counts."""

from datetime import date

import pytest
from django.urls import reverse

from linli.campaigns.models import Plan, Task
from linli.campaigns.plans import services
from linli.testing import factories


def login(client, user):
    client.force_login(user)
    return client


def management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def form_post(region, **extra) -> dict:
    data = {"region": region.pk, "title": "小区整治方案", "issuer": "甲街道办事处", "doc_number": "甲街发〔2026〕3号",
            "report_cycle": "monthly", **management("targets", 1), **management("group", 0),
            **management("phases", 1), **management("sections", 0),
            "targets-0-indicator": "物业化率", "targets-0-comparator": ">=", "targets-0-value": "100",
            "targets-0-unit": "%", "targets-0-measure": "property_rate",
            "phases-0-name": "排查阶段", "phases-0-starts_on": "2026-02-01",
            "phases-0-ends_on": "2026-05-31"}  # fmt: skip
    return data | extra


def test_street_staff_creates_a_plan_through_the_form(client, world):
    login(client, world.users["street_staff"])
    response = client.post(reverse("campaigns:create"), form_post(world.street_a))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("campaigns:detail", args=[plan.pk])
    assert plan.targets.get().measure == "property_rate" and plan.phases.get().name == "排查阶段"


def test_bad_row_is_400_on_its_row_and_nothing_saved(client, world):
    login(client, world.users["street_staff"])
    data = form_post(world.street_a, **{"targets-0-value": "150", "phases-0-ends_on": "2026-01-01"})
    response = client.post(reverse("campaigns:create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "目标第1行：比率应在0到100之间" in body and "阶段第1行：结束日期早于开始日期" in body
    assert not Plan.objects.exists()


def test_stale_edit_is_409(client, world, plan):
    login(client, world.users["district_staff"])
    data = form_post(world.district, version=plan.version - 1 or 99)
    response = client.post(reverse("campaigns:edit", args=[plan.pk]), data)
    assert response.status_code == 409
    plan.refresh_from_db()
    assert plan.title == "依法加强居民小区物业管理工作方案"


def test_out_of_scope_is_404_and_readers_cannot_edit(client, world):
    street_plan = services.plan_create(user=world.users["street_staff"], data={
        "region_id": world.street_a.pk, "title": "甲街道方案", "issuer": "甲街道办事处"})  # fmt: skip
    login(client, world.users["community_worker"])
    assert client.get(reverse("campaigns:detail", args=[street_plan.pk])).status_code == 200
    assert client.get(reverse("campaigns:edit", args=[street_plan.pk])).status_code == 403
    login(client, world.users["community_worker2"])
    assert client.get(reverse("campaigns:detail", args=[street_plan.pk])).status_code == 200
    client.logout()
    other = factories.user("b_worker", "community_worker", world.community_b1)
    login(client, other)
    assert client.get(reverse("campaigns:detail", args=[street_plan.pk])).status_code == 404
    assert "甲街道方案" not in client.get(reverse("campaigns:plans")).content.decode()


def test_task_editor_adds_moves_and_refuses_bad_deadline(client, world, plan):
    login(client, world.users["district_staff"])
    url = reverse("campaigns:task_create", args=[plan.pk])
    response = client.post(url, {"title": "新任务", "due_on": "2027-02-01", "weight": "1",
                                 "responsible_units": [f"region:{world.community_a1.pk}"]})  # fmt: skip
    assert response.status_code == 400 and "完成时限应在方案期限内" in response.content.decode()
    response = client.post(url, {"title": "新任务", "due_on": "2026-06-30", "weight": "1",
                                 "responsible_units": [f"region:{world.community_a1.pk}"]})  # fmt: skip
    assert response.status_code == 302
    task = Task.objects.get(title="新任务")
    assert task.due_on == date(2026, 6, 30) and task.units.get().region == world.community_a1
    client.post(reverse("campaigns:task_move", args=[plan.pk, task.pk]), {"version": task.version, "direction": "up"})
    titles = list(Task.objects.filter(plan=plan, parent=None).order_by("order").values_list("title", flat=True))
    assert titles == ["全面排查", "新任务", "乙一排查"]
    page = client.get(reverse("campaigns:detail", args=[plan.pk])).content.decode()
    assert "1.1</b> 甲一排查" in page and "暂无数据" in page


def test_dashboard_and_detail_pages_render(client, world, plan):
    services.plan_issue(user=world.users["district_staff"], plan=plan, version=plan.version)
    login(client, world.users["community_worker"])
    response = client.get(reverse("campaigns:dashboard"), {"plan": plan.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲一社区" in body and "各阶段到期任务" in body


def _grow(world, plan, n):
    staff = world.users["district_staff"]
    for i in range(n):
        parent = services.task_create(user=staff, plan=plan, data={"title": f"大类{i}"})
        for j in range(2):
            services.task_create(user=staff, plan=plan, data={"title": f"项{i}.{j}", "parent_id": parent.pk,
                                 "due_on": date(2026, 5, 1), "responsible_units": [f"region:{world.community_a1.pk}",
                                 f"region:{world.community_a2.pk}"]})  # fmt: skip


@pytest.mark.parametrize("url_name", ["campaigns:detail", "campaigns:dashboard", "campaigns:plans"])
def test_pages_cost_constant_queries(client, world, plan, url_name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.plan_issue(user=world.users["district_staff"], plan=plan, version=plan.version)
    login(client, world.users["district_staff"])
    args = [plan.pk] if url_name == "campaigns:detail" else []
    params = {"plan": plan.pk} if url_name == "campaigns:dashboard" else {}
    counts = []
    for n in (2, 20):
        _grow(world, plan, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name, args=args), params).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 25
