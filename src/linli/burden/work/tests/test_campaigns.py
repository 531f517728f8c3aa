"""Enforcement on campaign plans' tasks: a community unit named on a task is given the task (and the progress
reports it owes) against the district's lists; held work stays out of the community's 我的任务 and the plan's
report matrix until an access application covering it is approved."""

from datetime import UTC, datetime

import pytest

from linli.burden import rules as burden_rules
from linli.burden.models import WorkRequest
from linli.burden.work import selectors as work_selectors
from linli.campaigns.plans import selectors as plan_selectors
from linli.campaigns.plans import services
from linli.campaigns.plans.tests.conftest import plan_data
from linli.campaigns.progress import selectors as progress_selectors
from linli.core.errors import ValidationFailed
from linli.testing.apiclient import ApiClient, field_errors

from .conftest import application

NOW = datetime(2026, 2, 10, 8, tzinfo=UTC)


@pytest.fixture
def plan(world):
    staff = world.users["district_staff"]
    p = services.plan_create(user=staff, data=plan_data(world.district))
    return services.plan_issue(user=staff, plan=p, version=p.version)


def give(world, plan, basis=None, *, community=None, title="居民燃气安全排查"):
    dept = world.users["dept_handler"].organization
    data = {"title": title, "lead_units": [f"org:{dept.pk}"],
            "responsible_units": [f"region:{(community or world.community_a1).pk}"]}  # fmt: skip
    if basis is not None:
        data["basis"] = basis
    return services.task_create(user=world.users["district_staff"], plan=plan, data=data)


def mine(user) -> list[str]:
    return [ob.task.title for ob in progress_selectors.obligations(user=user, now=NOW)]


def work(task) -> dict[str, WorkRequest]:
    return {w.kind: w for w in WorkRequest.objects.filter(source_id__in=task.units.values("pk"))}


def test_an_unlisted_task_is_held_until_approved(world, lists, plan):
    task = give(world, plan)  # no basis: 待准入
    rows = work(task)
    assert set(rows) == {"task", "report"}  # the task, and the reports the unit then owes
    assert {w.state for w in rows.values()} == {burden_rules.HELD}
    t = rows["task"]
    assert (t.community, t.requester, t.organization, t.asked_by) == (
        world.community_a1, "区城市管理综合执法局", world.users["dept_handler"].organization,
        world.users["district_staff"],
    )  # fmt: skip
    assert mine(world.users["community_worker"]) == []
    matrix = progress_selectors.plan_status(plan=plan, now=NOW)
    assert [line.unit_name for line in matrix.lines] == []  # a held unit owes no report yet
    # the assigning office sees 待准入 beside the unit, with the work to apply for
    unit = plan_selectors.task_tree(plan).node(task.pk).responsibles[0]
    assert (unit.work_state, unit.work_id) == ("held", t.pk)
    # the access application is approved (the rows as its decision's settle_work leaves them): the community sees it
    app = application(world, communities=[world.community_a1])
    WorkRequest.objects.filter(pk__in=[w.pk for w in rows.values()]).update(access=app, state=burden_rules.ADMITTED)
    assert mine(world.users["community_worker"]) == ["居民燃气安全排查"]
    assert [line.unit_name for line in progress_selectors.plan_status(plan=plan, now=NOW).lines] == ["甲一社区"]


def test_a_refused_application_keeps_the_work_withheld(world, lists, plan):
    task = give(world, plan)
    WorkRequest.objects.filter(source_id__in=task.units.values("pk")).update(state=burden_rules.DECLINED)
    assert mine(world.users["community_worker"]) == []


def test_listed_and_admitted_work_reaches_the_community_at_once(world, lists, plan):
    give(world, plan, f"item:{lists.assist.pk}", title="养老保险参保登记")
    app = application(world, communities=[world.community_a1, world.community_a2])
    give(world, plan, f"access:{app.pk}", title="燃气排查")
    assert sorted(mine(world.users["community_worker"])) == ["养老保险参保登记", "燃气排查"]
    states = dict(WorkRequest.objects.filter(kind="task").values_list("title", "state"))
    assert states == {"养老保险参保登记": "listed", "燃气排查": "admitted"}


def test_work_under_a_pending_application_waits_for_it(world, lists, plan):
    app = application(world, state=burden_rules.FIRST_PASSED)
    task = give(world, plan, f"access:{app.pk}")
    assert {(w.state, w.access_id) for w in work(task).values()} == {("held", app.pk)}
    assert mine(world.users["community_worker"]) == []


@pytest.mark.parametrize(
    ("basis", "message"),
    [
        ("item:999999", "所选依据不存在"),
        ("nonsense", "依据格式不正确"),
        ("retired", "已停用"),
        ("other-community", "不涵盖甲一社区"),
        ("refused", "未获批准"),
    ],
)
def test_a_bad_basis_is_refused_and_nothing_is_written(world, lists, plan, basis, message):
    key = {
        "retired": f"item:{lists.retired.pk}",
        "other-community": lambda: f"access:{application(world, communities=[world.community_b1]).pk}",
        "refused": lambda: f"access:{application(world, state=burden_rules.REFUSED).pk}",
    }.get(basis, basis)
    key = key() if callable(key) else key
    with pytest.raises(ValidationFailed) as exc:
        give(world, plan, key)
    assert exc.value.errors[0].field == "basis" and message in exc.value.errors[0].message
    assert not plan.tasks.exists() and not WorkRequest.objects.exists()


def test_editing_the_task_gives_a_basis_and_names_new_units_under_it(world, lists, plan):
    task = give(world, plan)
    staff = world.users["district_staff"]
    task = services.task_update(user=staff, task=task, version=task.version, data={"basis": f"item:{lists.duty.pk}"})
    assert {w.state for w in work(task).values()} == {"listed"}
    # a community named later is given the task's basis; one dropped loses its work
    task = services.task_update(user=staff, task=task, version=task.version,
                                data={"responsible_units": [f"region:{world.community_a2.pk}"]})  # fmt: skip
    rows = WorkRequest.objects.filter(kind="task")
    assert [(w.community, w.state) for w in rows] == [(world.community_a2, "listed")]
    assert mine(world.users["community_worker2"]) == ["居民燃气安全排查"]
    services.task_delete(user=staff, task=task, version=task.version)
    assert not WorkRequest.objects.exists()


def test_work_given_to_offices_above_a_community_is_not_checked(world, lists, plan):
    services.task_create(user=world.users["district_staff"], plan=plan,
                         data={"title": "街道统筹", "responsible_units": [f"region:{world.street_a.pk}"]})  # fmt: skip
    assert not WorkRequest.objects.exists()


def test_before_the_district_keeps_lists_nothing_is_held(world, plan):
    give(world, plan)
    assert not WorkRequest.objects.exists()
    assert mine(world.users["community_worker"]) == ["居民燃气安全排查"]


def test_the_api_takes_the_basis_and_shows_the_state(world, lists, plan):
    client = ApiClient(world.users["district_staff"])
    body = {"title": "参保登记", "responsible_units": [f"region:{world.community_a1.pk}"]}
    held = client.post(f"/campaigns/plans/{plan.pk}/tasks", body).json()
    assert [(u["work_state"], u["work_id"] is not None) for u in held["units"]] == [("held", True)]
    listed = client.post(f"/campaigns/plans/{plan.pk}/tasks", body | {"basis": f"item:{lists.assist.pk}"})
    assert listed.status_code == 201 and listed.json()["units"][0]["work_state"] == "listed"
    bad = client.post(f"/campaigns/plans/{plan.pk}/tasks", body | {"basis": "item:0"})
    assert bad.status_code == 400 and "basis" in field_errors(bad)


def test_the_task_form_offers_the_lists_and_approved_applications(world, lists, plan, client):
    app = application(world, title="燃气排查准入")
    client.force_login(world.users["district_staff"])
    page = client.get(f"/campaigns/{plan.pk}/").content.decode()
    assert "依据" in page and "协助开展城乡居民基本养老保险参保登记" in page and "准入：燃气排查准入" in page
    assert "已停用的事项" not in page
    response = client.post(f"/campaigns/{plan.pk}/tasks/", {
        "title": "入户排查", "responsible_units": [f"region:{world.community_a1.pk}"], "weight": 1, "basis": "",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/campaigns/{plan.pk}/").content.decode()
    work_id = WorkRequest.objects.get(kind="task").pk
    assert "待准入" in page and f"/burden/access/new/?work={work_id}" in page
    assert work_selectors.basis_of("campaigns.taskunit", []) == ""
    assert app.pk
