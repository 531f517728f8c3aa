"""What /api/v1/campaign-progress answers: obligations, reports in JSON and multipart, refusals, late list, notices."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from linli.accounts.models import ApiToken
from linli.campaigns.models import ProgressReport, TaskUnit
from linli.campaigns.plans import rules as plan_rules
from linli.testing.apiclient import API, ApiClient, field_errors

from .support import APR, FEB, grow

P = "/campaign-progress"


def as_(world, role) -> ApiClient:
    return ApiClient(world.users[role])


def test_mine_lists_periods_and_overdue(world, c):
    body = as_(world, "community_worker").get(P + "/mine").json()
    (item,) = body["items"]
    assert item["task"]["name"] == "小区环境卫生整治" and item["role_label"] == "责任单位"
    assert item["overdue"] == ["2月逾期报送，视为未完成", "3月未报送，视为未完成"]
    assert item["current"]["status_label"] == "未到报送时限"
    assert [p["status"] for p in item["periods"]] == ["on_time", "late", "missing", "pending"]
    assert item["state"] == "due"
    (ended,) = as_(world, "street_staff").get(P + "/mine").json()["items"]
    assert ended["task"]["name"] == "宣传发动" and ended["state"] == "ended" and ended["current"] is None


def test_submit_json_then_update_with_version(world, c):
    api = as_(world, "community_worker")
    r = api.post(P + "/reports", {"task_unit_id": c.a1.pk, "period": "2026-04-01", "progress": 60, "content": "进展"})
    assert r.status_code == 201, r.json()
    report = r.json()
    assert (report["status"], report["locked"], report["version"]) == ("on_time", False, 1)
    again = api.post(P + "/reports", {"task_unit_id": c.a1.pk, "period": "2026-04-20", "progress": 60, "content": "x"})
    assert again.status_code == 409
    ok = api.patch(P + f"/reports/{report['id']}", {"version": 1, "progress": 70, "content": "更正"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api.patch(P + f"/reports/{report['id']}", {"version": 1, "progress": 80, "content": "再改"})
    assert stale.status_code == 409
    assert ProgressReport.objects.get(pk=report["id"]).progress == 70


def test_bad_input_names_the_field_in_chinese(world, c):
    api = as_(world, "community_worker")
    r = api.post(P + "/reports", {"task_unit_id": c.a1.pk, "period": "2026-04-01", "progress": 30, "content": ""})
    assert r.status_code == 400
    assert field_errors(r) == {
        "progress": "完成进度低于2026年2月报送的45%（累计进度不应回退），请在“存在问题”中说明原因",
        "content": "请填写工作进展",
    }
    locked = ProgressReport.objects.get(task_unit=c.a1, period=FEB)
    r = api.patch(P + f"/reports/{locked.pk}", {"version": 1, "progress": 90, "content": "改"})
    assert r.status_code == 400 and field_errors(r) == {"period": "已过报送时限，报告已锁定，不能再修改"}
    assert not ProgressReport.objects.filter(period=APR).exists()


def test_multipart_with_attachment(world, c):
    token = ApiToken.issue(world.users["community_worker"], timedelta(hours=1))
    client = Client(headers={"Authorization": f"Bearer {token}"})
    data = {"task_unit_id": c.a1.pk, "period": "2026-04-01", "progress": 60, "content": "见附件"}
    bad = client.post(f"{API}{P}/reports/form", {**data, "attachment": SimpleUploadedFile("a.docx", b"PK\x03\x04xx")})
    assert bad.status_code == 400 and "attachment" in field_errors(bad)
    r = client.post(f"{API}{P}/reports/form", {**data, "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")})
    assert r.status_code == 201
    url = r.json()["attachment_url"]
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.7 x"
    # Served like every other stored upload: its checked type, never sniffed, sandboxed.
    assert got["Content-Type"] == "application/pdf" and got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_late_list_and_notices(world, c):
    st = as_(world, "street_staff")
    late = st.get(P + f"/plans/{c.plan.pk}/late").json()["items"]
    assert {(x["unit"], x["status"]) for x in late} == {("甲一社区", "missing"), ("甲街道", "missing")}
    feb = st.get(P + f"/plans/{c.plan.pk}/late", {"period": "2026-02-01"}).json()["items"]
    assert [(x["unit"], x["status"], x["progress"]) for x in feb] == [("甲一社区", "late", 45)]
    r = st.post(P + f"/plans/{c.plan.pk}/notices", {"kind": "supervise", "period": "2026-03-01",
                                                    "task_unit_ids": [c.a1.pk]})  # fmt: skip
    assert r.status_code == 201
    (notice,) = r.json()
    cw = as_(world, "community_worker")
    mine = cw.get(P + "/notices").json()["items"]
    assert [(n["id"], n["kind_label"], n["read"]) for n in mine] == [(notice["id"], "督办", False)]
    assert cw.post(P + f"/notices/{notice['id']}/read").json()["read"] is True
    bad = st.post(P + f"/plans/{c.plan.pk}/notices", {"kind": "supervise", "period": "2026-04-01",
                                                      "task_unit_ids": [c.a1.pk]})  # fmt: skip
    assert bad.status_code == 400 and "period" in field_errors(bad)


def test_matrix(world, c):
    body = as_(world, "dept_handler").get(P + f"/plans/{c.plan.pk}/matrix").json()
    rows = {row["unit"]: row for row in body["rows"]}
    assert rows["甲一社区"]["missing"][:3] == [0, 0, 1] and rows["甲一社区"]["late"][:3] == [0, 1, 0]
    assert body["due_periods"] == ["2026-01-01", "2026-02-01", "2026-03-01"]


READS = [
    ("community_worker", "/mine"),
    ("dept_handler", "/mine"),
    ("street_staff", "/plans/{plan}/late"),
    ("street_staff", "/plans/{plan}/matrix"),
    # who may read which unit's reports is decided once for the task, not per report
    ("community_worker", "/tasks/{task}/reports"),
    ("dept_handler", "/tasks/{task}/reports"),
    ("community_worker", "/reports/{report}"),
]


@pytest.mark.parametrize("role, url", READS)
def test_reads_cost_the_same_queries_at_ten_times_the_size(world, c, role, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = as_(world, role)
    report = ProgressReport.objects.get(task_unit=c.a1, period=FEB).pk

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert api.get(P + url.format(plan=c.plan.pk, task=c.clean.pk, report=report)).status_code == 200
        return len(q)

    grow(world, c, 3)
    small = count()
    grow(world, c, 30)
    assert count() == small


def test_report_lists_are_paged_in_the_database(world, c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        body = as_(world, "street_staff").get(P + f"/tasks/{c.clean.pk}/reports", {"page_size": 2}).json()
    assert body["count"] == 5 and len(body["items"]) == 2
    assert any("LIMIT 2" in x["sql"] for x in q.captured_queries)


@pytest.mark.parametrize("asked", [None, "2026-02-01", "2026-02-15", "2026-04-01", "2025-01-01"])
def test_the_late_list_page_and_api_show_the_same_period(client, world, c, asked):
    """A period that is not due (or not a period at all) falls back to the latest due one on both."""
    query = {"period": asked} if asked else {}
    items = as_(world, "street_staff").get(P + f"/plans/{c.plan.pk}/late", query).json()["items"]
    client.force_login(world.users["street_staff"])
    page = client.get(reverse("progress:late", args=[c.plan.pk]), query).context
    assert page["period"].isoformat() == (asked if asked == "2026-02-01" else "2026-03-01")
    shown = sorted((row[0].unit_name, row[1]) for row in page["rows"])
    assert items and sorted((x["unit"], x["status"]) for x in items) == shown


@pytest.mark.parametrize("role", ["community_worker", "street_staff", "dept_handler", "admin"])
def test_mine_names_the_unit_of_every_row(world, c, role):
    """Each row names its unit as the task unit itself does, whether the unit is an organisation, the user's region
    office or (for an administrator without a region) one of the district offices."""
    TaskUnit.objects.create(task=c.street.task, role=plan_rules.RESPONSIBLE, region=world.district)
    items = as_(world, role).get(P + "/mine").json()["items"]
    named = TaskUnit.objects.select_related("organization", "region").in_bulk([i["task_unit_id"] for i in items])
    assert items and [i["unit"] for i in items] == [str(named[i["task_unit_id"]].unit) for i in items]
