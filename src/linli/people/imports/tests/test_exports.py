"""Excel export of the person list: scope, filters, masking, the PII permission and the audit log. Exports run as
jobs; tests run tasks at once (conftest), so a job is done when persons_export returns."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from linli.audit.models import AuditEntry
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.people.imports.services import (
    EXPORT_HEADER,
    export_download,
    export_filters,
    persons_export,
    persons_import,
)
from linli.people.models import Estate, ExportJob, Household, Person, PersonTag, Tag
from linli.people.selectors import PersonFilter
from linli.testing import factories


@pytest.fixture
def people(world):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    house = factories.house(world.grid_a1, estate, building="3", unit="1", number="502")
    household = Household.objects.create(number="H100", house=house)
    head = factories.person(world.grid_a1, household=household, name="张建军", relationship="head")
    wife = factories.person(
        world.grid_a1, household=household, name="李秀英", female=True, birth=date(1982, 2, 3), relationship="spouse"
    )
    PersonTag.objects.create(person=wife, tag=Tag.objects.get(code="disabled"), grade=2)
    PersonTag.objects.create(person=wife, tag=Tag.objects.get(code="mental_disorder"))
    Household.objects.filter(pk=household.pk).update(head=head)
    other = factories.person(world.grid_a2, name="甲二居民")
    return {"head": head, "wife": wife, "other": other}


def read(content: bytes) -> list[dict]:
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADER
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def export_bytes(user, filters=None, **kwargs) -> bytes:
    job = persons_export(user=user, filters=filters or PersonFilter(), **kwargs)
    assert job.status == ExportJob.Status.DONE, job.message
    with export_download(user=user, job=job).open("rb") as file:
        return file.read()


def export(user, filters=None, **kwargs) -> list[dict]:
    return read(export_bytes(user, filters, **kwargs))


def test_a_worker_exports_its_community_masked(world, people):
    worker = world.users["community_worker"]
    rows = export(worker)
    assert [r["姓名"] for r in rows] == ["张建军", "李秀英"]
    wife = rows[1]
    number = people["wife"].id_number
    assert wife["证件号码"] == number[:6] + "********" + number[-4:]
    assert wife["联系电话"] == "138****5678"
    assert (wife["户号"], wife["小区"], wife["楼栋"], wife["单元"], wife["房号"]) == ("H100", "幸福里", "3", "1", "502")
    assert (wife["性别"], wife["出生日期"], wife["与户主关系"], wife["网格"]) == (
        "女",
        "1982-02-03",
        "配偶",
        "甲一1号网格",
    )
    assert wife["标签"] == "残疾人(2级)"  # the sensitive tag stays hidden without its permission
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.count, entry.purpose, sorted(entry.object_ids)) == (
        worker,
        2,
        "",
        sorted([people["head"].pk, people["wife"].pk]),
    )
    assert "脱敏" in entry.detail and "全部" in entry.detail


def test_full_numbers_need_the_permission_and_a_purpose(world, people):
    staff = world.users["street_staff"]
    rows = export(staff, unmasked=True, purpose="低保复核")
    assert {r["证件号码"] for r in rows} == {p.id_number for p in people.values()}
    assert {r["联系电话"] for r in rows} == {"13812345678"}
    assert "精神障碍患者" in next(r["标签"] for r in rows if r["姓名"] == "李秀英")
    entry = AuditEntry.objects.get(action="export")
    assert (entry.count, entry.purpose) == (3, "低保复核") and "完整信息" in entry.detail

    with pytest.raises(ValidationFailed):
        export(staff, unmasked=True, purpose=" ")
    with pytest.raises(PermissionDenied):
        export(world.users["community_worker"], unmasked=True, purpose="低保复核")
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_filters_are_the_person_lists(world, people):
    staff = world.users["street_staff"]
    assert [r["姓名"] for r in export(staff, export_filters({"gender": "F"}))] == ["李秀英"]
    assert [r["姓名"] for r in export(staff, export_filters({"tag": "disabled", "age_min": "40"}))] == ["李秀英"]
    assert [r["姓名"] for r in export(staff, export_filters({"region": str(world.community_a2.pk)}))] == ["甲二居民"]
    assert [r["姓名"] for r in export(staff, export_filters({"name": "建"}))] == ["张建军"]
    assert "gender=F" in AuditEntry.objects.filter(action="export").order_by("id").first().detail
    with pytest.raises(ValidationFailed):
        export_filters({"age_min": "四十"})


def test_the_page_queues_the_export_and_full_numbers_need_a_purpose(world, people):
    client = Client()
    client.force_login(world.users["street_staff"])
    response = client.post("/imports/export.xlsx", {"gender": "F"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/exports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "已生成：共1人" in page and f"/imports/exports/{job.pk}/file.xlsx" in page
    response = client.get(f"/imports/exports/{job.pk}/file.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert read(b"".join(response.streaming_content))[0]["证件号码"].count("*") == 8
    response = client.post("/imports/export.xlsx", {"gender": "F", "unmasked": "on", "purpose": "核查"})
    response = client.get(response["Location"] + "file.xlsx")
    assert read(b"".join(response.streaming_content))[0]["证件号码"] == people["wife"].id_number
    response = client.post("/imports/export.xlsx", {"unmasked": "on", "purpose": ""})
    assert response.status_code == 302 and response["Location"] == "/imports/"
    response = client.post("/imports/export.xlsx", {"age_max": "abc"})
    assert response.status_code == 302 and response["Location"] == "/imports/"
    assert client.get("/imports/export.xlsx", {"gender": "F"}).status_code == 405  # a job is only queued by a POST

    worker = Client()
    worker.force_login(world.users["community_worker"])
    assert worker.post("/imports/export.xlsx", {"unmasked": "on", "purpose": "核查"}).status_code == 403
    assert "导出完整证件号码" not in worker.get("/imports/").content.decode()
    assert worker.get(f"/imports/exports/{job.pk}/").status_code == 404  # another user's export
    assert worker.get(f"/imports/exports/{job.pk}/file.xlsx").status_code == 404
    handler = Client()
    handler.force_login(world.users["dept_handler"])
    assert handler.post("/imports/export.xlsx").status_code == 403


def test_the_export_costs_the_same_queries_whatever_its_size(world, people):
    staff = world.users["street_staff"]
    export(staff)  # warm the user's permission cache

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            export(staff)
        return len(ctx.captured_queries)

    small = queries()
    estate = Estate.objects.get(name="幸福里")
    for n in range(30):
        house = factories.house(world.grid_a1b, estate, building="9", unit="1", number=str(100 + n))
        household = Household.objects.create(number=f"B{n}", house=house)
        factories.person(world.grid_a1b, household=household, name=f"居民{n}", birth=date(1970 + n, 1, 1))
    assert queries() == small


def test_an_unmasked_export_imports_back_unchanged(world, people):
    staff = world.users["street_staff"]
    content = export_bytes(staff, PersonFilter(region=world.community_a1.pk), unmasked=True, purpose="核对")
    before = list(Person.objects.order_by("id").values_list("name", "phone", "household_id", "birth_date"))
    job = persons_import(user=staff, file=SimpleUploadedFile("导出.xlsx", content), on_duplicate="update")
    assert (job.status, job.updated, job.created, job.error_count) == ("done", 2, 0, 0)
    assert list(Person.objects.order_by("id").values_list("name", "phone", "household_id", "birth_date")) == before
    assert sorted(PersonTag.objects.values_list("tag__code", "grade")) == [("disabled", 2), ("mental_disorder", None)]
