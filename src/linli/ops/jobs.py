"""The periodic jobs and their schedule (docs/operations.md, Periodic jobs): one table, read by the scheduler
command and by the tests. Times are Beijing time (settings.TIME_ZONE)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from linli.bulletins.services import monthly_bulletins
from linli.cases.public.services import photos_prune
from linli.cases.services import escalate_overdue
from linli.committees.services import reminders_send
from linli.consultation.services import polls_close_due
from linli.honours.services import honours_review
from linli.people.imports.services import fail_stale_jobs
from linli.stats.services import apply_changes, refresh_all
from linli.volunteers.activities.services import cutoffs_apply

from . import services

log = logging.getLogger(__name__)

TASK_RESULTS_KEEP_DAYS = 14


def _escalate() -> str:
    return _("已自动督办 %(escalate_overdue)s 件超期案件") % {"escalate_overdue": escalate_overdue()}


def _polls() -> str:
    return _("已截止 %(polls_close_due)s 次到期的议事投票") % {"polls_close_due": polls_close_due()}


def _honours() -> str:
    return _("已摘牌 %(len)s 个") % {"len": len(honours_review())}


def _stale() -> str:
    failed = fail_stale_jobs()
    for line in failed:
        log.warning(line)
    return _("标记失败 %(len)s 个中断的任务，过期导出文件已删除") % {"len": len(failed)}


def _prune() -> str:
    before = DBTaskResult.objects.count()
    call_command("prune_db_task_results", queue_name="*", min_age_days=TASK_RESULTS_KEEP_DAYS, verbosity=0)
    return _("删除 %(value)s 条%(TASK_RESULTS_KEEP_DAYS)s天前结束的后台任务记录") % {
        "value": before - DBTaskResult.objects.count(),
        "TASK_RESULTS_KEEP_DAYS": TASK_RESULTS_KEEP_DAYS,
    }


def _fold() -> str:
    return _("统计汇总并入 %(apply_changes)s 条登记变动") % {"apply_changes": apply_changes()}


def _recount() -> str:
    refresh_all()
    return _("统计汇总已按登记数据重新核算")


def _bulletins() -> str:
    issued, skipped = monthly_bulletins()
    for line in skipped:
        log.warning(line)
    return _("发布上月考核通报 %(issued)s 份") % {"issued": issued} + (
        _("，%(len)s 份未能发布（见日志）") % {"len": len(skipped)} if skipped else ""
    )


def _photos() -> str:
    return _("删除 %(photos_prune)s 张未随反映提交的照片") % {"photos_prune": photos_prune()}


def _committees() -> str:
    return _("提醒 %(reminders_send)s 个临近换届的业主委员会") % {"reminders_send": reminders_send()}


def _cutoffs() -> str:
    cancelled, flagged = cutoffs_apply()
    return _("报名截止人数不足：取消 %(cancelled)s 个志愿活动，标记 %(flagged)s 个") % {
        "cancelled": cancelled,
        "flagged": flagged,
    }


def _calendar() -> str:
    return services.calendar_reminder()


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    work: Callable[[], str]
    cron: dict[str, str]  # CronTrigger fields
    # Longest a run may take before another node may start the job again (a node that died mid-run).
    lease: timedelta
    # How late a run may start and still run (the scheduler was busy or paused); later, it waits for the next.
    grace: timedelta = field(default=timedelta(minutes=30))


JOBS = (
    # Deadlines are in working hours; an hourly look escalates a case within the hour it falls due. Every day of
    # the week: make-up working days (调休) fall on weekends.
    Job("cases_escalate", "超期案件自动督办", _escalate, {"minute": "0"}, lease=timedelta(minutes=50)),
    # Case changes review their unit at once; this catches deadlines that pass (整改未到位). Ten minutes after the
    # escalation, so that the hourly jobs do not queue for SQLite's write lock together.
    Job("honours_review", "挂牌荣誉复核", _honours, {"minute": "10"}, lease=timedelta(minutes=50)),
    # A job is stale after LINLI_JOB_STALE_MINUTES (10) without progress: a look each minute fails it within a
    # minute of that; the same sweep deletes export files past LINLI_EXPORT_KEEP_HOURS.
    Job(
        "fail_stale_jobs",
        "中断任务清理、导出文件过期",
        _stale,
        {"minute": "*"},
        lease=timedelta(minutes=10),
        grace=timedelta(seconds=50),
    ),
    # At night, when nobody waits on the task table.
    Job(
        "prune_task_results",
        "清理旧的后台任务记录",
        _prune,
        {"hour": "3", "minute": "30"},
        lease=timedelta(hours=1),
        grace=timedelta(hours=6),
    ),
    # Reads fold the change log themselves; folding it each minute keeps that short for the first reader after a
    # busy hour of registry work.
    Job(
        "stats_fold",
        "统计汇总并入变动",
        _fold,
        {"minute": "*"},
        lease=timedelta(minutes=10),
        grace=timedelta(seconds=50),
    ),
    # The triggers keep the summaries exact; a nightly recount repairs what they cannot see (a restore of the
    # registry tables alone, a hand edit in the database with the triggers off).
    Job(
        "stats_recount",
        "统计汇总夜间核算",
        _recount,
        {"hour": "2", "minute": "30"},
        lease=timedelta(hours=1),
        grace=timedelta(hours=6),
    ),
    # Last month's 通报 where the month before had one, early on the first, before the offices open. A day's grace:
    # a scheduler down over the night still issues them that day.
    Job(
        "bulletins_monthly",
        "上月考核通报",
        _bulletins,
        {"day": "1", "hour": "6", "minute": "0"},
        lease=timedelta(hours=1),
        grace=timedelta(days=1),
    ),
    # Each new photo deletes the expired ones too; this catches the hours nobody reports anything.
    Job("report_photos_prune", "清理未提交的居民照片", _photos, {"minute": "20"}, lease=timedelta(minutes=10)),
    # Hourly, so that a reminder disappears within the hour after the calendar is entered.
    Job("calendar_reminder", "下一年节假日安排提醒", _calendar, {"minute": "5"}, lease=timedelta(minutes=10)),
    # Daily, in the morning before the offices open: a term ends on a day, and each reminder goes once.
    Job(
        "committees_reelection",
        "业主委员会换届提醒",
        _committees,
        {"hour": "7", "minute": "15"},
        lease=timedelta(minutes=30),
        grace=timedelta(hours=12),
    ),
    Job("consultation_close", "截止到期的议事投票", _polls, {"minute": "*/5"}, lease=timedelta(minutes=10)),
    # Volunteer activities: within five minutes of a sign-up cut-off, an activity below its
    # minimum is cancelled (everyone told) or flagged, as its organiser chose.
    Job("activities_cutoff", "志愿活动报名截止人数检查", _cutoffs, {"minute": "2-59/5"}, lease=timedelta(minutes=10)),
)
BY_NAME = {job.name: job for job in JOBS}


def trigger(job: Job) -> CronTrigger:
    return CronTrigger(**job.cron, timezone=settings.TIME_ZONE)


def fire(name: str) -> str | None:
    """One scheduled run of the job `name` on this node (None: another node runs it)."""
    job = BY_NAME[name]
    try:
        outcome = services.job_run(name=job.name, work=job.work, lease=job.lease)
        log.info("%s: %s", job.title, "另一节点正在执行，本次跳过" if outcome is None else outcome)
        return outcome
    finally:
        connections.close_all()  # this thread's connections: the scheduler's threads outlive a run


def schedule(scheduler) -> None:
    """Add every job to an APScheduler scheduler (not yet started). Each job runs when the scheduler starts too,
    catching up on what was missed while none ran (a deploy; the demo's first hour); missed runs coalesce into
    one."""
    now = datetime.now(ZoneInfo(settings.TIME_ZONE))
    for job in JOBS:
        scheduler.add_job(
            fire,
            trigger(job),
            args=[job.name],
            id=job.name,
            name=job.title,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(job.grace.total_seconds()),
            next_run_time=now,
        )
