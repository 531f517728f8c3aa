"""The person workbook API: an import and an export queued as jobs, their progress, issues and file; who may see
which job (the authorization matrix for /api/v1/imports and /api/v1/exports)."""

import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from linli.audit.models import AuditEntry
from linli.people.imports.services import persons_export, persons_import
from linli.people.models import ExportJob, ImportJob
from linli.people.selectors import PersonFilter
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_response, answers, matrix_cases, uncovered

from .support import row, xlsx


def upload(rows) -> ContentFile:
    return ContentFile(xlsx(rows).read(), name="人员.xlsx")


def test_an_import_is_queued_and_its_status_and_issues_read(world, estates, worker):
    api = ApiClient(worker)
    response = api.client.post("/api/v1/imports/persons", {"file": upload([row(1, 与户主关系="户主")])})
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["status_label"], job["active"], job["created"]) == ("done", "已导入", False, 1)
    assert api.get(f"/imports/{job['id']}").json()["households_created"] == 1

    rejected = api.client.post(
        "/api/v1/imports/persons", {"file": upload([row(2, 姓名="")]), "on_duplicate": "update"}
    ).json()
    assert (rejected["status"], rejected["error_count"], rejected["on_duplicate"]) == ("rejected", 1, "update")
    issues = api.get(f"/imports/{rejected['id']}/issues").json()
    assert issues == {
        "items": [{"row": 2, "column": "姓名", "message": "姓名不能为空"}],
        "count": 1,
        "count_capped": False,
    }

    refused = api.client.post("/api/v1/imports/persons", {"file": ContentFile(b"a,b\n", name="人员.csv")})
    assert refused.status_code == 400 and "只接受Excel（.xlsx）" in refused.json()["errors"][0]["message"]


def test_a_running_job_reports_its_progress(world, worker):
    job = ImportJob.objects.create(
        user=worker, file_name="人员.xlsx", status="running", stage="check", progress=400, progress_total=1600
    )
    got = ApiClient(worker).get(f"/imports/{job.pk}").json()
    assert (got["active"], got["percent"], got["progress_text"]) == (True, 25, "正在检查：第400行，共1600行")


def test_an_export_is_queued_then_downloaded_and_each_download_audited(world):
    staff = world.users["street_staff"]
    factories.person(world.grid_a1, name="甲一居民")
    api = ApiClient(staff)
    job = api.post("/exports/persons", {"unmasked": True, "purpose": "低保复核", "region": world.community_a1.pk})
    assert job.status_code == 202
    job = job.json()
    assert (job["status"], job["count"], job["file_url"]) == ("done", 1, f"/api/v1/exports/{job['id']}/file")
    assert not AuditEntry.objects.filter(action="export").exists()  # nothing has left the system yet
    response = api.client.get(job["file_url"])
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[6] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["甲一居民"]
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.count, entry.purpose) == (staff, 1, "低保复核") and "完整信息" in entry.detail

    worker = ApiClient(world.users["community_worker"])
    assert worker.post("/exports/persons", {"unmasked": True, "purpose": "核查"}).status_code == 403
    assert worker.post("/exports/persons", {"region": world.community_b1.pk}).status_code == 404
    assert worker.post("/exports/persons", {"region": 2**64}).status_code == 400


def test_an_unfinished_export_has_no_file_yet(world):
    staff = world.users["street_staff"]
    job = ExportJob.objects.create(user=staff, status="running")
    response = ApiClient(staff).get(f"/exports/{job.pk}/file")
    assert response.status_code == 409 and response.json()["detail"] == "导出文件尚未生成，请稍候"


# ------------------------------------------------------------------------------------------ authorization matrix


@pytest.fixture
def jobs(world, estates):
    """An import (rejected, so it has issues) and an export of community_worker ("in"), and of community_worker2."""

    def of(role: str) -> dict:
        user = world.users[role]
        imported = persons_import(user=user, file=xlsx([row(1, 姓名="")]))
        return {"import": imported.pk, "export": persons_export(user=user, filters=PersonFilter()).pk}

    return {"in": of("community_worker"), "out": of("community_worker2")}


# fmt: off
ENDPOINTS = [
    #                                                        adm dis str cw  cw2 grd dep com
    # a job is its user's; administrators read everyone's imports, but an export's file is its user's alone
    Endpoint("POST", "/imports/persons",                  "202 202 202 202 202 202 403 403",
             form=True, body=lambda ctx: {"file": upload([row(7)])}),
    Endpoint("GET",  "/imports/{import}",                 "200 404 404 200 404 404 404 404",
                                             out_of_scope="200 404 404 404 200 404 404 404"),
    Endpoint("GET",  "/imports/{import}/issues",          "200 404 404 200 404 404 404 404",
                                             out_of_scope="200 404 404 404 200 404 404 404"),
    Endpoint("POST", "/exports/persons",                  "202 202 202 202 202 202 403 403", body=lambda ctx: {}),
    Endpoint("GET",  "/exports/{export}",                 "404 404 404 200 404 404 404 404",
                                             out_of_scope="404 404 404 404 200 404 404 404"),
    Endpoint("GET",  "/exports/{export}/file",            "404 404 404 200 404 404 404 404",
                                             out_of_scope="404 404 404 404 200 404 404 404"),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(world, jobs):
    got, table = answers(world.users, CASES, jobs)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, jobs, endpoint):
    assert anonymous_response(endpoint, jobs["in"]).status_code == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/imports", "/exports") == (set(), set())
