"""任务分解表 as .xlsx: the export, and the all-or-nothing import with its per-row Chinese errors."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from linli.campaigns.documents import task_table
from linli.campaigns.documents.selectors import task_rows
from linli.campaigns.documents.services import tasks_import
from linli.campaigns.documents.tables import HEADER_ROW, PROGRESS_SHEET, SHEET_NAME, tasks_xlsx
from linli.campaigns.documents.task_table import BadDate, parse_due, parse_task_table
from linli.campaigns.models import Notice, Plan, ProgressReport, Task, TaskUnit
from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.testing.workbooks import empty_rows, forbid_reading

from .factory import housing_department, seed_plan

HEADER = ["序号", "任务", "工作内容及标准", "牵头单位", "责任单位", "直接责任人", "承办人", "完成时限", "成果形式"]


def xlsx(rows, header=HEADER, name="tasks.xlsx", before=()) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for line in before:
        ws.append(line)
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def tree(plan):
    """The tree as both exports print it (a number typed in front of a title is not part of it)."""
    return [
        (r.level, r.label, r.cells()[1], tuple(r.leads), tuple(r.responsibles), r.task.due_on) for r in task_rows(plan)
    ]


def errors_of(exc_info) -> list[str]:
    return [e.message for e in exc_info.value.errors]


@pytest.fixture
def plan(world):
    return seed_plan(world)


@pytest.fixture
def empty_plan(world):
    housing_department(world)
    return Plan.objects.create(
        region=world.district, title="文明城市创建工作方案", issuer="沈河区文明办", issued_on=date(2026, 3, 1)
    )


@pytest.fixture
def staff(world):
    return world.users["district_staff"]


# ---------------------------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("value", "due"),
    [
        (datetime(2026, 5, 30, 0, 0), date(2026, 5, 30)),
        (date(2026, 5, 30), date(2026, 5, 30)),
        ("2026年5月30日", date(2026, 5, 30)),
        ("2026-05-30", date(2026, 5, 30)),
        ("2026/5/30", date(2026, 5, 30)),
        ("5月30日前", date(2026, 5, 30)),  # 001 篇13: 于5月30日前报局创建办
        ("2027年1月15日前完成", date(2027, 1, 15)),
        ("6月底", date(2026, 6, 30)),
        ("2月底前", date(2026, 2, 28)),
        ("年底前", date(2026, 12, 31)),
        ("长期坚持", None),
        ("", None),
        (None, None),
        (46172, date(2026, 5, 30)),  # an Excel serial number without a date format
    ],
)
def test_parse_due(value, due):
    assert parse_due(value, 2026) == due


@pytest.mark.parametrize("value", ["尽快", "2026年2月30日", "13月1日", 12])
def test_parse_due_refuses(value):
    with pytest.raises(BadDate):
        parse_due(value, 2026)


def test_unit_resolver(world, plan):
    housing = Organization.objects.get(name="区住房和城乡建设局")
    Organization.objects.create(kind="department", name="区住房保障中心", region=world.district)
    r = task_table.UnitResolver(plan)
    assert r.resolve("区住房和城乡建设局")[0][0].pk == housing.pk
    assert r.resolve(" 住建局 ")[0][0].pk == housing.pk  # abbreviation, unique
    assert r.resolve("沈河区住房和城乡建设局")[0][0].pk == housing.pk  # a longer official name
    assert r.resolve("甲一")[0][0].name == "甲一社区"
    assert r.resolve("城管执法局")[0][0].name == "区城市管理综合执法局"
    assert [u.name for u in r.resolve("各街道")[0]] == ["甲街道", "乙街道"]
    refs, problem = r.resolve("住房")
    assert not refs and "区住房保障中心" in problem and "区住房和城乡建设局" in problem
    refs, problem = r.resolve("市公安局")
    assert not refs and "不是本方案范围内的单位" in problem


def test_units_outside_the_plan_region_are_unknown(world):
    street_plan = seed_plan(world, region=world.street_a)
    r = task_table.UnitResolver(street_plan)
    assert r.resolve("甲一社区")[0]
    assert r.resolve("乙一社区")[1]  # another street's community
    assert r.resolve("区住房和城乡建设局")[0]  # a district department serves the street too


# ---------------------------------------------------------------------------------------------- export


def test_export_has_the_annex_columns_a_styled_frozen_header_and_the_tree(plan):
    wb = load_workbook(BytesIO(tasks_xlsx(plan)))
    ws = wb[SHEET_NAME]
    assert [c.value for c in ws[HEADER_ROW]] == HEADER
    assert ws.cell(row=HEADER_ROW, column=1).font.b
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    body = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [r[0] for r in body] == ["一、", "1.", "2.", "（1）", "二、", "1."]
    assert body[0][1] == "全力解决开发建设遗留问题"  # the typed “（一）” is not kept in front
    assert body[1][4] == "甲街道、乙街道"
    assert body[1][7] == datetime(2026, 5, 30)
    assert PROGRESS_SHEET in wb.sheetnames


def test_progress_sheet_counts_units_and_reports(world, plan):
    tu = TaskUnit.objects.filter(task__plan=plan, region=world.community_a1).first()
    now = timezone.now()
    ProgressReport.objects.create(
        task_unit=tu,
        period=date(2026, 5, 1),
        due_at=now,
        submitted_at=now,
        submitted_by=world.users["community_worker"],
        progress=40,
        content="已排查",
    )
    ws = load_workbook(BytesIO(tasks_xlsx(plan)))[PROGRESS_SHEET]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["甲一社区"] == (0, 2, 1, 40)
    assert rows["区住房和城乡建设局"] == (2, 1, 0, None)


# ---------------------------------------------------------------------------------------------- import


def test_round_trip_export_then_import_gives_the_same_tree(plan, staff):
    before = tree(plan)
    upload = SimpleUploadedFile("t.xlsx", tasks_xlsx(plan))
    result = tasks_import(user=staff, plan=plan, file=upload, mode="replace")
    assert (result.created, result.removed) == (6, 6)
    assert tree(plan) == before
    t = Task.objects.get(plan=plan, title="建立整改档案")
    assert (t.direct_person, t.handler, t.deliverables) == ("赵东风", "杜辉", "整改台账")


def test_append_adds_after_the_existing_top_level_tasks(plan, staff):
    tasks_import(user=staff, plan=plan, file=xlsx([["一、", "新增任务", "", "住建局"]]), mode="append")
    rows = tree(plan)
    assert rows[-1][:3] == (1, "三、", "新增任务")
    assert Task.objects.filter(plan=plan).count() == 7


def test_an_office_table_with_title_rows_synonyms_and_typed_numbers(empty_plan, staff, world):
    upload = xlsx(
        [
            ["（一）", "集贸市场环境整治工作", "划行归市", "城管执法局", "甲街道、乙街道", "", "", "2026年9月20日", ""],
            ["1.", "清理占道经营", "", "", "甲一社区\n甲二社区", "", "", "9月20日前", ""],
            ["2.", "清理无证经营", "", "", "各社区", "", "", "长期坚持", ""],
            ["（二）", "户外广告整治", "", "区城市管理综合执法局", "乙一", "", "", "", "整治台账"],
        ],
        header=["序号", "工作任务", "工作内容", "牵头部门", "责任部门", "责任人", "经办人", "完成时间", "成果"],
        before=[["创建文明城市测评任务分解表"], []],
    )
    tasks_import(user=staff, plan=empty_plan, file=upload, mode="append")
    rows = tree(empty_plan)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "一、", "集贸市场环境整治工作"),
        (2, "1.", "清理占道经营"),
        (2, "2.", "清理无证经营"),
        (1, "二、", "户外广告整治"),
    ]
    assert rows[0][3:] == (("区城市管理综合执法局",), ("甲街道", "乙街道"), date(2026, 9, 20))
    assert rows[1][4:] == (("甲一社区", "甲二社区"), date(2026, 9, 20))
    assert rows[2][4] == ("甲一社区", "甲二社区", "乙一社区")
    assert rows[2][5] is None


@pytest.mark.parametrize(
    ("numbers", "levels"),
    [
        (["1", "1.1", "1.2", "1.2.1", "2"], [1, 2, 2, 3, 1]),
        (["一、", "（一）", "1.", "（二）", "二、"], [1, 2, 3, 2, 1]),
        (["一、", "1.", "（1）", "①", "2."], [1, 2, 3, 4, 2]),
    ],
)
def test_numbering_schemes_give_the_tree(empty_plan, staff, numbers, levels):
    upload = xlsx([[n, f"任务{i}"] for i, n in enumerate(numbers)], header=["序号", "任务"])
    tasks_import(user=staff, plan=empty_plan, file=upload, mode="append")
    assert [r[0] for r in tree(empty_plan)] == levels


def test_a_level_column_and_numbers_typed_in_the_task_names(empty_plan, staff):
    tasks_import(
        user=staff,
        plan=empty_plan,
        file=xlsx([[1, "甲"], ["2", "乙"], ["二级", "丙"], [1, "丁"]], header=["层级", "任务"]),
        mode="append",
    )
    assert [(r[0], r[2]) for r in tree(empty_plan)] == [(1, "甲"), (2, "乙"), (2, "丙"), (1, "丁")]
    Task.objects.filter(plan=empty_plan).delete()
    upload = xlsx([["一、总体要求"], ["1.统一思想"], ["一是加强领导"], ["二、工作措施"]], header=["任务"])
    tasks_import(user=staff, plan=empty_plan, file=upload, mode="append")
    assert [(r[0], r[2]) for r in tree(empty_plan)] == [
        (1, "总体要求"),
        (2, "统一思想"),
        (2, "一是加强领导"),  # a prose number continues the list it stands in
        (1, "工作措施"),
    ]


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([["一、", "甲", "", "市公安局"]], HEADER, "第2行“牵头单位”：“市公安局”不是本方案范围内的单位"),
        ([["一、", "甲", "", "", "社区"]], HEADER, "第2行“责任单位”：“社区”可能指"),
        ([["一、", "甲", "", "", "", "", "", "尽快"]], HEADER, "第2行“完成时限”：“尽快”不是日期"),
        ([["一、", ""], ["二、", "乙"]], HEADER, "第2行“任务”：任务名称为空"),
        ([["一、", "甲" * 201]], HEADER, "第2行“任务”：超过200字（现有201字）"),
        ([["一、", "甲", "", "", "", "张" * 101]], HEADER, "第2行“直接责任人”：超过100字"),
        ([["1.", "甲"], ["一、", "乙"]], HEADER, "第3行“序号”：序号“一、”比第2行的“1.”高一级"),
        ([["1", "甲"], ["1.1.1", "乙"]], HEADER, "第3行“序号”：序号“1.1.1”前面缺少它的上级任务"),
        ([["1", "甲"], ["3", "乙"]], ["层级", "任务"], "第3行“层级”：第3级任务前面没有它的上级任务"),
        ([["2", "甲"]], ["层级", "任务"], "第2行“层级”：第2级任务前面没有它的上级任务"),
        ([["甲", "x"]], ["层级", "任务"], "第2行“层级”：“甲”不是层级"),
        ([["第一项", "x"]], HEADER, "第2行“序号”：无法识别序号“第一项”"),
        ([], HEADER, "表头下面没有任务行"),
        ([["x"]], ["名称"], "没有找到列名“任务”"),
        ([["x", "y"]], ["任务", "任务名称"], "有两列都表示“任务”"),
    ],
)
def test_each_error_names_row_and_column_and_changes_nothing(plan, staff, rows, header, message):
    before = tree(plan)
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=xlsx(rows, header=header), mode="replace")
    assert any(message in m for m in errors_of(exc)), errors_of(exc)
    assert tree(plan) == before


def test_all_errors_of_a_file_are_listed_together(plan, staff):
    rows = [["一、", "甲", "", "市公安局"], ["1.", "", "", "", "", "", "", "尽快"]]
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=xlsx(rows), mode="append")
    assert [e.row for e in exc.value.errors] == [2, 3, 3]
    assert "发现3处错误" in exc.value.detail


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tasks.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "格式为旧版Office（.doc、.xls）"),
        ("tasks.csv", "任务\n甲\n".encode(), "只接受Excel（.xlsx）"),
        ("tasks.xlsx", b"PK\x03\x04broken", "已损坏或不是有效的Excel（.xlsx）文件"),
        ("tasks.xlsx", b"", "上传的文件（tasks.xlsx）是空文件"),
    ],
)
def test_files_that_are_not_a_workbook(plan, staff, name, content, message):
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=SimpleUploadedFile(name, content), mode="append")
    assert message in exc.value.detail + "".join(errors_of(exc))


def test_five_million_empty_rows_are_refused_before_openpyxl_reads_them(plan, staff, monkeypatch):
    forbid_reading(monkeypatch)
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=SimpleUploadedFile("t.xlsx", empty_rows()), mode="append")
    assert "超过5010行（空行也计算在内）" in errors_of(exc)[0]


def test_a_file_over_the_size_limit_is_refused(plan, staff, monkeypatch):
    monkeypatch.setattr(task_table, "MAX_BYTES", 1000)
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=SimpleUploadedFile("t.xlsx", tasks_xlsx(plan)), mode="append")
    assert "不能超过" in exc.value.detail


def test_replace_refuses_when_reports_or_notices_exist(world, plan, staff):
    tu = TaskUnit.objects.filter(task__plan=plan).first()
    now = timezone.now()
    ProgressReport.objects.create(
        task_unit=tu,
        period=date(2026, 5, 1),
        due_at=now,
        submitted_at=now,
        submitted_by=staff,
        progress=10,
        content="x",
    )
    before = tree(plan)
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=xlsx([["一、", "新"]]), mode="replace")
    assert "1条进度报送" in exc.value.detail
    assert tree(plan) == before
    ProgressReport.objects.all().delete()
    Notice.objects.create(plan=plan, kind="supervise", task_unit=tu, text="请报送", issued_by=staff, issued_at=now)
    with pytest.raises(ValidationFailed) as exc:
        tasks_import(user=staff, plan=plan, file=xlsx([["一、", "新"]]), mode="replace")
    assert "1条督办通报" in exc.value.detail
    tasks_import(user=staff, plan=plan, file=xlsx([["一、", "新"]]), mode="append")  # appending is fine


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker", "dept_handler", "company_staff"])
def test_only_plan_editors_may_import(world, plan, persona):
    with pytest.raises(PermissionDenied):
        tasks_import(user=world.users[persona], plan=plan, file=xlsx([["一、", "新"]]), mode="append")


def test_street_staff_may_not_import_into_the_district_plan_but_into_their_street(world, plan):
    street = world.users["street_staff"]
    with pytest.raises(PermissionDenied):
        tasks_import(user=street, plan=plan, file=xlsx([["一、", "新"]]), mode="append")
    street_plan = seed_plan(world, region=world.street_a)
    tasks_import(user=street, plan=street_plan, file=xlsx([["一、", "新", "", "甲一社区"]]), mode="append")


def test_a_finished_plan_takes_no_import(plan, staff):
    Plan.objects.filter(pk=plan.pk).update(status="finished")
    plan.refresh_from_db()
    with pytest.raises(DomainError, match="已结束"):
        tasks_import(user=staff, plan=plan, file=xlsx([["一、", "新"]]), mode="append")


def test_bad_mode(plan, staff):
    with pytest.raises(ValidationFailed):
        tasks_import(user=staff, plan=plan, file=xlsx([["一、", "新"]]), mode="merge")


def test_two_thousand_rows_import_with_a_bounded_number_of_queries(empty_plan, staff, world):
    units = ["住建局", "城管执法局", "甲一社区", "甲二社区", "乙街道"]
    rows = []
    for i in range(1, 401):
        rows.append([f"{i}", f"大类{i}", "", units[i % 5], "", "", "", "2026-06-30"])
        for j in range(1, 5):
            rows.append([f"{i}.{j}", f"任务{i}.{j}", "内容", "", f"{units[j]}、{units[(i + j) % 5]}", "", "", "6月底"])
    upload = xlsx(rows)
    with CaptureQueriesContext(connection) as queries:
        result = tasks_import(user=staff, plan=empty_plan, file=upload, mode="append")
    assert result.created == 2000
    assert Task.objects.filter(plan=empty_plan).count() == 2000
    assert Task.objects.filter(plan=empty_plan, parent=None).count() == 400
    # Units resolve from a prefetched map and rows are inserted in bulk (in batches the database's parameter limit
    # allows): a few dozen queries for 2,000 rows and 4,400 units, none per row.
    assert len(queries) < 100


def test_parse_only_reads(empty_plan, world):
    tasks = parse_task_table(plan=empty_plan, file=xlsx([["一、", "甲", "", "住建局"]]))
    assert [t.title for t in tasks] == ["甲"] and tasks[0].leads[0].name == "区住房和城乡建设局"
    assert not Task.objects.filter(plan=empty_plan).exists()
    assert get_user_model().objects.count() == len(world.users)
