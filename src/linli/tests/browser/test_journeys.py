"""Main journeys in real Chromium: log in, find a person by ID number, open the household file, import a file
with errors and read its report, statistics."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from linli.core.pii import mask_id_number
from linli.people.imports.columns import SHEET_COLUMNS
from linli.people.models import Estate, Household, ImportJob, Person, PersonTag, Tag
from linli.testing import factories

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def family(world):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    house = factories.house(world.grid_a1, estate, building="3", unit="2", number="501")
    household = Household.objects.create(number="H0001", house=house)
    head = factories.person(world.grid_a1, household, name="王建国", relationship="head", birth=date(1948, 5, 1))
    wife = factories.person(world.grid_a1, household, name="李秀英", female=True, relationship="spouse")
    household.head = head
    household.save()
    PersonTag.objects.create(person=head, tag=Tag.objects.get(code="veteran"))
    for i in range(3):
        factories.person(world.grid_a1b, None, name=f"邻居{i}", birth=date(1990 + i, 1, 1), female=bool(i % 2))
    return {"household": household, "head": head, "wife": wife}


def test_logging_in_shows_errors_in_chinese_then_lands_on_the_workbench(browser_page, family):
    page = browser_page(None)
    page.goto("/persons/")
    assert "/login/" in page.url
    page.fill("#id_username", "street_staff")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator("[role=alert]").inner_text()
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/persons/$"))  # back to where the user was going
    page.goto("/")
    page.wait_for_url(re.compile(r"/workbench/$"))
    assert page.locator("h1").inner_text().startswith("工作台")


def test_finding_a_person_by_exact_id_number_and_opening_the_household_file(browser_page, family):
    page = browser_page("community_worker")
    sent = []  # what the access log and the next page's Referer would hold: every URL the browser asks for
    page.on("request", lambda r: sent.append(f"{r.url} {r.headers.get('referer', '')}"))
    page.click("nav >> text=人员")
    number = family["wife"].id_number
    page.fill("#id_id_number", number.lower())
    page.click("button:has-text('查询')")
    page.wait_for_url(re.compile(r"/persons/\?search=[\w-]+$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    assert "李秀英" in rows.first.inner_text()
    assert mask_id_number(number) in rows.first.inner_text()
    assert number not in page.locator("table").inner_text()
    rows.first.locator("a", has_text="H0001").click()
    page.wait_for_url(re.compile(rf"/households/{family['household'].pk}/$"))
    members = page.locator("section:has(h2:text('家庭成员')) tbody tr")
    assert [members.nth(i).locator("td").first.inner_text() for i in range(members.count())] == ["王建国", "李秀英"]
    assert "退役军人" in page.content() and "3号楼 2单元 501室" in page.content()
    page.go_back()  # the search comes back from the session, with the number in the form again
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("#id_id_number")).to_have_value(number.lower())
    assert any("/households/" in line for line in sent)
    assert [line for line in sent if number[-10:] in line.upper()] == []
    assert page.errors == []


def test_an_import_with_errors_imports_nothing_and_reports_each_row(browser_page, family):
    from openpyxl import Workbook, load_workbook

    header = [c.label for c in SHEET_COLUMNS]
    good = {
        "户号": "H0001",
        "小区": "幸福里",
        "楼栋": "3",
        "单元": "2",
        "房号": "501",
        "姓名": "王小明",
        "证件号码": factories.resident_id(date(2015, 6, 1)),
        "与户主关系": "子女",
    }
    bad = {**good, "姓名": "", "证件号码": "110101199003071234"}
    wb = Workbook()
    wb.active.append(header)
    for values in (good, bad):
        wb.active.append([values.get(label) for label in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    before = Person.objects.count()

    page = browser_page("community_worker")
    page.click("nav >> text=导入导出")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "人员登记.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}],
    )
    page.click("button:has-text('上传并导入')")
    page.wait_for_selector("h2:text('错误清单')")
    assert "导入结果" in page.locator("h1").inner_text()
    rows = page.locator("section:has(h2:text('错误清单')) tbody tr")
    issues = [tuple(rows.nth(i).locator("td").all_inner_texts()) for i in range(rows.count())]
    assert ("3", "姓名", "姓名不能为空") in issues
    assert any(r[0] == "3" and r[1] == "证件号码" and "校验位" in r[2] for r in issues), issues
    assert not any(r[0] == "2" for r in issues), issues
    assert Person.objects.count() == before
    assert ImportJob.objects.get().status == ImportJob.Status.REJECTED

    with page.expect_download() as download:
        page.click("text=下载错误清单（Excel）")
    assert download.value.suggested_filename.endswith(".xlsx")
    report = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).worksheets[0]
    cells = [tuple(str(c) for c in r) for r in report.iter_rows(values_only=True)]
    assert any(r[0] == "3" and "姓名不能为空" in r for r in cells), cells
    assert page.errors == []


def test_the_statistics_page_draws_its_charts(browser_page, family):
    page = browser_page("street_staff")
    page.goto("/stats/")
    for chart in ("#chart-pyramid", "#chart-residence", "#chart-tags"):
        page.wait_for_selector(f"{chart} canvas")
    assert page.locator(".kpi b").first.inner_text() == "5"
    assert page.errors == []


def test_a_bad_id_number_is_flagged_when_leaving_the_field(browser_page, family):
    page = browser_page("community_worker")
    page.goto("/persons/new/")
    page.fill("#id_id_number", "110101199003071234")
    page.press("#id_id_number", "Tab")
    page.wait_for_selector("#id_id_number_error:has-text('身份证号码校验位不正确')")
    page.fill("#id_name", "")
    page.click("button:has-text('保存')")
    expect(page.locator("#id_name_error")).to_have_text("姓名不能为空")
    assert page.locator("#id_id_number").input_value() == "110101199003071234"


def test_the_layout_fits_a_phone(browser_page, family):
    page = browser_page("street_staff", viewport=PHONE)
    for path in ("/stats/", "/persons/", f"/households/{family['household'].pk}/", "/regions/"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
        assert page.locator("nav.sidenav a").last.is_visible()
