"""Plan and task services: validation (400 naming field and row, nothing saved), rights (403), versions (409)."""

from datetime import date
from decimal import Decimal

import pytest

from linli.campaigns.models import GroupMember, Phase, Plan, ProgressReport, Target, Task
from linli.campaigns.plans import rules, selectors, services
from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed

from .conftest import plan_data


def errors_of(exc) -> dict:
    return {(e.field, e.row): e.message for e in exc.value.errors}


def test_create_holds_everything(plan):
    assert plan.status == rules.DRAFT
    assert [t.indicator for t in plan.targets.all()] == ["物业化率", "业主大会成立率"]
    assert [p.name for p in plan.phases.all()] == ["排查阶段", "整改完善阶段", "验收阶段"]
    assert plan.group.count() == 2 and plan.sections.count() == 1
    assert selectors.plan_period_of(plan) == (date(2026, 1, 10), date(2026, 12, 31))


def test_bad_rows_name_field_and_row_and_save_nothing(world):
    data = plan_data(world.district, title=" ")
    data["targets"][1] = {"indicator": "", "comparator": "≈", "value": "abc", "measure": "reported"}
    data["phases"][2] = {"name": "验收", "starts_on": date(2026, 12, 1), "ends_on": date(2026, 11, 1)}
    data["group"].append({"duty": "boss"})
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(user=world.users["district_staff"], data=data)
    got = errors_of(exc)
    assert ("title", None) in got
    assert got[("targets.indicator", 2)].startswith("目标第2行")
    assert ("targets.comparator", 2) in got and ("targets.value", 2) in got
    assert got[("phases.ends_on", 3)] == "阶段第3行：结束日期早于开始日期"
    assert ("group.duty", 3) in got and ("group.name", 3) in got
    assert not Plan.objects.exists() and not Target.objects.exists()


def test_rate_measured_by_the_system_is_a_percentage(world):
    data = plan_data(world.district)
    data["targets"][0]["value"] = Decimal(120)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(user=world.users["district_staff"], data=data)
    assert ("targets.value", 1) in errors_of(exc)


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker", "dept_handler", "company_staff"])
def test_only_region_staff_above_draw_up_plans(world, persona):
    with pytest.raises(PermissionDenied):
        services.plan_create(user=world.users[persona], data=plan_data(world.community_a1))


def test_street_staff_cannot_write_for_the_district(world, plan):
    with pytest.raises(PermissionDenied):
        services.plan_create(user=world.users["street_staff"], data=plan_data(world.district))
    with pytest.raises(PermissionDenied):
        services.plan_update(user=world.users["street_staff"], plan=plan, version=plan.version, data={"title": "x"})


def test_update_replaces_nested_rows_and_keeps_reported_figures(world, plan):
    staff = world.users["district_staff"]
    reported = plan.targets.get(measure="reported")
    services.target_report(user=staff, target=reported, version=plan.version, value="62.5")
    plan.refresh_from_db()
    rows = [{"id": t.pk, "indicator": t.indicator, "comparator": t.comparator, "value": t.value, "measure": t.measure}
            for t in plan.targets.all()]  # fmt: skip
    plan = services.plan_update(user=staff, plan=plan, version=plan.version,
                                data={"title": "新标题", "targets": rows, "phases": []})  # fmt: skip
    assert plan.title == "新标题" and plan.version == 3
    assert Target.objects.get(plan=plan, measure="reported").reported_value == Decimal("62.5")
    assert not Phase.objects.filter(plan=plan).exists()
    assert GroupMember.objects.filter(plan=plan).count() == 2  # not named: untouched


def test_stale_version_is_409_and_changes_nothing(world, plan):
    staff = world.users["district_staff"]
    with pytest.raises(Conflict):
        services.plan_update(user=staff, plan=plan, version=plan.version - 1 or 99, data={"title": "旧的"})
    with pytest.raises(Conflict):
        services.plan_issue(user=staff, plan=plan, version=plan.version + 1)
    task = Task.objects.get(title="乙一排查")
    with pytest.raises(Conflict):
        services.task_update(user=staff, task=task, version=task.version + 1, data={"title": "x"})
    with pytest.raises(Conflict):
        services.task_delete(user=staff, task=task, version=task.version + 1)
    plan.refresh_from_db()
    assert plan.title == "依法加强居民小区物业管理工作方案" and plan.status == rules.DRAFT
    assert Task.objects.filter(title="乙一排查").exists()


def test_issue_then_finish(world, plan):
    staff = world.users["district_staff"]
    plan = services.plan_issue(user=staff, plan=plan, version=plan.version)
    assert plan.status == rules.ISSUED
    with pytest.raises(DomainError):
        services.plan_issue(user=staff, plan=plan, version=plan.version)
    plan = services.plan_update(user=staff, plan=plan, version=plan.version, data={"scope": "全区住宅小区"})
    plan = services.plan_finish(user=staff, plan=plan, version=plan.version)
    assert plan.status == rules.FINISHED
    with pytest.raises(DomainError):
        services.plan_update(user=staff, plan=plan, version=plan.version, data={"title": "x"})


def test_issue_needs_number_and_phases(world):
    staff = world.users["district_staff"]
    plan = services.plan_create(user=staff, data=plan_data(world.district, doc_number="", phases=[]))
    with pytest.raises(ValidationFailed) as exc:
        services.plan_issue(user=staff, plan=plan, version=plan.version)
    assert {e.field for e in exc.value.errors} == {"doc_number", "phases"}


def test_task_deadline_within_plan_period_and_units_in_scope(world, plan):
    staff = world.users["street_staff"]
    street_plan = services.plan_create(user=staff, data=plan_data(world.street_a))
    outside = {"title": "x", "due_on": date(2027, 1, 1), "responsible_units": [f"region:{world.community_b1.pk}"],
               "lead_units": ["nonsense"], "weight": 0}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.task_create(user=staff, plan=street_plan, data=outside)
    fields = {e.field: e.message for e in exc.value.errors}
    assert fields["due_on"] == "完成时限应在方案期限内（2026年1月10日至2026年12月31日）"
    assert fields["responsible_units"] == "所选单位不在方案范围内"
    assert "lead_units" in fields and "weight" in fields
    assert not Task.objects.filter(plan=street_plan).exists()


def test_move_and_delete(world, plan):
    staff = world.users["district_staff"]
    first, second = Task.objects.filter(plan=plan, parent=None).order_by("order")
    services.task_move(user=staff, task=second, version=second.version, direction="up")
    assert [t.title for t in Task.objects.filter(plan=plan, parent=None).order_by("order")] == ["乙一排查", "全面排查"]
    with pytest.raises(DomainError):
        second.refresh_from_db()
        services.task_move(user=staff, task=second, version=second.version, direction="up")
    services.task_delete(user=staff, task=first, version=first.version)
    assert list(Task.objects.filter(plan=plan).values_list("title", flat=True)) == ["乙一排查"]


def test_delete_refused_once_reported(world, plan):
    staff = world.users["district_staff"]
    leaf = Task.objects.get(title="甲一排查")
    unit = leaf.units.get()
    ProgressReport.objects.create(task_unit=unit, period=date(2026, 2, 1), due_at="2026-03-01T00:00+08:00",
                                  submitted_at="2026-02-20T10:00+08:00", submitted_by=world.users["community_worker"],
                                  progress=40, content="已排查12个小区")  # fmt: skip
    parent = Task.objects.get(title="全面排查")
    with pytest.raises(DomainError) as exc:
        services.task_delete(user=staff, task=parent, version=parent.version)
    assert exc.value.status == 400
    assert Task.objects.filter(plan=plan).count() == 4
    with pytest.raises(ValidationFailed):
        services.task_update(user=staff, task=leaf, version=leaf.version, data={"responsible_units": []})


def test_tree_rolls_up_latest_progress(world, plan):
    leaf = Task.objects.get(title="甲一排查")
    unit = leaf.units.get()
    for period, progress in ((date(2026, 1, 1), 30), (date(2026, 2, 1), 80)):
        ProgressReport.objects.create(task_unit=unit, period=period, due_at="2026-03-01T00:00+08:00",
                                      submitted_at="2026-02-20T10:00+08:00", progress=progress, content="进展",
                                      submitted_by=world.users["community_worker"])  # fmt: skip
    tree = selectors.task_tree(plan)
    by_title = {n.task.title: n for n in tree.nodes}
    assert [n.number for n in tree.nodes] == ["1", "1.1", "1.2", "2"]
    assert by_title["甲一排查"].completion == 80
    assert by_title["全面排查"].completion == 40  # (80 + 0) / 2
    assert tree.completion == 20  # (40 + 0) / 2


def _report(world, unit, period, progress, submitted_at, due_at="2026-03-01T00:00+08:00"):
    return ProgressReport.objects.create(task_unit=unit, period=period, due_at=due_at, submitted_at=submitted_at,
                                         progress=progress, content="进展",
                                         submitted_by=world.users["community_worker"])  # fmt: skip


def test_a_late_report_does_not_move_completion(world, plan):
    """未能及时上报的视为未完成: the late February figure is not counted; January's, on time, is."""
    unit = Task.objects.get(title="甲一排查").units.get()
    _report(world, unit, date(2026, 1, 1), 30, "2026-01-25T10:00+08:00", due_at="2026-02-01T00:00+08:00")
    _report(world, unit, date(2026, 2, 1), 80, "2026-03-03T10:00+08:00")
    by_title = {n.task.title: n for n in selectors.task_tree(plan).nodes}
    assert by_title["甲一排查"].completion == 30


@pytest.mark.parametrize("version", ["abc", "", None, "1.5"])
def test_a_version_that_is_no_number_is_a_conflict(world, plan, version):
    with pytest.raises(Conflict):
        services.plan_issue(user=world.users["district_staff"], plan=plan, version=version)
    plan.refresh_from_db()
    assert plan.status == rules.DRAFT


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-inf"])
def test_a_reported_figure_must_be_a_finite_number(world, plan, value):
    target = plan.targets.get(measure="reported")
    with pytest.raises(ValidationFailed) as exc:
        services.target_report(user=world.users["district_staff"], target=target, version=plan.version, value=value)
    assert ("value", None) in errors_of(exc)
    target.refresh_from_db()
    assert target.reported_value is None


def test_text_longer_than_its_column_is_refused_with_the_field(world):
    data = plan_data(world.district, doc_number="沈" * 61)
    data["targets"][1]["unit"] = "个" * 11
    data["phases"][0]["name"] = "阶" * 51
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(user=world.users["district_staff"], data=data)
    got = errors_of(exc)
    assert got[("doc_number", None)] == "发文字号不能超过60个字"
    assert got[("targets.unit", 2)] == "第2行：单位不能超过10个字"
    assert ("phases.name", 1) in got
    assert not Plan.objects.exists()


def test_reporting_cycle_is_fixed_once_units_have_reported(world, plan):
    staff = world.users["district_staff"]
    plan = services.plan_update(user=staff, plan=plan, version=plan.version, data={"report_cycle": "quarterly"})
    unit = Task.objects.get(title="甲一排查").units.get()
    _report(world, unit, date(2026, 1, 1), 30, "2026-03-20T10:00+08:00", due_at="2026-04-01T00:00+08:00")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_update(user=staff, plan=plan, version=plan.version, data={"report_cycle": "monthly"})
    assert ("report_cycle", None) in errors_of(exc)
    plan.refresh_from_db()
    assert plan.report_cycle == "quarterly"


def test_a_reported_task_is_not_split_into_subtasks(world, plan):
    leaf = Task.objects.get(title="甲一排查")
    _report(world, leaf.units.get(), date(2026, 2, 1), 40, "2026-02-20T10:00+08:00")
    with pytest.raises(ValidationFailed) as exc:
        data = {"title": "子任务", "parent_id": leaf.pk}
        services.task_create(user=world.users["district_staff"], plan=plan, data=data)
    assert ("parent_id", None) in errors_of(exc)
    assert not leaf.children.exists()
