"""Progress services and selectors: obligations, statuses, report submit/update with every refusal, notices."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from docx import Document
from PIL import Image

from linli.campaigns.models import Notice, NoticeRead, ProgressReport
from linli.campaigns.plans import rules as plan_rules
from linli.campaigns.progress import rules, selectors, services
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications import services as notification_services
from linli.notifications.selectors import inbox

from .support import APR, FEB, JAN, MAR, MAY, NOW, at, campaign, report, seed_reports


@pytest.fixture
def c(world):
    camp = campaign(world)
    seed_reports(world, camp)
    return camp


def submit(user, tu, period=APR, progress=60, content="本月完成3个小区环境整治", **kw):
    return services.report_submit(
        user=user, task_unit_id=tu.pk, period=period, progress=progress, content=content, now=kw.pop("now", NOW), **kw
    )


def fields(exc) -> dict:
    return {e.field: e.message for e in exc.value.errors}


# ---------------------------------------------------------------- obligations


def test_a_community_owes_monthly_reports_from_the_first_phase_to_the_deadline(world, c):
    (ob,) = selectors.obligations(user=world.users["community_worker"], now=NOW)
    assert ob.task_unit == c.a1 and ob.reporting and ob.role_label == "责任"
    assert [(cell.period, cell.status) for cell in ob.cells] == [
        (JAN, rules.ON_TIME),
        (FEB, rules.LATE),
        (MAR, rules.MISSING),
        (APR, rules.PENDING),
    ]
    assert [cell.overdue_text for cell in ob.overdue] == ["2月逾期报送，视为未完成", "3月未报送，视为未完成"]
    assert ob.current.period == APR and ob.current_reportable
    assert ob.progress == 45


def test_a_lead_with_responsible_units_does_not_report_but_sees_their_progress(world, c):
    (ob,) = selectors.obligations(user=world.users["dept_handler"], now=NOW)
    assert ob.task_unit == c.lead and not ob.reporting and ob.role_label == "牵头"
    assert ob.cells == [] and ob.progress == Decimal("62.5")
    assert ob.lead.text == "3月1个责任单位未按时报送"  # 甲一 missed March; 甲二 was in time


def test_a_lead_alone_reports_and_missing_periods_come_first(world, c):
    obs = selectors.obligations(user=world.users["street_staff"], now=NOW)
    assert [ob.task_unit for ob in obs] == [c.street]
    assert [cell.status for cell in obs[0].cells] == [rules.ON_TIME, rules.ON_TIME, rules.MISSING]
    assert obs[0].current is None  # 宣传发动 ended in March


def test_draft_plans_and_other_units_owe_nothing(world, c):
    c.plan.status = plan_rules.DRAFT
    c.plan.save()
    assert selectors.obligations(user=world.users["community_worker"], now=NOW) == []
    assert selectors.obligations(user=world.users["company_staff"], now=NOW) == []


def test_the_plan_matrix_and_late_list(world, c):
    status = selectors.plan_status(plan=c.plan, now=NOW)
    assert status.periods == [JAN, FEB, MAR, APR, MAY, date(2026, 6, 1)]
    assert status.due_periods() == [JAN, FEB, MAR]
    assert {(line.unit_name, line.task_title) for line in status.late(MAR)} == {
        ("甲一社区", "小区环境卫生整治"),
        ("甲街道", "宣传发动"),
    }
    assert [line.unit_name for line in status.late(FEB, status=rules.LATE)] == ["甲一社区"]
    assert [line.unit_name for line in status.late(MAR, q="宣传")] == ["甲街道"]
    total = status.totals(MAR)
    assert (total.on_time, total.late, total.missing, total.pending) == (1, 0, 2, 0)
    rows = {row.name: row for row in status.by_unit()}
    assert set(rows) == {"甲一社区", "甲二社区", "甲街道"}  # the department leads and does not report
    assert [t.css for t in rows["甲一社区"].tallies] == ["ok", "late", "bad", "pending", "pending", "pending"]
    assert [t.owed for t in rows["甲街道"].tallies] == [1, 1, 1, 0, 0, 0]


# ---------------------------------------------------------------- submit


def test_submit_this_month(world, c):
    r = submit(world.users["community_worker"], c.a1, problems="")
    assert (r.period, r.progress, r.submitted_by.username, r.version) == (APR, 60, "community_worker", 1)
    assert r.due_at == at(5, 1, 0)
    (ob,) = selectors.obligations(user=world.users["community_worker"], now=NOW)
    assert ob.current.status == rules.ON_TIME and not ob.current_reportable


def test_a_late_report_for_march_is_stored_and_still_not_done(world, c):
    r = submit(world.users["community_worker"], c.a1, period="2026-03-15", progress=50)
    assert r.period == MAR
    status = selectors.plan_status(plan=c.plan, now=NOW)
    assert [line.statuses[MAR] for line in status.lines if line.task_unit_id == c.a1.pk] == [rules.LATE]


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"progress": "50"}, "progress"),
        ({"content": "  "}, "content"),
        ({"content": "长" * 2001}, "content"),
        ({"progress": 40}, "progress"),  # below February's 45 with no reason
        ({"period": MAY}, "period"),  # not begun
        ({"period": "2025-12-01"}, "period"),  # before the plan
        ({"period": "三月"}, "period"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, c, kw, field):
    before = ProgressReport.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        submit(world.users["community_worker"], c.a1, **kw)
    assert field in fields(exc)
    assert ProgressReport.objects.count() == before


def test_a_drop_is_accepted_with_a_reason(world, c):
    r = submit(world.users["community_worker"], c.a1, progress=40, problems="复查发现两处垃圾堆放点反弹，重新整治")
    assert r.progress == 40


def test_a_late_report_above_a_later_one_needs_a_reason_and_so_does_its_correction(world, c):
    cw = world.users["community_worker"]
    submit(cw, c.a1, period=APR, progress=62)
    with pytest.raises(ValidationFailed) as exc:
        submit(cw, c.a1, period=MAR, progress=90)  # 补报 March above April's 62%
    assert fields(exc) == {
        "progress": "完成进度高于2026年4月已报送的62%（累计进度不应超过之后各期），请在“存在问题”中说明原因"
    }
    with pytest.raises(ValidationFailed) as exc:
        submit(cw, c.a1, period=MAR, progress=40)  # below February's 45%
    assert "低于2026年2月报送的45%" in fields(exc)["progress"]
    march = submit(cw, c.a1, period=MAR, progress=50)
    assert march.progress == 50
    april = ProgressReport.objects.get(task_unit=c.a1, period=APR)
    with pytest.raises(ValidationFailed) as exc:  # April, corrected, may not fall below March now
        services.report_update(user=cw, report_id=april.pk, version=1, progress=48, content="更正", now=NOW)
    assert "低于2026年3月报送的50%" in fields(exc)["progress"]


def test_who_may_submit(world, c):
    with pytest.raises(PermissionDenied):
        submit(world.users["community_worker2"], c.a1)  # sees the plan, not its unit
    with pytest.raises(Http404):
        submit(world.users["street_staff"], c.other_b1)  # street 乙's plan is out of scope
    with pytest.raises(ValidationFailed) as exc:
        submit(world.users["dept_handler"], c.lead)
    assert "牵头单位无需报送" in fields(exc)["task_unit"]
    assert ProgressReport.objects.filter(period=APR).count() == 0


def test_a_second_report_for_the_same_period_conflicts(world, c):
    submit(world.users["community_worker"], c.a1)
    with pytest.raises(Conflict):
        submit(world.users["community_worker"], c.a1, progress=70)
    assert ProgressReport.objects.get(task_unit=c.a1, period=APR).progress == 60


# ---------------------------------------------------------------- attachments


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, ok",
    [
        ("照片.png", png_bytes(), True),
        ("总结.pdf", b"%PDF-1.4\n%%EOF", True),
        ("总结.docx", docx_bytes(), True),
        ("总结.xlsx", docx_bytes(), False),  # a Word file named .xlsx
        ("照片.jpg", png_bytes(), False),  # a PNG named .jpg
        ("病毒.exe", b"MZ\x90\x00", False),
        ("假的.pdf", b"<html>not a pdf</html>", False),
        ("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, False),
    ],
)
def test_attachments_are_checked_by_content(world, c, settings, tmp_path, name, data, ok):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, data)
    if ok:
        r = submit(world.users["community_worker"], c.a1, attachment=upload)
        assert r.attachment.name.startswith("campaigns/")
    else:
        with pytest.raises(ValidationFailed) as exc:
            submit(world.users["community_worker"], c.a1, attachment=upload)
        assert "attachment" in fields(exc)
        assert not ProgressReport.objects.filter(period=APR).exists()


def test_attachments_over_ten_megabytes_are_refused(world, c):
    upload = SimpleUploadedFile("大文件.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        submit(world.users["community_worker"], c.a1, attachment=upload)
    assert "超过10MB" in fields(exc)["attachment"]


# ---------------------------------------------------------------- update


def update(user, r, version, **kw):
    data = {"progress": 65, "content": "补充：新增2处整治点", "problems": "", **kw}
    return services.report_update(
        user=user, report_id=r.pk, version=version, now=kw.pop("now", NOW), **{k: v for k, v in data.items()
                                                                              if k != "now"}
    )  # fmt: skip


def test_update_before_the_due_time_with_version(world, c):
    cw = world.users["community_worker"]
    r = submit(cw, c.a1)
    r2 = update(cw, r, 1)
    assert (r2.progress, r2.version) == (65, 2)
    with pytest.raises(Conflict):
        update(cw, r, 1, progress=90)
    assert ProgressReport.objects.get(pk=r.pk).progress == 65


def test_a_report_is_locked_after_its_due_time(world, c):
    cw = world.users["community_worker"]
    r = ProgressReport.objects.get(task_unit=c.a1, period=FEB)
    with pytest.raises(ValidationFailed) as exc:
        update(cw, r, 1)
    assert "已锁定" in fields(exc)["period"]
    r_apr = submit(cw, c.a1)
    with pytest.raises(ValidationFailed):
        update(cw, r_apr, 1, now=at(5, 1, 0))
    assert ProgressReport.objects.get(pk=r_apr.pk).progress == 60


def test_only_the_unit_may_update(world, c):
    r = submit(world.users["community_worker"], c.a1)
    with pytest.raises(PermissionDenied):
        update(world.users["dept_handler"], r, 1)  # the task's lead reads the report, but does not write it
    with pytest.raises(Http404):
        update(world.users["community_worker2"], r, 1)  # another community does not even read it
    other = report(c.other_b1, APR, at(4, 9), 10, world.users["admin"])
    with pytest.raises(Http404):
        update(world.users["street_staff"], other, 1)  # street 乙's plan
    assert ProgressReport.objects.get(pk=other.pk).progress == 10


# ---------------------------------------------------------------- notices


def test_supervise_each_selected_late_unit(world, c):
    st = world.users["street_staff"]
    notices = services.notice_issue(
        user=st, plan_id=c.plan.pk, kind="supervise", period="2026-03-01", task_unit_ids=[c.a1.pk], now=NOW
    )
    (n,) = notices
    assert (n.kind, n.task_unit, n.period) == ("supervise", c.a1, MAR)
    assert "甲一社区" in n.text and "视为未完成" in n.text
    got = list(selectors.notices(user=world.users["community_worker"]))
    assert [(x.pk, x.is_read) for x in got] == [(n.pk, False)]
    assert list(selectors.notices(user=world.users["community_worker2"])) == []
    # the same 督办 in the unit's inboxes, through the notification service; reading it on 我的任务 marks both
    cw = world.users["community_worker"]
    (message,) = inbox(cw)
    assert message.title == f"督办：{n.task_unit.task.title}"
    assert message.body == f"{n.text}（{st.username}，2026-04-10）"
    assert (message.subject, message.read_at) == (f"campaigns.notice:{n.pk}", None)
    assert not inbox(world.users["community_worker2"]).exists()
    services.notice_read(user=cw, notice_id=n.pk, now=NOW)
    assert [x.is_read for x in selectors.notices(user=cw)] == [True]
    assert inbox(cw).get().read_at == NOW
    with pytest.raises(Http404):
        services.notice_read(user=world.users["community_worker2"], notice_id=n.pk)


@pytest.mark.parametrize("how", ["one", "all"])
def test_a_notice_read_in_the_inbox_is_read_on_my_tasks(world, c, how):
    st, cw = world.users["street_staff"], world.users["community_worker"]
    (n,) = services.notice_issue(
        user=st, plan_id=c.plan.pk, kind="supervise", period="2026-03-01", task_unit_ids=[c.a1.pk], now=NOW
    )
    if how == "one":
        notification_services.message_read(user=cw, message_id=inbox(cw).get().pk, now=NOW)
    else:
        notification_services.messages_read_all(user=cw, now=NOW)
    assert [(x.pk, x.is_read) for x in selectors.notices(user=cw)] == [(n.pk, True)]
    assert NoticeRead.objects.get(notice=n, user=cw).read_at == NOW
    services.notice_read(user=cw, notice_id=n.pk)  # opening it on 我的任务 afterwards keeps the first read mark
    assert NoticeRead.objects.get(notice=n, user=cw).read_at == NOW


def test_supervision_refusals_change_nothing(world, c):
    st = world.users["street_staff"]

    def issue(user=st, **kw):
        data = {"plan_id": c.plan.pk, "kind": "supervise", "period": MAR, "task_unit_ids": [c.a1.pk], **kw}
        return services.notice_issue(user=user, now=NOW, **data)

    with pytest.raises(ValidationFailed) as exc:
        issue(task_unit_ids=[c.a1.pk, c.a2.pk])  # 甲二 reported March on time
    assert "task_units" in fields(exc)
    with pytest.raises(ValidationFailed) as exc:
        issue(period=APR)  # not due yet
    assert "period" in fields(exc)
    with pytest.raises(ValidationFailed) as exc:
        issue(kind="praise")
    assert "kind" in fields(exc)
    with pytest.raises(ValidationFailed):
        issue(task_unit_ids=[])
    with pytest.raises(PermissionDenied):
        issue(user=world.users["community_worker"])
    with pytest.raises(PermissionDenied):
        issue(user=world.users["dept_handler"], kind="circular")  # named on the plan, not its issuer
    with pytest.raises(Http404):
        issue(plan_id=c.other_plan.pk)
    assert Notice.objects.count() == 0


def test_a_circular_names_every_late_unit_and_reaches_every_unit_of_the_plan(world, c):
    n = services.notice_issue(
        user=world.users["street_staff"], plan_id=c.plan.pk, kind="circular", period=MAR, now=NOW
    )[0]
    assert n.task_unit is None
    assert "甲一社区（小区环境卫生整治）" in n.text and "甲街道（宣传发动）" in n.text and "甲二社区" not in n.text
    for role in ("community_worker", "community_worker2", "street_staff", "dept_handler"):
        assert [x.pk for x in selectors.notices(user=world.users[role])] == [n.pk], role
        assert inbox(world.users[role]).get().title == f"通报：{c.plan.title}", role
    for role in ("company_staff", "district_staff"):  # named on no task of the plan
        assert list(selectors.notices(user=world.users[role])) == [], role
        assert not inbox(world.users[role]).exists(), role
    assert NoticeRead.objects.count() == 0


def test_notices_issued_before_the_notification_service_get_their_messages(world, c):
    """The data migration gives old notices the messages notice_issue sends now, read marks carried over."""
    from importlib import import_module

    from django.apps import apps

    from linli.notifications.models import Message

    st = world.users["street_staff"]
    services.notice_issue(user=st, plan_id=c.plan.pk, kind="supervise", period=MAR, task_unit_ids=[c.a1.pk], now=NOW)
    services.notice_issue(user=st, plan_id=c.plan.pk, kind="circular", period=MAR, now=NOW)
    columns = ("user_id", "template", "title", "body", "link", "subject", "created_at", "read_at")
    sent = sorted(Message.objects.values_list(*columns))
    Message.objects.all().delete()
    notice = Notice.objects.get(kind="circular")
    NoticeRead.objects.create(notice=notice, user=world.users["dept_handler"], read_at=NOW)
    import_module("linli.campaigns.migrations.0003_notice_messages").forwards(apps, None)
    migrated = sorted(Message.objects.values_list(*columns))
    read = [m for m in migrated if m[-1] is not None]
    assert [(m[0], m[5]) for m in read] == [(world.users["dept_handler"].pk, f"campaigns.notice:{notice.pk}")]
    assert [m[:-1] for m in migrated] == [m[:-1] for m in sent] and len(sent) == 1 + 4
