"""The document endpoints: who may download and import, per persona and plan region, and the import pages."""

import os
import time
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from linli.campaigns.documents import views as documents_views
from linli.campaigns.documents.tables import tasks_xlsx
from linli.campaigns.documents.views import SESSION_KEY
from linli.campaigns.models import Task
from linli.testing.factories import PERSONAS

from .factory import seed_plan
from .test_xlsx import xlsx

# Who sees a plan (200) or not (404), and who may import into it (200) or only see it (403), by the plan's region.
SEE = {
    "district": dict.fromkeys(PERSONAS, 200),
    "street_b": {
        "admin": 200,
        "district_staff": 200,
        "street_staff": 404,
        "community_worker": 404,
        "community_worker2": 404,
        "grid_worker": 404,
        "dept_handler": 200,  # named as 牵头单位 on one of its tasks
        "company_staff": 404,
    },
    "community_a1": {
        "admin": 200,
        "district_staff": 200,
        "street_staff": 200,
        "community_worker": 200,
        "community_worker2": 404,
        "grid_worker": 200,
        "dept_handler": 200,
        "company_staff": 404,
    },
}
EDITORS = {
    "district": {"admin", "district_staff"},
    "street_b": {"admin", "district_staff"},
    "community_a1": {"admin", "district_staff", "street_staff"},
}
REGIONS = {"district": "district", "street_b": "street_b", "community_a1": "community_a1"}


@pytest.fixture(autouse=True)
def _files_in_tmp(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plans(world):
    return {key: seed_plan(world, region=getattr(world, attr)) for key, attr in REGIONS.items()}


def client_for(client, world, persona):
    client.force_login(world.users[persona])
    return client


@pytest.mark.parametrize("where", list(SEE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_downloads_follow_plan_visibility(client, world, plans, where, persona):
    plan = plans[where]
    c = client_for(client, world, persona)
    expected = SEE[where][persona]
    docx = c.get(reverse("campaign_documents:plan_docx", args=[plan.pk]))
    assert docx.status_code == expected
    table = c.get(reverse("campaign_documents:tasks_xlsx", args=[plan.pk]))
    assert table.status_code == expected
    if expected == 200:
        assert docx["Content-Type"].endswith("wordprocessingml.document")
        assert "filename*=utf-8''" in docx["Content-Disposition"]
        assert Document(BytesIO(docx.content)).tables
        assert load_workbook(BytesIO(table.content)).sheetnames[0] == "任务分解表"


@pytest.mark.parametrize("where", list(SEE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_import_page_for_editors_only(client, world, plans, where, persona):
    plan = plans[where]
    c = client_for(client, world, persona)
    url = reverse("campaign_documents:tasks_import", args=[plan.pk])
    seen = SEE[where][persona]
    expected = seen if seen == 404 else (200 if persona in EDITORS[where] else 403)
    assert c.get(url).status_code == expected
    before = Task.objects.filter(plan=plan).count()
    posted = c.post(url, {"file": xlsx([["一、", "新任务"]]), "mode": "append"})
    assert posted.status_code == expected
    assert Task.objects.filter(plan=plan).count() == before  # a preview saves nothing, a refusal neither


def test_anonymous_users_are_sent_to_log_in(client, plans):
    plan = plans["district"]
    for name in ("plan_docx", "tasks_xlsx", "tasks_import"):
        response = client.get(reverse(f"campaign_documents:{name}", args=[plan.pk]))
        assert response.status_code == 302 and "login" in response["Location"]


def test_missing_plan_is_404(client, world):
    c = client_for(client, world, "admin")
    assert c.get(reverse("campaign_documents:plan_docx", args=[999999])).status_code == 404


def test_preview_then_confirm_imports_the_previewed_file(client, world, plans):
    plan = plans["district"]
    c = client_for(client, world, "district_staff")
    url = reverse("campaign_documents:tasks_import", args=[plan.pk])
    page = c.get(url)
    assert "检查并预览" in page.content.decode()
    upload = xlsx(
        [["一、", "集贸市场环境整治", "", "城管执法局"], ["1.", "清理占道经营", "", "", "甲一社区、甲二社区"]]
    )
    preview = c.post(url, {"file": upload, "mode": "replace"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "请核对：共2项任务" in html and "一、 集贸市场环境整治" in html and "甲一社区、甲二社区" in html
    assert "替换现有全部任务" in html
    assert Task.objects.filter(plan=plan).count() == 6
    (token,) = c.session[SESSION_KEY]
    pending = f"{documents_views.PENDING_DIR}/{token}.xlsx"
    assert c.session[SESSION_KEY][token]["file"] == pending and default_storage.exists(pending)
    done = c.post(url, {"token": token})
    assert done.status_code == 302 and done["Location"] == reverse("campaigns:detail", args=[plan.pk])
    tasks = Task.objects.filter(plan=plan).values_list("title", "parent__title")
    assert sorted(tasks) == [("清理占道经营", "集贸市场环境整治"), ("集贸市场环境整治", None)]
    assert not default_storage.exists(pending)
    assert c.session[SESSION_KEY] == {}
    again = c.post(url, {"token": token})  # a second confirm finds nothing to import
    assert again.status_code == 302 and again["Location"] == url
    assert Task.objects.filter(plan=plan).count() == 2


def test_a_preview_left_unconfirmed_for_a_day_is_deleted_at_the_next_upload(client, world, plans, tmp_path):
    plan = plans["district"]
    old = default_storage.save(f"{documents_views.PENDING_DIR}/old.xlsx", ContentFile(b"x"))
    fresh = default_storage.save(f"{documents_views.PENDING_DIR}/fresh.xlsx", ContentFile(b"x"))
    day_ago = time.time() - documents_views.PENDING_TTL.total_seconds() - 60
    os.utime(tmp_path / old, (day_ago, day_ago))
    c = client_for(client, world, "district_staff")
    url = reverse("campaign_documents:tasks_import", args=[plan.pk])
    assert c.post(url, {"file": xlsx([["一、", "新任务"]]), "mode": "append"}).status_code == 200
    assert not default_storage.exists(old) and default_storage.exists(fresh)


def test_a_token_from_another_plan_or_user_does_nothing(client, world, plans):
    district, street = plans["district"], plans["street_b"]
    c = client_for(client, world, "district_staff")
    c.post(
        reverse("campaign_documents:tasks_import", args=[district.pk]),
        {"file": xlsx([["一、", "甲"]]), "mode": "append"},
    )
    (token,) = c.session[SESSION_KEY]
    c.post(reverse("campaign_documents:tasks_import", args=[street.pk]), {"token": token})
    assert not Task.objects.filter(plan=street, title="甲").exists()
    other = client_for(client.__class__(), world, "admin")
    other.post(reverse("campaign_documents:tasks_import", args=[district.pk]), {"token": token})
    assert not Task.objects.filter(plan=district, title="甲").exists()


def test_errors_are_listed_by_row_and_nothing_is_saved(client, world, plans):
    plan = plans["district"]
    c = client_for(client, world, "district_staff")
    url = reverse("campaign_documents:tasks_import", args=[plan.pk])
    rows = [["一、", "甲", "", "市公安局"], ["1.", "", "", "", "", "", "", "尽快"]]
    response = c.post(url, {"file": xlsx(rows), "mode": "append"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "发现3处错误" in html
    assert "第2行“牵头单位”：“市公安局”不是本方案范围内的单位" in html
    assert "第3行“完成时限”：“尽快”不是日期" in html
    assert SESSION_KEY not in c.session
    assert Task.objects.filter(plan=plan).count() == 6


def cells(xlsx: bytes) -> list[list]:
    return [[list(row) for row in ws.iter_rows(values_only=True)] for ws in load_workbook(BytesIO(xlsx)).worksheets]


def test_exported_table_uploads_back_through_the_page(client, world, plans):
    plan = plans["district"]
    c = client_for(client, world, "district_staff")
    exported = c.get(reverse("campaign_documents:tasks_xlsx", args=[plan.pk])).content
    # The same workbook as the module writes (compared by cell: the file itself carries the moment it was written).
    assert cells(exported) == cells(tasks_xlsx(plan))
    url = reverse("campaign_documents:tasks_import", args=[plan.pk])
    preview = c.post(url, {"file": SimpleUploadedFile("t.xlsx", exported), "mode": "append"})
    assert "请核对：共6项任务" in preview.content.decode()


def test_a_form_without_a_file_is_400(client, world, plans):
    c = client_for(client, world, "district_staff")
    response = c.post(reverse("campaign_documents:tasks_import", args=[plans["district"].pk]), {"mode": "append"})
    assert response.status_code == 400 and "请选择要上传的Excel文件" in response.content.decode()
