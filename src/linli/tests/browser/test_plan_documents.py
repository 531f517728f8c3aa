"""Plan documents in the browser: download the plan as Word from the plan page, import a task table through the
form (preview, then confirm) and find the tasks on the plan page."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import Workbook
from playwright.sync_api import expect

from linli.campaigns.documents.tests.factory import seed_plan
from linli.campaigns.models import Task

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _table(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["创建文明城市测评任务分解表"])
    ws.append(["序号", "工作任务", "牵头单位", "责任单位", "完成时限"])
    ws.append(["一、", "集贸市场环境整治", "城管执法局", "甲街道、乙街道", "2026年9月20日"])
    ws.append(["1.", "清理占道经营", "", "甲一社区", "9月20日前"])
    wb.save(path)
    return path


def test_download_the_plan_and_import_tasks(browser_page, world, tmp_path):
    plan = seed_plan(world)
    page = browser_page("district_staff")
    page.goto(f"/campaigns/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载方案（Word，公文格式）").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".docx"
    document = Document(BytesIO(saved.read_bytes()))
    assert plan.title in [p.text for p in document.paragraphs]
    assert len(document.sections) == 2 and document.tables

    page.get_by_role("link", name="从Excel导入任务").click()
    expect(page.get_by_role("heading", name="导入任务分解表")).to_be_visible()
    page.set_input_files("#id_file", str(_table(tmp_path / "任务分解表.xlsx")))
    page.get_by_label("替换现有全部任务").check()
    page.get_by_role("button", name="检查并预览").click()
    expect(page.get_by_role("heading", name="请核对：共2项任务")).to_be_visible()
    expect(page.get_by_text("甲街道、乙街道")).to_be_visible()
    assert Task.objects.filter(plan=plan).count() == 6  # nothing saved yet
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入2项任务")).to_be_visible()
    titles = sorted(Task.objects.filter(plan=plan).values_list("title", flat=True))
    assert titles == ["清理占道经营", "集贸市场环境整治"]
    assert page.errors == []


def test_import_errors_on_a_phone(browser_page, world, tmp_path):
    plan = seed_plan(world)
    wb = Workbook()
    wb.active.append(["任务", "牵头单位", "完成时限"])
    wb.active.append(["集贸市场环境整治", "市公安局", "尽快"])
    wb.save(tmp_path / "bad.xlsx")
    page = browser_page("district_staff", PHONE)
    page.goto(f"/campaigns/{plan.pk}/tasks/import")
    page.set_input_files("#id_file", str(tmp_path / "bad.xlsx"))
    page.get_by_role("button", name="检查并预览").click()
    alert = page.get_by_role("alert").filter(has_text="未导入任何任务")
    expect(alert).to_contain_text("第2行“牵头单位”：“市公安局”不是本方案范围内的单位")
    expect(alert).to_contain_text("第2行“完成时限”：“尽快”不是日期")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Task.objects.filter(plan=plan).count() == 6
