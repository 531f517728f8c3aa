"""The periodic jobs: the schedule, the lease that lets two nodes run the scheduler at once, and each job's
effect done once."""

import threading
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.utils import timezone

from linli.audit.models import AuditEntry
from linli.cases.models import CaseEvent
from linli.cases.tests.casework import case_in
from linli.ops import jobs, services
from linli.ops.models import JobRun, Notice
from linli.people.models import ImportJob
from linli.testing import factories
from linli.testing.threads import in_thread, shared_database, simultaneously

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_job(name: str) -> str | None:
    """What jobs.fire runs, in the test's transaction (fire closes its thread's connections: tested on threads)."""
    job = jobs.BY_NAME[name]
    return services.job_run(name=name, work=job.work, lease=job.lease)


def test_every_job_is_scheduled_with_its_trigger_in_beijing_time():
    scheduler = BackgroundScheduler(timezone="Asia/Shanghai")  # never started: nothing runs, nothing sleeps
    jobs.schedule(scheduler)
    table = {job.id: (str(job.trigger), job.args) for job in scheduler.get_jobs()}
    assert table == {
        "cases_escalate": ("cron[minute='0']", ("cases_escalate",)),
        "honours_review": ("cron[minute='10']", ("honours_review",)),
        "fail_stale_jobs": ("cron[minute='*']", ("fail_stale_jobs",)),
        "prune_task_results": ("cron[hour='3', minute='30']", ("prune_task_results",)),
        "stats_fold": ("cron[minute='*']", ("stats_fold",)),
        "stats_recount": ("cron[hour='2', minute='30']", ("stats_recount",)),
        "bulletins_monthly": ("cron[day='1', hour='6', minute='0']", ("bulletins_monthly",)),
        "report_photos_prune": ("cron[minute='20']", ("report_photos_prune",)),
        "calendar_reminder": ("cron[minute='5']", ("calendar_reminder",)),
        "committees_reelection": ("cron[hour='7', minute='15']", ("committees_reelection",)),
        "consultation_close": ("cron[minute='*/5']", ("consultation_close",)),
        "activities_cutoff": ("cron[minute='2-59/5']", ("activities_cutoff",)),
    }
    after = datetime(2026, 12, 1, 2, 59, 30, tzinfo=SHANGHAI)
    nexts = {job.id: job.trigger.get_next_fire_time(None, after) for job in scheduler.get_jobs()}
    assert nexts == {
        "cases_escalate": datetime(2026, 12, 1, 3, 0, tzinfo=SHANGHAI),
        "honours_review": datetime(2026, 12, 1, 3, 10, tzinfo=SHANGHAI),
        "fail_stale_jobs": datetime(2026, 12, 1, 3, 0, tzinfo=SHANGHAI),
        "prune_task_results": datetime(2026, 12, 1, 3, 30, tzinfo=SHANGHAI),
        "stats_fold": datetime(2026, 12, 1, 3, 0, tzinfo=SHANGHAI),
        "stats_recount": datetime(2026, 12, 2, 2, 30, tzinfo=SHANGHAI),
        "bulletins_monthly": datetime(2026, 12, 1, 6, 0, tzinfo=SHANGHAI),
        "report_photos_prune": datetime(2026, 12, 1, 3, 20, tzinfo=SHANGHAI),
        "calendar_reminder": datetime(2026, 12, 1, 3, 5, tzinfo=SHANGHAI),
        "committees_reelection": datetime(2026, 12, 1, 7, 15, tzinfo=SHANGHAI),
        "consultation_close": datetime(2026, 12, 1, 3, 0, tzinfo=SHANGHAI),
        "activities_cutoff": datetime(2026, 12, 1, 3, 2, tzinfo=SHANGHAI),
    }
    assert {job.id: job.coalesce and job.max_instances == 1 for job in scheduler.get_jobs()} == dict.fromkeys(
        table, True
    )


@pytest.mark.django_db
def test_a_run_records_its_outcome_and_a_failed_one_its_error():
    assert run_job("calendar_reminder").startswith("缺少节假日安排的年份")
    run = JobRun.objects.get(name="calendar_reminder")
    assert run.lease_until is None and run.finished_at >= run.started_at and run.outcome.startswith("缺少")

    def broken():
        raise RuntimeError("数据库不可用")

    with pytest.raises(RuntimeError):
        services.job_run(name="broken", work=broken, lease=timedelta(minutes=5))
    run = JobRun.objects.get(name="broken")
    assert run.lease_until is None and run.outcome == "失败：RuntimeError('数据库不可用')"
    assert services.job_run(name="broken", work=lambda: "好了", lease=timedelta(minutes=5)) == "好了"


@pytest.mark.django_db
def test_the_scheduler_fails_the_jobs_of_a_dead_worker(world):
    """The stale-job sweep runs from the scheduler only (the worker no longer sweeps by itself)."""
    job = ImportJob.objects.create(user=world.users["street_staff"], file_name="人员.xlsx", status="running",
                                   heartbeat_at=timezone.now() - timedelta(minutes=11))  # fmt: skip
    assert run_job("fail_stale_jobs") == "标记失败 1 个中断的任务，过期导出文件已删除"
    job.refresh_from_db()
    assert job.status == "failed" and job.message.startswith("导入中断") and job.finished_at is not None


@pytest.mark.django_db
def test_a_lease_left_by_a_dead_node_lapses():
    now = timezone.now()
    JobRun.objects.create(name="j", holder="node-a:1:dead", lease_until=now + timedelta(minutes=5), started_at=now)
    assert services.job_run(name="j", work=lambda: "ran", lease=timedelta(minutes=5), now=now) is None
    later = now + timedelta(minutes=5, seconds=1)
    assert services.job_run(name="j", work=lambda: "ran", lease=timedelta(minutes=5), now=later) == "ran"


# serialized_rollback, as every threaded test: the flush after it keeps the content types later tests restore.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_nodes_firing_at_once_run_the_job_once(tmp_path):
    """The first node to take the lease runs the job and holds it until the other node has given up; the other
    node, waiting on the job's lock meanwhile (PostgreSQL) or on the write lock (SQLite), finds it taken."""
    calls, skipped = [], threading.Event()

    def work() -> str:
        calls.append(1)
        assert skipped.wait(timeout=30), "the other node never skipped"
        return "done"

    def node(_: int):
        outcome = services.job_run(name="slow", work=work, lease=timedelta(minutes=5))
        if outcome is None:
            skipped.set()
        return outcome

    with shared_database(tmp_path):
        outcomes = simultaneously(node, 2)
    assert sorted(outcomes, key=str) == [None, "done"] and len(calls) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_do_each_job_s_work_once(world, tmp_path, settings):
    """Two nodes run the escalation and the calendar reminder at the same moment: one 督办 on the overdue case,
    one notice, one audit entry."""
    settings.MEDIA_ROOT = tmp_path
    factories.install_case_catalogue(world)
    case = case_in(world.grid_a1, "dispatched", dispatched_at=timezone.now() - timedelta(days=30))

    def node(_: int):
        calendar = partial(services.calendar_reminder, today=date(2026, 12, 1))
        return [jobs.fire("cases_escalate"), services.job_run(name="calendar", work=calendar, lease=timedelta(1))]

    def effects():
        return (
            CaseEvent.objects.filter(case=case, action="supervise").count(),
            list(Notice.objects.values_list("key", flat=True)),
            AuditEntry.objects.filter(object_type="notice").count(),
        )

    with shared_database(tmp_path):
        outcomes = simultaneously(node, 2)
        assert not [o for o in outcomes if isinstance(o, Exception)]
        assert in_thread(effects) == (1, ["calendar-2027"], 1)


# ---------------------------------------------------------------- the holiday calendar reminder


@pytest.mark.django_db
def test_the_calendar_reminder_is_raised_once_shown_to_its_editors_and_resolved(world, client):
    from linli.workdays.models import CalendarDay

    assert services.calendar_reminder(today=date(2026, 11, 30)).startswith("缺少节假日安排的年份 无")
    assert not Notice.objects.exists()

    for _ in range(2):  # idempotent: the hourly runs of December add nothing
        services.calendar_reminder(today=date(2026, 12, 1))
    notice = Notice.objects.get()
    assert (notice.key, notice.resolved_at, notice.audience) == ("calendar-2027", None, "calendar")
    assert AuditEntry.objects.filter(object_type="notice", object_ids=[notice.pk]).count() == 1

    client.force_login(world.users["admin"])
    assert "2027年的法定节假日" in client.get("/cases/").content.decode()
    client.force_login(world.users["street_staff"])  # cannot edit the calendar: not shown
    assert "2027年的法定节假日" not in client.get("/cases/").content.decode()

    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    assert services.calendar_reminder(today=date(2026, 12, 2)).endswith("解除 1 条")
    notice.refresh_from_db()
    assert notice.resolved_at is not None
    assert AuditEntry.objects.filter(object_type="notice", object_ids=[notice.pk]).count() == 2
    client.force_login(world.users["admin"])
    assert "2027年的法定节假日" not in client.get("/cases/").content.decode()

    CalendarDay.objects.all().delete()  # entered by mistake and removed: shown again
    services.calendar_reminder(today=date(2026, 12, 3))
    assert Notice.objects.get().resolved_at is None
