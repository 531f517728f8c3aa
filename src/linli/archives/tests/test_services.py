import io
import zipfile
from datetime import date
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from openpyxl import load_workbook

from linli.archives import export, selectors, services
from linli.archives.models import Category, Item
from linli.audit.models import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import make_box, make_item, pdf, xlsx


def test_the_eight_categories_are_made_once(db):
    first = services.ensure_default_categories()
    again = services.ensure_default_categories()
    assert [c.name for c in first] == ["上级文件", "本级文件", "工作方案", "活动记录", "汇报", "总结", "报表", "图片"]
    assert [c.pk for c in again] == [c.pk for c in first]
    assert Category.objects.filter(district__isnull=True).count() == 8


def test_a_district_adds_its_own_category_beside_the_eight(world):
    services.ensure_default_categories()
    own = services.category_create(user=world.users["district_staff"], district_id=world.district.pk, name="台账照片")
    assert "台账照片" in [c.name for c in selectors.categories_for(world.community_a1)]
    with pytest.raises(ValidationFailed):
        services.category_create(user=world.users["district_staff"], district_id=world.district.pk, name="总结")
    with pytest.raises(PermissionDenied):
        services.category_create(user=world.users["street_staff"], district_id=world.district.pk, name="其他")
    services.category_update(user=world.users["district_staff"], category_id=own.pk, name="台账照片", order=5,
                             active=False)  # fmt: skip
    assert "台账照片" not in [c.name for c in selectors.categories_for(world.community_a1)]


def test_a_box_is_its_offices_and_those_above_read_it(world, media):
    cw = world.users["community_worker"]
    box = make_box(cw)
    assert box.region == world.community_a1
    with pytest.raises(ValidationFailed):
        make_box(cw)  # the same topic and year again
    with pytest.raises(ValidationFailed):
        make_box(cw, topic="社区减负", region_id=world.community_a2.pk)
    for reader in ("street_staff", "district_staff", "admin"):
        assert selectors.box_get(user=world.users[reader], pk=box.pk) == box
    for outsider in ("community_worker2", "grid_worker"):
        with pytest.raises(Http404):
            selectors.box_get(user=world.users[outsider], pk=box.pk)
    with pytest.raises(PermissionDenied):  # the street reads it but does not keep it
        make_item(world.users["street_staff"], box)


def test_items_with_files_are_indexed_on_commit_and_versions_guard_edits(
    world, media, django_capture_on_commit_callbacks
):
    cw = world.users["community_worker"]
    box = make_box(cw)
    with mock.patch("linli.archives.services.search.item_changed") as changed, django_capture_on_commit_callbacks(
            execute=True):  # fmt: skip
        item = make_item(cw, box, file=pdf(), tags="扫黄打非，宣传", region_id=world.grid_a1.pk)
    changed.assert_called_once_with(item.pk)
    assert (item.file_name, item.tags, item.region, item.index_state) == ("方案.pdf", ["扫黄打非", "宣传"],
                                                                          world.grid_a1, "pending")  # fmt: skip
    with pytest.raises(Conflict):
        services.item_update(user=cw, item_id=item.pk, version=item.version + 1, category_id=item.category_id,
                             title="改", date=item.date)  # fmt: skip
    with pytest.raises(ValidationFailed):  # a region outside the box's office
        services.item_update(user=cw, item_id=item.pk, version=item.version, category_id=item.category_id,
                             title="改", date=item.date, region_id=world.community_b1.pk)  # fmt: skip
    with mock.patch("linli.archives.services.search.item_deleted") as deleted, django_capture_on_commit_callbacks(
            execute=True):  # fmt: skip
        services.item_delete(user=cw, item_id=item.pk, version=item.version)
    deleted.assert_called_once_with(item.pk)
    assert not Item.objects.exists()
    assert AuditEntry.objects.filter(object_type="archives.item").count() == 2


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("通知.pdf", b"<html><script>alert(1)</script></html>"),  # a page named .pdf
        SimpleUploadedFile("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),  # old Office
        SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("报表.docx", b"PK\x03\x04broken"),  # a broken zip
    ],
    ids=["html-as-pdf", "xls", "exe", "broken-docx"],
)
def test_bad_files_are_refused_naming_the_field(world, media, upload):
    cw = world.users["community_worker"]
    box = make_box(cw)
    with pytest.raises(ValidationFailed) as refused:
        make_item(cw, box, file=upload)
    assert refused.value.errors[0].field == "file"
    assert not Item.objects.exists()


def test_a_file_over_the_cap_is_refused(world, media):
    cw = world.users["community_worker"]
    box = make_box(cw)
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (services.FILES.max_bytes + 1))
    with pytest.raises(ValidationFailed):
        make_item(cw, box, file=big)


def test_the_zip_has_the_index_sheet_and_the_files_by_category(world, media):
    cw = world.users["community_worker"]
    box = make_box(cw)
    make_item(cw, box, file=pdf())
    make_item(cw, box, "报表", file=xlsx(), title="活动统计表", tags=["报表"])
    make_item(cw, box, "报表", file=xlsx(), title="活动统计表（二）")
    make_item(cw, box, "活动记录", title="进社区宣传", date=date(2025, 5, 1))
    contents = selectors.box_contents(box)
    assert contents.missing == ["上级文件", "本级文件", "汇报", "总结", "图片"]
    handle, count = export.write_zip(box)
    with handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        sheet = load_workbook(io.BytesIO(archive.read("目录.xlsx"))).active
        rows = [[c for c in r] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert count == 4
    assert set(names) == {"目录.xlsx", "03-工作方案/方案.pdf", "07-报表/报表.xlsx", "07-报表/报表 (2).xlsx"}
    assert rows[0] == ["序号", "类别", "标题", "日期", "标签", "文件名"]
    assert rows[1][:3] == [1, "工作方案", "2025年扫黄打非工作方案"] and rows[1][5] == "03-工作方案/方案.pdf"
    assert rows[2][1] == "活动记录" and rows[2][5] is None


def test_an_empty_box_may_go_one_with_items_may_not(world, media):
    cw = world.users["community_worker"]
    box = make_box(cw)
    make_item(cw, box)
    with pytest.raises(Conflict):
        services.box_delete(user=cw, box_id=box.pk)
    empty = make_box(cw, topic="社区减负")
    services.box_delete(user=cw, box_id=empty.pk, version=empty.version)
