"""Excel import of persons: the template round trip, all-or-nothing rejection with per-row issues, scope."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from openpyxl import load_workbook

from linli.audit.models import AuditEntry
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.spreadsheets import MAX_COLUMNS
from linli.people.imports import importer, selectors
from linli.people.imports.services import persons_import
from linli.people.models import Household, ImportIssue, ImportJob, Person
from linli.testing import factories
from linli.testing.workbooks import empty_rows, forbid_reading, sheet, with_sheet

from .support import counts, issues, rid, row, xlsx

# ------------------------------------------------------------------------------------------ template


def test_the_template_downloads_fills_and_imports(world, estates, worker):
    client = Client()
    client.force_login(worker)
    response = client.get("/imports/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]

    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:1] == ["人员登记"] and "说明" in wb.sheetnames
    ws = wb["人员登记"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["户号", "户别", "小区", "楼栋", "单元", "房号"]
    assert header[6:9] == ["姓名", "证件类型", "证件号码"] and header[-2:] == ["备注", "标签"]
    assert ws["A2"].value.startswith("示例")  # the example row, skipped on import
    dropdowns = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in ws.data_validations.dataValidation}
    column_of = {label: cell.column_letter for label, cell in zip(header, ws[1], strict=True)}
    for label in ("户别", "证件类型", "性别", "民族", "人口类型", "与户主关系"):
        assert column_of[label] in dropdowns, label
    guide = "\n".join(str(c.value) for r in wb["说明"].iter_rows() for c in r if c.value)
    assert "证件号码" in guide and "残疾人（分1-4级）" in guide and "精神障碍患者" not in guide  # sensitive: hidden

    def put(r: int, values: dict) -> None:
        for label, value in values.items():
            ws.cell(row=r, column=header.index(label) + 1, value=value)

    put(3, row(1, 姓名="张建军", 证件号码=rid(1), 与户主关系="户主", 户别="家庭户", 民族="汉", 标签="退役军人"))
    put(4, row(2, 姓名="李秀英", 证件号码=rid(2, female=True), 与户主关系="配偶", 标签="残疾人(2级), 独居老人"))
    put(
        5,
        row(
            3,
            户号="H200",
            房号="501",
            证件号码=rid(3, birth=date(1950, 1, 2)),
            与户主关系="户主",
            出生日期="1950-01-02",
        ),
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("填好的模板.xlsx", buffer.getvalue())
    response = client.post("/imports/", {"file": upload, "on_duplicate": "skip"})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert (job.status, job.rows, job.created, job.households_created, job.error_count) == ("done", 3, 3, 2, 0)
    h100 = Household.objects.get(number="H100")
    assert (h100.house_id, h100.kind, h100.head.name) == (estates["502"].pk, "family", "张建军")
    assert [(h.history_type, h.head_id) for h in h100.history.order_by("history_id")] == [
        ("+", None),
        ("~", h100.head_id),
    ]
    assert h100.grid_id == world.grid_a1.pk
    h200 = Household.objects.get(number="H200")
    assert h200.grid_id == h200.house.grid_id == world.grid_a1b.pk
    li = Person.objects.get(name="李秀英")
    assert (li.gender, li.birth_date, li.grid_id, li.household_id, li.relationship) == (
        "F",
        date(1990, 3, 7),
        world.grid_a1.pk,
        h100.pk,
        "spouse",
    )
    assert sorted((t.tag.code, t.grade) for t in li.person_tags.all()) == [("disabled", 2), ("elderly_alone", None)]
    assert Person.objects.get(name="张建军").ethnicity == "汉族"
    assert li.history.get().history_user == worker  # the shared bulk path keeps history
    entry = AuditEntry.objects.get(action="import")
    assert (entry.actor, entry.count) == (worker, 3) and sorted(entry.object_ids) == sorted(
        Person.objects.values_list("pk", flat=True)
    )
    page = client.get(f"/imports/{job.pk}/")
    assert page.status_code == 200 and "已全部导入" in page.content.decode()


# ------------------------------------------------------------------------------------------ errors


def test_a_file_with_errors_imports_nothing_and_reports_each_row_and_column(world, estates, worker):
    elsewhere = factories.person(world.grid_a2, name="外社区居民")  # registered in 甲二: not the worker's
    before = counts()
    bad_check = rid(10)[:17] + ("0" if rid(10)[17] != "0" else "1")
    file = xlsx(
        [
            row(1, 与户主关系="户主"),  # 2: fine
            row(2, 证件号码=bad_check),  # 3
            row(3, 性别="女"),  # 4: the number says male
            row(4, 户号="H300", 房号="909"),  # 5: no such house
            row(5),  # 6: duplicate of row 7
            row(6, 证件号码=rid(5)),  # 7
            row(7, 证件号码=elsewhere.id_number),  # 8: registered in another community
            row(8, 标签="独居老人,残疾人"),  # 9: graded tag without a grade
        ]
    )
    job = persons_import(user=worker, file=file, on_duplicate="skip")

    assert job.status == "rejected" and job.error_count == 7
    assert counts() == before
    assert issues(job) == [
        (3, "证件号码", "身份证号码校验位不正确"),
        (4, "性别", "性别与证件号码不符"),
        (5, "房号", "幸福里3号楼1单元没有909室，请先登记房屋"),
        (6, "证件号码", "证件号码与第7行重复"),
        (7, "证件号码", "证件号码与第6行重复"),
        (8, "证件号码", "该证件号码已在其他辖区登记，不能重复登记；如已迁入本辖区，请联系原辖区办理迁出"),
        (9, "标签", "标签“残疾人”须写明等级，如“残疾人(2级)”"),
    ]
    assert (job.created, job.updated, job.skipped) == (0, 0, 0)
    assert "发现7处错误，未导入任何数据" in job.message
    assert AuditEntry.objects.get(action="import").count == 0


def test_errors_found_after_rows_were_written_roll_everything_back(world, estates, worker, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)  # rows 2-5 are written in two batches before row 6 fails
    before = counts()
    rows = [row(n, 户号=f"H{n}", 与户主关系="户主") for n in range(1, 5)] + [row(9, 户号="H9", 小区="无名小区")]
    job = persons_import(user=worker, file=xlsx(rows))
    assert issues(job) == [(6, "小区", "小区“无名小区”不在您的辖区内或尚未登记")]
    assert counts() == before


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [row(1, 与户主关系="户主"), row(2, 与户主关系="户主")],
            [(3, "与户主关系", "户号H100的户主已在第2行填写，每户只能有一名户主")],
        ),
        (
            [row(1, 小区="", 楼栋="", 单元="", 房号="")],
            [(2, "小区", "户号H100尚未登记，新户须填写小区、楼栋、单元、房号")],
        ),
        ([row(1, 单元="")], [(2, "单元", "房屋信息不完整：请同时填写小区、楼栋、单元、房号（缺单元）")]),
        ([row(1, 楼栋="9号楼")], [(2, "楼栋", "幸福里没有9号楼")]),
        ([row(1, 单元="2单元")], [(2, "单元", "幸福里3号楼没有2单元")]),
        ([row(1, 户别="个人户")], [(2, "户别", "户别应为家庭户或集体户")]),
        ([row(1, 标签="残疾人(5级)")], [(2, "标签", "标签“残疾人”的等级应为1-4级")]),
        ([row(1), row(2, 房号="501")], [(3, "房号", "户号H100的房屋与第2行的不一致，同一户只能在一处房屋")]),
        ([row(1, 标签="精神障碍患者")], [(2, "标签", "标签“精神障碍患者”不存在或您无权设置")]),
        ([row(1, 标签="独居老人(2级)")], [(2, "标签", "标签“独居老人”不分等级，请去掉等级")]),
        ([row(1, 户号="")], [(2, "户号", "户号不能为空")]),
        (
            [row(1, 姓名="", 人口类型="常住")],
            [
                (2, "人口类型", "人口类型应为：户籍人口、常住人口、流动人口、人户分离、境外人员"),
                (2, "姓名", "姓名不能为空"),
            ],
        ),
        (
            [row(1, 证件号码=110101199003078515.0)],
            [(2, "证件号码", "证件号码被Excel存成了数字，末几位已经丢失；请把该列设为文本格式后重新填写号码")],
        ),
    ],
)
def test_row_problems_are_named_by_row_and_column(world, estates, worker, rows, expected):
    job = persons_import(user=worker, file=xlsx(rows))
    assert job.status == "rejected"
    assert sorted(issues(job), key=lambda i: (i[0], i[1])) == sorted(expected, key=lambda i: (i[0], i[1]))
    assert Person.objects.count() == 0


def test_issues_beyond_the_cap_are_counted_not_stored(world, estates, worker, monkeypatch):
    monkeypatch.setattr(importer, "ISSUE_CAP", 3)
    job = persons_import(user=worker, file=xlsx([row(n, 姓名="") for n in range(1, 6)]))
    assert (job.error_count, job.issues.count()) == (5, 3)
    assert "只列出前3处" in job.message


def test_blank_rows_and_the_example_row_are_skipped_and_columns_may_move(world, estates, worker):
    header = ["姓名", "证件号码", "户号", "小区", "楼栋", "单元", "房号", "网格"]  # reordered, an extra column
    rows = [{"户号": "示例0001", "姓名": "示例"}, {}, row(1, 楼栋="3号楼", 单元="1单元", 房号="502室")]
    job = persons_import(user=worker, file=xlsx(rows, header=header))
    assert (job.status, job.rows, job.created) == ("done", 1, 1)


def test_an_empty_sheet_is_rejected(world, estates, worker):
    job = persons_import(user=worker, file=xlsx([]))
    assert issues(job) == [(None, "", "文件中没有可导入的数据行（第1行为列名，从第2行起每行一人）")]


# ------------------------------------------------------------------------------------------ duplicates


def test_skip_leaves_registered_persons_alone(world, estates, worker, registered):
    file = xlsx([row(1, 证件号码=registered.id_number, 姓名="老住户", 联系电话="13911112222"), row(2)])
    job = persons_import(user=worker, file=file, on_duplicate="skip")
    assert (job.status, job.created, job.updated, job.skipped) == ("done", 1, 0, 1)
    registered.refresh_from_db()
    assert (registered.phone, registered.version) == ("13800000000", 1)
    assert Person.objects.get(name="居民2").household.number == "H100"  # joins the existing household


def test_update_changes_what_the_file_fills_in_and_keeps_the_rest(world, estates, worker, registered):
    file = xlsx([row(1, 证件号码=registered.id_number, 姓名="老住户", 联系电话="13911112222", 标签="退役军人")])
    job = persons_import(user=worker, file=file, on_duplicate="update")
    assert (job.status, job.created, job.updated, job.skipped) == ("done", 0, 1, 0)
    registered.refresh_from_db()
    assert (registered.phone, registered.employer, registered.relationship, registered.version) == (
        "13911112222",
        "市一医院",
        "child",
        2,
    )
    assert list(registered.person_tags.values_list("tag__code", flat=True)) == ["veteran"]
    latest = registered.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.phone) == ("~", worker, "13911112222")


def test_a_second_head_for_a_registered_household_is_refused(world, estates, worker, registered):
    job = persons_import(user=worker, file=xlsx([row(1, 与户主关系="户主")]))
    assert issues(job) == [(2, "与户主关系", "户号H100已登记户主，如需更换请在一户一档中修改")]


# ------------------------------------------------------------------------------------------ scope


def test_households_and_houses_of_another_community_are_refused(world, estates, registered):
    other = world.users["community_worker2"]
    file = xlsx(
        [
            row(1, 小区="阳光苑", 楼栋="1", 单元="2", 房号="101", 户号="S1"),  # 2: fine, 甲二's own
            row(2, 户号="H100", 小区="", 楼栋="", 单元="", 房号=""),  # 3: 甲一's household
            row(3, 户号="S2"),  # 4: 甲一's house
        ]
    )
    job = persons_import(user=other, file=file)
    assert issues(job) == [
        (3, "户号", "户号H100已在其他辖区登记，不能把人员导入该户"),
        (4, "小区", "小区“幸福里”不在您的辖区内或尚未登记"),
    ]
    assert Person.objects.count() == 1


def test_update_refuses_persons_outside_the_scope(world, estates, registered):
    other = world.users["community_worker2"]
    file = xlsx([row(1, 小区="阳光苑", 楼栋="1", 单元="2", 房号="101", 户号="S1", 证件号码=registered.id_number)])
    job = persons_import(user=other, file=file, on_duplicate="update")
    assert [i[1:] for i in issues(job)] == [
        ("证件号码", "该证件号码已在其他辖区登记，不能重复登记；如已迁入本辖区，请联系原辖区办理迁出")
    ]
    registered.refresh_from_db()
    assert registered.household.number == "H100"


def test_a_street_worker_imports_across_its_communities(world, estates):
    staff = world.users["street_staff"]
    file = xlsx([row(1), row(2, 小区="阳光苑", 楼栋="1号楼", 单元="2", 房号="101", 户号="S1")])
    job = persons_import(user=staff, file=file)
    assert (job.status, job.created) == ("done", 2)
    assert set(Person.objects.values_list("grid_id", flat=True)) == {world.grid_a1.pk, world.grid_a2.pk}


# ------------------------------------------------------------------------------------------ files


def _raw(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _broken_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def _with_entities() -> bytes:
    """A valid workbook whose sheet declares XML entities, the way "billion laughs" files do."""
    source = zipfile.ZipFile(xlsx([row(1)]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            z.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: _raw("人员.xlsx", _with_entities()), "文件已损坏或不是有效的Excel文件"),
        (lambda: _raw("人员.csv", "户号,姓名\n".encode()), "（人员.csv）的格式不支持，只接受Excel（.xlsx）"),
        (lambda: _raw("人员.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "格式为旧版Office（.doc、.xls）"),
        (lambda: _raw("人员.docx", _broken_zip()), "（人员.docx）格式为ZIP压缩包，只接受Excel（.xlsx）"),
        (lambda: _raw("人员.xlsx", b"just some text, renamed"), "（人员.xlsx）已损坏或不是有效的Excel（.xlsx）文件"),
        (lambda: _raw("人员.xlsx", _broken_zip()), "（人员.xlsx）格式为ZIP压缩包"),
        (lambda: _raw("人员.xlsx", xlsx([row(1)]).read()[:300]), "（人员.xlsx）已损坏或不是有效的Excel（.xlsx）文件"),
        (lambda: _raw("人员.xlsx", b""), "上传的文件（人员.xlsx）是空文件"),
    ],
)
def test_files_that_are_not_a_readable_template_are_refused(world, estates, worker, file, message):
    with pytest.raises(ValidationFailed) as exc:
        persons_import(user=worker, file=file())
    assert message in exc.value.errors[0].message
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["名字", "身份证"], "第1行没有找到模板的列名（户号、姓名、证件号码……），请使用下载的模板填写"),
        (["姓名", "证件号码"], "第1行缺少必需的列：户号。请使用下载的模板，第1行为列名"),
        (["户号", "姓名", "姓名", "证件号码"], "第1行有两列都叫“姓名”，请删去重复的列"),
    ],
)
def test_a_header_without_the_templates_columns_rejects_the_file(world, estates, worker, header, message):
    """Read by the worker: openpyxl may have to read the whole sheet before it gives the first row."""
    job = persons_import(user=worker, file=xlsx([row(1)], header=header))
    assert (job.status, issues(job)) == ("rejected", [(1, "", message)])


def test_an_oversized_file_is_refused(world, estates, worker, settings):
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed) as exc:
        persons_import(user=worker, file=xlsx([row(n) for n in range(30)]))
    assert "上限" in exc.value.errors[0].message


def test_five_million_empty_rows_are_refused_before_openpyxl_reads_them(world, estates, worker, monkeypatch):
    forbid_reading(monkeypatch)
    with pytest.raises(ValidationFailed) as exc:
        persons_import(user=worker, file=_raw("人员.xlsx", empty_rows()))
    assert "超过100002行（空行也计算在内）" in exc.value.errors[0].message
    assert not ImportJob.objects.exists()


def test_cells_far_to_the_right_are_not_read(world, estates, worker):
    """A cell numbered XFD would make openpyxl fill every row out to 16,384 cells; rows stop at MAX_COLUMNS."""
    cells = '<c r="A1" t="inlineStr"><is><t>户号</t></is></c><c r="XFD1" t="inlineStr"><is><t>x</t></is></c>'
    wb, header, rows = importer.open_rows(_raw("人员.xlsx", with_sheet(sheet(f'<row r="1">{cells}</row><row r="2"/>'))))
    assert (len(header), header[0], [len(r) for r in rows]) == (MAX_COLUMNS, "户号", [MAX_COLUMNS])
    wb.close()


def test_the_upload_page_shows_a_refused_file_in_chinese(world, estates, worker):
    client = Client()
    client.force_login(worker)
    response = client.post("/imports/", {"file": _raw("人员.csv", b"a,b\n"), "on_duplicate": "skip"})
    assert response.status_code == 400
    assert "上传的文件（人员.csv）的格式不支持，只接受Excel（.xlsx）" in response.content.decode()
    assert not ImportJob.objects.exists()


# ------------------------------------------------------------------------------------------ reports and access


@pytest.fixture
def rejected_job(world, estates, worker):
    return persons_import(user=worker, file=xlsx([row(1, 姓名=""), row(2, 证件号码="123")]))


def test_the_report_page_and_workbook_list_the_issues(world, worker, rejected_job):
    client = Client()
    client.force_login(worker)
    page = client.get(f"/imports/{rejected_job.pk}/").content.decode()
    assert "姓名不能为空" in page and "身份证号码应为18位" in page and "下载错误清单" in page
    response = client.get(f"/imports/{rejected_job.pk}/report.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    lines = [tuple(r) for r in wb.active.iter_rows(min_row=3, values_only=True)]
    assert lines == [(2, "姓名", "姓名不能为空"), (3, "证件号码", "身份证号码应为18位，前17位为数字，末位为数字或X")]
    upload_page = client.get("/imports/").content.decode()
    assert f"/imports/{rejected_job.pk}/" in upload_page


def test_the_report_paginates(world, estates, worker):
    job = persons_import(user=worker, file=xlsx([row(n, 姓名="") for n in range(1, 61)]))
    client = Client()
    client.force_login(worker)
    first = client.get(f"/imports/{job.pk}/").content.decode()
    second = client.get(f"/imports/{job.pk}/?page=2").content.decode()
    assert "第 1/2 页" in first and "第 2/2 页" in second
    assert ImportIssue.objects.filter(job=job).count() == 60


def test_another_worker_cannot_see_the_job(world, rejected_job):
    other = Client()
    other.force_login(world.users["community_worker2"])
    assert other.get(f"/imports/{rejected_job.pk}/").status_code == 404
    assert other.get(f"/imports/{rejected_job.pk}/report.xlsx").status_code == 404
    assert f"/imports/{rejected_job.pk}/" not in other.get("/imports/").content.decode()
    with pytest.raises(Http404):
        selectors.import_job_get(user=world.users["community_worker2"], pk=rejected_job.pk)
    admin = Client()
    admin.force_login(world.users["admin"])
    assert admin.get(f"/imports/{rejected_job.pk}/").status_code == 200


def test_a_department_handler_cannot_import(world, estates):
    handler = world.users["dept_handler"]
    client = Client()
    client.force_login(handler)
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/template.xlsx").status_code == 403
    assert client.post("/imports/", {"file": xlsx([row(1)]), "on_duplicate": "skip"}).status_code == 403
    with pytest.raises(PermissionDenied):
        persons_import(user=handler, file=xlsx([row(1)]))
    assert not ImportJob.objects.exists() and not Person.objects.exists()


def test_pages_need_a_login(db):
    response = Client().get("/imports/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_administrators_see_everyones_jobs_with_who_imported_them(world, rejected_job):
    """An administrator by role, not a superuser, is an administrator like any other (accounts.roles)."""
    by_role = factories.user("admin_by_role", "admin")
    by_role.is_superuser = False
    by_role.save()
    for user in (world.users["admin"], by_role):
        client = Client()
        client.force_login(user)
        page = client.get("/imports/").content.decode()
        assert f"/imports/{rejected_job.pk}/" in page and "<th>导入人</th>" in page
    worker = Client()
    worker.force_login(rejected_job.user)
    assert "<th>导入人</th>" not in worker.get("/imports/").content.decode()
