"""Pages of progress reporting: 我的任务, the report form, the plan's matrix, the late list with 督办/通报; refusals;
query counts that stay put at ten times the tasks and units."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.campaigns.models import Notice, NoticeRead, ProgressReport

from .support import APR, MAR, NOW, at, campaign, grow, report, seed_reports


@pytest.fixture
def c(world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    camp = campaign(world)
    seed_reports(world, camp)
    return camp


def login(client, world, role):
    client.force_login(world.users[role])
    return client


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- 我的任务


def test_mine_shows_overdue_periods_and_the_report_button(client, world, c):
    r = login(client, world, "community_worker").get(reverse("progress:mine"))
    assert r.status_code == 200
    body = text(r)
    assert "小区环境卫生整治" in body and "3月未报送，视为未完成" in body and "2月逾期报送，视为未完成" in body
    assert reverse("progress:report", args=[c.a1.pk]) in body
    assert "宣传发动" not in body  # street 甲's task, not the community's


def test_mine_for_a_lead_department(client, world, c):
    body = text(login(client, world, "dept_handler").get(reverse("progress:mine")))
    assert "由责任单位报送" in body and "62.5%" in body and "3月1个责任单位未按时报送" in body


def test_notices_appear_unread_first_and_can_be_marked_read(client, world, c):
    st = world.users["street_staff"]
    old = Notice.objects.create(plan=c.plan, kind="supervise", task_unit=c.a1, period=MAR, text="旧督办",
                                issued_by=st, issued_at=at(4, 2))  # fmt: skip
    Notice.objects.create(plan=c.plan, kind="circular", period=MAR, text="三月通报", issued_by=st, issued_at=at(4, 3))
    NoticeRead.objects.create(notice=old, user=world.users["community_worker"], read_at=at(4, 2))
    client = login(client, world, "community_worker")
    body = text(client.get(reverse("progress:mine")))
    assert body.index("三月通报") < body.index("旧督办")
    assert "1条未读" in body
    new = Notice.objects.get(text="三月通报")
    assert client.post(reverse("progress:notice_read", args=[new.pk])).status_code == 302
    assert "未读" not in text(client.get(reverse("progress:mine")))
    other = login(client, world, "company_staff")
    assert other.post(reverse("progress:notice_read", args=[new.pk])).status_code == 404


# ---------------------------------------------------------------- report form


def test_report_this_month(client, world, c):
    client = login(client, world, "community_worker")
    url = reverse("progress:report", args=[c.a1.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "2026年4月（本期）" in text(form) and "2026年3月（逾期补报，视为未完成）" in text(form)
    assert "2026年2月" not in text(form).split("已报送")[0]  # February is in and locked
    r = client.post(url, {"period": "2026-04-01", "progress": "55", "content": "完成两个小区楼道清理"})
    assert r.status_code == 302
    saved = ProgressReport.objects.get(task_unit=c.a1, period=APR)
    assert (saved.progress, saved.submitted_by.username) == (55, "community_worker")
    # Before the due time it opens again for correction, with its version.
    again = client.get(url + "?period=2026-04-01")
    assert "修改已报送的报告" in text(again) and 'name="version" value="1"' in text(again)
    r = client.post(url, {"period": "2026-04-01", "progress": "60", "content": "补充", "version": "1"})
    assert r.status_code == 302
    assert ProgressReport.objects.get(pk=saved.pk).version == 2
    stale = client.post(url, {"period": "2026-04-01", "progress": "70", "content": "再改", "version": "1"})
    assert stale.status_code == 409 and "已被本单位其他人修改" in text(stale)
    assert ProgressReport.objects.get(pk=saved.pk).progress == 60


def test_late_report_for_march_says_it_still_counts_as_not_done(client, world, c):
    client = login(client, world, "community_worker")
    url = reverse("progress:report", args=[c.a1.pk])
    r = client.post(url, {"period": "2026-03-01", "progress": "50", "content": "补报三月进展"}, follow=True)
    assert "逾期报送，视为未完成" in text(r)
    assert ProgressReport.objects.get(task_unit=c.a1, period=MAR).progress == 50


@pytest.mark.parametrize(
    "data, message",
    [
        ({"period": "2026-04-01", "progress": "40", "content": "进展"}, "完成进度低于2026年2月报送的45%"),
        ({"period": "2026-04-01", "progress": "120", "content": "进展"}, "完成进度应为0至100之间的整数"),
        ({"period": "2026-04-01", "progress": "50", "content": ""}, "请填写工作进展"),
        ({"period": "2026-02-01", "progress": "50", "content": "进展"}, "该报送期不能报送或已锁定"),
    ],
)
def test_report_form_errors_are_shown_and_nothing_is_stored(client, world, c, data, message):
    before = ProgressReport.objects.count()
    r = login(client, world, "community_worker").post(reverse("progress:report", args=[c.a1.pk]), data)
    assert r.status_code == 400 and message in text(r)
    assert ProgressReport.objects.count() == before


def test_attachment_is_checked_and_served_to_those_who_see_the_plan(client, world, c, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(client, world, "community_worker")
    url = reverse("progress:report", args=[c.a1.pk])
    data = {"period": "2026-04-01", "progress": "50", "content": "进展"}
    bad = client.post(url, {**data, "attachment": SimpleUploadedFile("总结.pdf", b"not a pdf")})
    assert bad.status_code == 400 and "已损坏或不是有效的PDF文件" in text(bad)
    ok = client.post(url, {**data, "attachment": SimpleUploadedFile("总结.pdf", b"%PDF-1.4 test")})
    assert ok.status_code == 302
    saved = ProgressReport.objects.get(task_unit=c.a1, period=APR)
    got = client.get(reverse("progress:attachment", args=[saved.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"
    other = report(c.other_b1, APR, at(4, 9), 10, world.users["admin"])
    assert client.get(reverse("progress:attachment", args=[other.pk])).status_code == 404


def test_only_the_unit_reports(client, world, c):
    url = reverse("progress:report", args=[c.a1.pk])
    assert login(client, world, "community_worker2").get(url).status_code == 403
    assert login(client, world, "street_staff").get(reverse("progress:report", args=[c.other_b1.pk])).status_code == 404
    assert login(client, world, "dept_handler").get(reverse("progress:report", args=[c.lead.pk])).status_code == 400


def test_a_late_report_starts_from_the_period_before_it_and_shows_its_bounds(client, world, c):
    report(c.a1, APR, at(4, 8), 62, world.users["community_worker"])
    client = login(client, world, "community_worker")
    url = reverse("progress:report", args=[c.a1.pk])
    body = text(client.get(url, {"period": "2026-03-01"}))
    assert 'name="progress" value="45"' in body  # February's, not April's 62%
    assert "前后已报送：2026年2月 45%，2026年4月 62%" in body and "已填入此前最近一期的进度" in body
    assert 'name="period" value="2026-03-01"' in body
    over = client.post(url, {"period": "2026-03-01", "progress": "90", "content": "补报三月"})
    assert over.status_code == 400 and "高于2026年4月已报送的62%" in text(over)
    assert 'name="period" value="2026-03-01"' in text(over) and "补报三月" in text(over)


def test_my_tasks_say_why_nothing_is_due_and_every_link_answers(client, world, c):
    """Street 甲's only task, 宣传发动, ended in March: March was reported late, so nothing is open (issue 14: the
    overdue item's link answered 400 "该任务目前没有可以报送的报送期")."""
    report(c.street, MAR, at(4, 3), 90, world.users["street_staff"])
    client = login(client, world, "street_staff")
    body = text(client.get(reverse("progress:mine")))
    assert "本期没有需要本单位报送的进度：1项任务的报送期已结束" in body
    assert "报送期已结束（最后一期：2026年3月），本期无需报送" in body and "3月逾期报送，视为未完成" in body
    links = set(re.findall(r'href="(/campaigns/[^"#]*)', body))
    assert reverse("progress:report", args=[c.street.pk]) in links
    for link in links:
        assert client.get(html.unescape(link)).status_code == 200, link
    page = text(client.get(reverse("progress:report", args=[c.street.pk])))
    assert "该任务的报送期已结束（最后一期：2026年3月）" in page and 'id="history"' in page and "90%" in page
    refused = client.post(reverse("progress:report", args=[c.street.pk]), {"period": "2026-03-01", "progress": "95"})
    assert refused.status_code == 400
    assert ProgressReport.objects.get(task_unit=c.street, period=MAR).progress == 90


# ---------------------------------------------------------------- plan matrix and late list


def test_plan_matrix(client, world, c):
    body = text(login(client, world, "community_worker2").get(reverse("progress:plan", args=[c.plan.pk])))
    assert "甲一社区" in body and "2026年3月" in body and "未按时报送清单" not in body
    assert login(client, world, "street_staff").get(reverse("progress:plan", args=[c.other_plan.pk])).status_code == 404


def test_late_list_and_supervise(client, world, c):
    client = login(client, world, "street_staff")
    url = reverse("progress:late", args=[c.plan.pk])
    r = client.get(url)  # defaults to the last due period, March
    body = text(r)
    assert r.status_code == 200 and "2026年3月" in body and "甲一社区" in body and "甲街道" in body
    assert "甲二社区" not in body.split("<tbody>")[1]
    only_missing = text(client.get(url, {"period": "2026-02-01", "status": "missing"}))
    assert "2026年2月没有符合条件的未按时报送单位" in only_missing  # 甲一 was late in February, not missing
    assert "甲一社区" in text(client.get(url, {"period": "2026-02-01", "status": "late"})).split("<tbody>")[1]
    r = client.post(url + "?period=2026-03-01", {"period": "2026-03-01", "kind": "supervise",
                                                 "task_units": [str(c.a1.pk)], "note": "请三日内补报"})  # fmt: skip
    assert r.status_code == 302
    n = Notice.objects.get()
    assert (n.task_unit, n.period, n.kind) == (c.a1, MAR, "supervise") and n.text.endswith("请三日内补报")
    body = text(login(client, world, "community_worker").get(reverse("progress:mine")))
    assert "督办" in body and "请三日内补报" in body


def test_late_list_circular_and_refusals(client, world, c):
    client = login(client, world, "street_staff")
    url = reverse("progress:late", args=[c.plan.pk])
    none = client.post(url, {"period": "2026-03-01", "kind": "supervise"})
    assert none.status_code == 400 and "请勾选要督办的单位" in text(none)
    r = client.post(url, {"period": "2026-03-01", "kind": "circular"})
    assert r.status_code == 302
    assert Notice.objects.get().task_unit is None
    assert login(client, world, "community_worker").get(url).status_code == 403
    assert (
        login(client, world, "dept_handler").post(url, {"period": "2026-03-01", "kind": "circular"}).status_code == 403
    )
    assert login(client, world, "street_staff").get(reverse("progress:late", args=[c.other_plan.pk])).status_code == 404
    assert Notice.objects.count() == 1


# ---------------------------------------------------------------- query counts


PAGES = [
    ("community_worker", lambda c: reverse("progress:mine")),
    ("street_staff", lambda c: reverse("progress:plan", args=[c.plan.pk])),
    ("street_staff", lambda c: reverse("progress:late", args=[c.plan.pk])),
    ("community_worker", lambda c: reverse("progress:report", args=[c.a1.pk])),
]


@pytest.mark.parametrize("role, url", PAGES, ids=["mine", "plan", "late", "report"])
def test_pages_cost_the_same_queries_at_ten_times_the_size(client, world, c, role, url):
    client = login(client, world, role)

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url(c)).status_code == 200
        return len(q)

    grow(world, c, 3)
    small = count()
    grow(world, c, 30)
    assert count() == small
