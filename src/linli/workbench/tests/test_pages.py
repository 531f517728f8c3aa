"""Where each role lands, what the menu offers it, and the 工作台: its figures are the lengths of the lists its links
open, limited to the user's scope, in a constant number of queries."""

from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.cases import rules as case_rules
from linli.cases.models import Case
from linli.testing import factories

LANDS_ON = {
    "admin": "/workbench/",
    "district_staff": "/workbench/",
    "street_staff": "/workbench/",
    "community_worker": "/workbench/",
    "community_worker2": "/workbench/",
    "grid_worker": "/cases/m/",
    "dept_handler": "/cases/todo/",
    "company_staff": "/cases/todo/",
}


@pytest.mark.parametrize("persona", factories.PERSONAS)
def test_each_role_lands_on_its_own_work(client, world, persona):
    client.force_login(world.users[persona])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == LANDS_ON[persona]
    assert client.get(response["Location"]).status_code == 200


def _menu(client) -> list[str]:
    page = lxml.html.fromstring(client.get("/cases/all/").content.decode())
    return [" ".join(a.text_content().split()) for a in page.xpath("//nav[@aria-label='主菜单']//a")]


def test_the_menu_offers_departments_their_work_and_no_registry(client, world):
    client.force_login(world.users["dept_handler"])
    assert _menu(client) == ["我的待办", "全部事件", "我的任务", "工作方案", "整改台账", "社区减负"]
    client.force_login(world.users["company_staff"])
    assert _menu(client) == ["我的待办", "全部事件", "我的任务", "整改台账", "挂牌管理", "物业监管"]


def test_the_menu_of_a_grid_worker_and_of_a_street(client, world):
    client.force_login(world.users["grid_worker"])
    menu = _menu(client)
    assert "手机巡查" in menu and "测评考核" in menu and "工作台" not in menu and "导入导出" in menu
    client.force_login(world.users["street_staff"])
    menu = _menu(client)
    assert menu[:4] == ["工作台", "调度台", "事件受理", "回访"] and "手机巡查" not in menu


@pytest.fixture
def cases(world):
    """Two overdue cases in street 甲, one in street 乙, one received case waiting for dispatch in 甲."""
    factories.install_case_catalogue(world)
    made = [factories.case(g) for g in (world.grid_a1, world.grid_a2, world.grid_b1, world.grid_a1b)]
    past = timezone.now() - timedelta(days=3)
    Case.objects.filter(pk__in=[c.pk for c in made[:3]]).update(
        state=case_rules.HANDLING, dispatched_at=past - timedelta(days=5), warn_at=past - timedelta(days=1), due_at=past
    )
    return made


def test_the_workbench_counts_the_lists_of_the_users_scope(client, world, cases):
    client.force_login(world.users["street_staff"])
    s = client.get("/workbench/").context["s"]
    assert (s.queue.count, s.overdue.count, s.yellow.count) == (1, 2, 0)
    assert {c.pk for c in s.overdue.rows} == {cases[0].pk, cases[1].pk}
    client.force_login(world.users["district_staff"])
    assert client.get("/workbench/").context["s"].overdue.count == 3
    client.force_login(world.users["community_worker"])
    s = client.get("/workbench/").context["s"]
    assert s.queue is None and s.overdue is None and s.todo.count == 0


def test_the_workbench_answers_in_the_same_number_of_queries_for_more_cases(client, world, cases):
    client.force_login(world.users["street_staff"])
    client.get("/workbench/")  # sessions, content types and the calendar warmed up
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workbench/").status_code == 200
    for _ in range(3):
        factories.case(world.grid_a1)
        Case.objects.filter(pk=factories.case(world.grid_a2).pk).update(
            state=case_rules.HANDLING, due_at=timezone.now() - timedelta(days=1)
        )
    with CaptureQueriesContext(connection) as many:
        s = client.get("/workbench/").context["s"]
    assert (s.queue.count, s.overdue.count) == (4, 5)
    assert len(many) == len(few)


def test_the_workbench_is_refused_to_the_roles_that_land_elsewhere(client, world):
    client.force_login(world.users["dept_handler"])
    assert client.get("/workbench/").status_code == 403
