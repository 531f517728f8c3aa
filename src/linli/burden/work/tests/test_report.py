"""The burden report and the work list: who sees which communities' work, the month-by-month figures, constant
queries, the Excel export, the pages and the API (with its authorization matrix)."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linli.burden.models import WorkRequest
from linli.burden.work import rules, selectors
from linli.core.errors import PermissionDenied
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, answers, matrix_cases, uncovered

ENDPOINTS = [
    Endpoint("GET", "/burden/work", "200 200 200 200 200 403 200 403"),
    Endpoint("GET", "/burden/work/report", "200 200 200 200 200 403 403 403"),
]
CASES = matrix_cases(ENDPOINTS)
MONTHS = rules.last_months(timezone.localdate(), 3)  # "January" … "March" below: the last three months


def asked(world, community, month: int, state: str, *, kind="task", by_dept=True, n=1, start=0):
    dept = world.users["dept_handler"].organization
    rows = WorkRequest.objects.bulk_create(
        WorkRequest(
            community=community,
            kind=kind,
            source="test",
            source_id=start + i,
            title=f"工作{start + i}",
            state=state,
            organization=dept if by_dept else None,
            office=None if by_dept else world.street_a,
            requester=dept.name if by_dept else world.street_a.name,
        )  # fmt: skip
        for i in range(n)
    )
    day = MONTHS[month - 1]
    at = datetime(day.year, day.month, 15, 4, tzinfo=UTC)
    WorkRequest.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=at)


@pytest.fixture
def work(world):
    """Of the last three months (January … March here): January, 甲一 4 listed + 2 held tasks from the department;
    February, 甲一 1 admitted report and 甲二 1 listed form from street 甲; March, 乙一 2 declined tasks."""
    asked(world, world.community_a1, 1, "listed", n=4)
    asked(world, world.community_a1, 1, "held", n=2, start=10)
    asked(world, world.community_a1, 2, "admitted", kind="report", start=20)
    asked(world, world.community_a2, 2, "listed", kind="form", by_dept=False, start=30)
    asked(world, world.community_b1, 3, "declined", n=2, start=40)


def test_the_district_sees_every_community_month_by_month(world, work):
    report = selectors.burden_report(user=world.users["district_staff"], months=MONTHS)
    cells = report.trend.row(MONTHS)
    assert [(c.total, c.unlisted) for c in cells] == [(6, 2), (2, 1), (2, 2)]
    assert report.trend.total.by_kind == {"task": 8, "report": 1, "form": 1}
    assert dict(report.trend.total.by_state) == {"listed": 5, "held": 2, "admitted": 1, "declined": 2}
    assert [(line.name, line.total.total, line.total.unlisted) for line in report.communities] == [
        ("甲一社区", 7, 3), ("甲二社区", 1, 0), ("乙一社区", 2, 2),
    ]  # fmt: skip
    assert [(line.name, line.total.unlisted) for line in report.requesters] == [
        ("区城市管理综合执法局", 5), ("甲街道", 0),
    ]  # fmt: skip
    assert report.chart() == {"months": [f"{m:%Y-%m}" for m in MONTHS], "unlisted": [2, 1, 2],
                              "listed": [4, 1, 0], "share": [33.3, 50.0, 100.0]}  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "communities"),
    [
        ("street_staff", ["甲一社区", "甲二社区"]),
        ("community_worker", ["甲一社区"]),
        ("community_worker2", ["甲二社区"]),
    ],
)
def test_a_street_sees_its_communities_and_a_community_its_own(world, work, persona, communities):
    report = selectors.burden_report(user=world.users[persona], months=MONTHS)
    assert [line.name for line in report.communities] == communities


def test_filters_by_community_and_requester(world, work):
    user = world.users["district_staff"]
    report = selectors.burden_report(user=user, months=MONTHS, community_id=world.community_b1.pk)
    assert report.trend.total.total == 2
    report = selectors.burden_report(user=user, months=MONTHS, requester="甲街道")
    assert [line.name for line in report.communities] == ["甲二社区"]
    report = selectors.burden_report(user=user, months=MONTHS[1:])
    assert report.trend.total.total == 4


@pytest.mark.parametrize("persona", ["dept_handler", "grid_worker", "company_staff"])
def test_bodies_without_the_report_are_refused(world, persona):
    with pytest.raises(PermissionDenied):
        selectors.burden_report(user=world.users[persona], months=MONTHS)


def test_the_list_shows_a_department_its_own_work_and_a_community_its_own(world, work):
    dept = {w.title for w in selectors.work_list(world.users["dept_handler"])}
    assert len(dept) == 9 and "工作30" not in dept  # street 甲's form is not the department's
    assert {w.community.name for w in selectors.work_list(world.users["community_worker"])} == {"甲一社区"}
    held = [w.title for w in selectors.held_work(world.users["dept_handler"])]
    assert sorted(held) == ["工作10", "工作11"]
    assert list(selectors.held_work(world.users["community_worker"])) == []  # a community asks nobody


def test_each_persona_gets_what_the_table_says(world, work):
    got, table = answers(world.users, CASES, {"in": {}})
    assert got == table


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/burden/work") == (set(), set())


def test_the_api_report(world, work):
    body = ApiClient(world.users["street_staff"]).get("/burden/work/report", {"months": 24}).json()
    assert body["total"]["total"] == 8 and body["total"]["unlisted"] == 3
    assert [c["name"] for c in body["communities"]] == ["甲一社区", "甲二社区"]
    assert len(body["months"]) == 24 and len(body["trend"]) == 24
    assert ApiClient(world.users["street_staff"]).get("/burden/work/report", {"months": 99}).status_code == 400
    rows = ApiClient(world.users["community_worker"]).get("/burden/work", {"state": "held"}).json()
    assert rows["count"] == 2 and rows["items"][0]["state_label"] == "待准入"


def _pages(client, n):
    return [client.get("/burden/work/report/?months=24"), client.get("/burden/work/"),
            client.get("/burden/work/report.xlsx?months=24")]  # fmt: skip


@pytest.mark.parametrize("n", [1, 12])
def test_the_pages_run_a_constant_number_of_queries(world, client, django_assert_max_num_queries, n):
    for c in (world.community_a1, world.community_a2, world.community_b1):
        for month in (1, 2, 3):
            asked(world, c, month, "held", n=n, start=month * 100)
            asked(world, c, month, "listed", kind="form", n=n, start=month * 100 + 50)
    client.force_login(world.users["district_staff"])
    client.get("/burden/work/")  # the session and the user, once
    with django_assert_max_num_queries(18):
        responses = _pages(client, n)
    assert [r.status_code for r in responses] == [200, 200, 200]


def test_the_report_page_and_its_workbook(world, work, client):
    client.force_login(world.users["district_staff"])
    page = client.get("/burden/work/report/?months=24").content.decode()
    assert 'id="burden-trend"' in page and "burden-report.js" in page and "清单外占比" in page
    assert "甲一社区" in page and "区城市管理综合执法局" in page
    book = load_workbook(BytesIO(client.get("/burden/work/report.xlsx?months=24").content))
    assert book.sheetnames == ["按月", "按社区", "按交办单位"]
    totals = [row for row in book["按月"].iter_rows(values_only=True) if row[0] == "合计"][0]
    assert totals[1:5] == (8, 1, 1, 10)
    client.force_login(world.users["dept_handler"])
    assert client.get("/burden/work/report/").status_code == 403
    page = client.get("/burden/work/").content.decode()
    assert "为本单位待准入的工作申请准入（2）" in page
    client.force_login(world.users["company_staff"])
    assert client.get("/burden/work/").status_code == 403
