"""Imports and exports as background jobs: the database queue and its worker, an import written a batch per
transaction and undone when the registry changed meanwhile, stale jobs marked failed with their reason."""

import io
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linli.core.pii import lookup_hash
from linli.people.imports import importer, services
from linli.people.imports.services import fail_stale_jobs, persons_export, persons_import
from linli.people.models import ExportJob, Household, ImportJob, ImportStep, Person, PersonTag, Tag
from linli.people.selectors import PersonFilter
from linli.testing import factories

from .support import rid, row, xlsx

LATER = timedelta(minutes=11)  # past JOB_STALE_AFTER (10 minutes)


class Killed(BaseException):
    """The worker process dies: nothing of the job's own error handling runs."""


# The worker closes its database connection between tasks, which would end a test's transaction: real commits.
WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """The worker command installs django-tasks' SIGINT, SIGTERM and SIGQUIT handlers in the process running it, here
    the test worker, and leaves them there: a process it forks later (the demo build's generator) would inherit
    them, and answer its parent's SIGTERM with the task worker's exit."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def stored(job: ImportJob) -> Path:
    return Path(job.upload.path)


def registry() -> tuple:
    """What an undone import must leave as it found: persons, households with their heads, tag links."""
    return (
        sorted(Person.objects.values_list("id", "name", "phone", "employer", "household_id", "relationship")),
        sorted(Household.objects.values_list("id", "number", "head_id")),
        sorted(PersonTag.objects.values_list("person_id", "tag__code", "grade")),
    )


# ------------------------------------------------------------------------------------------ the queue and the worker


@WORKER
def test_an_import_waits_in_the_database_queue_until_the_worker_runs_it(world, estates, worker, database_tasks):
    job = persons_import(user=worker, file=xlsx([row(1, 与户主关系="户主"), row(2)]))
    assert (job.status, job.progress_total, Person.objects.count()) == ("queued", 3, 0)
    assert DBTaskResult.objects.get(id=job.task_id).task_result.status == TaskResultStatus.READY
    upload = stored(job)
    assert upload.exists()
    client = Client()
    client.force_login(worker)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "排队等待处理" in page and f'data-job-status="/api/v1/imports/{job.pk}"' in page and "jobs.js" in page

    call_command("worker", batch=True, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.created, job.households_created, job.upload.name) == ("done", 2, 1, "")
    assert not upload.exists()  # the upload holds personal data: it goes when the job ends
    assert DBTaskResult.objects.get(id=job.task_id).task_result.status == TaskResultStatus.SUCCESSFUL
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "已全部导入" in page and "jobs.js" not in page


@WORKER
def test_an_export_waits_in_the_database_queue_until_the_worker_runs_it(world, estates, database_tasks):
    staff = world.users["street_staff"]
    factories.person(world.grid_a1, name="甲一居民")
    job = persons_export(user=staff, filters=PersonFilter())
    assert (job.status, job.file.name) == ("queued", "")
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.count, job.progress, job.progress_total) == ("done", 1, 1, 1)
    assert Path(job.file.path).exists()


# ------------------------------------------------------------------------------------------ batches and undo


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_batch_is_written_in_a_transaction_of_its_own(world, estates, worker, monkeypatch):
    """Between batches no transaction is open, so the write lock is free for others; each batch committed its step."""
    monkeypatch.setattr(importer, "WRITE_BATCH", 2)
    seen = []
    write = importer.PersonsImport._write_batch

    def spy(self, entries):
        seen.append((connection.in_atomic_block, ImportStep.objects.count(), Person.objects.count()))
        write(self, entries)

    monkeypatch.setattr(importer.PersonsImport, "_write_batch", spy)
    job = persons_import(user=worker, file=xlsx([row(n, 户号=f"H{n}", 与户主关系="户主") for n in range(1, 6)]))
    assert (job.status, job.created, job.households_created) == ("done", 5, 5)
    assert seen == [(False, 0, 0), (False, 1, 2), (False, 2, 4)]
    assert not ImportStep.objects.exists()  # kept only until the import is done
    assert Household.objects.filter(head__isnull=True).count() == 0


@pytest.fixture
def tagged(registered):
    PersonTag.objects.create(person=registered, tag=Tag.objects.get(code="disabled"), grade=1)
    return registered


def _file_updating(registered):
    """Batch 1: update the registered person (new phone, a tag added, a grade changed) and a new household's head;
    batches 2 and 3: more members of the new household."""
    return xlsx(
        [
            row(1, 证件号码=registered.id_number, 姓名="老住户", 联系电话="13911112222", 标签="退役军人,残疾人(3级)"),
            row(2, 户号="H200", 房号="501", 与户主关系="户主"),
            row(3, 户号="H200", 房号="501"),
            row(4, 户号="H200", 房号="501"),
            row(5, 户号="H200", 房号="501"),
        ]
    )


def test_a_person_registered_meanwhile_undoes_the_batches_already_written(world, estates, worker, tagged, monkeypatch):
    monkeypatch.setattr(importer, "WRITE_BATCH", 2)
    write = importer.PersonsImport._write_batch

    def meanwhile(self, entries):
        if self.written == 4:  # someone registers the person of row 6 while batches 1 and 2 are written
            number = rid(5)
            Person.objects.create(name="抢先登记", id_number=number, id_hash=lookup_hash(number), grid=world.grid_a1)
        write(self, entries)

    monkeypatch.setattr(importer.PersonsImport, "_write_batch", meanwhile)
    before = registry()
    job = persons_import(user=worker, file=_file_updating(tagged), on_duplicate="update")

    assert job.status == "failed" and job.finished_at is not None
    assert job.message == "导入期间数据被他人同时修改（如同一证件号码被同时登记），已全部撤销，请重新导入"
    persons, households, tags = registry()
    assert (households, tags) == before[1:]
    assert [p for p in persons if p[1] != "抢先登记"] == before[0]
    assert not job.steps.exists() and job.upload.name == ""
    tagged.refresh_from_db()
    assert tagged.version == 3  # updated, then restored: both in its history
    assert [h.phone for h in tagged.history.order_by("history_id")] == ["13800000000", "13911112222", "13800000000"]


def test_a_worker_killed_half_way_is_undone_by_the_sweep(world, estates, worker, tagged, monkeypatch):
    """The kill comes after everything was written, heads included: the sweep undoes all of it."""

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(services, "_finish", die)
    before = registry()
    job = persons_import(user=worker, file=_file_updating(tagged), on_duplicate="update")
    monkeypatch.undo()
    upload = stored(job)
    assert (job.status, job.stage, job.finished_at) == ("running", "write", None)  # for ever, before the sweep
    assert Household.objects.get(number="H200").head.name == "居民2" and upload.exists()

    assert fail_stale_jobs(now=timezone.now() + timedelta(minutes=5)) == []  # not stale yet
    out = io.StringIO()
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - LATER)
    call_command("fail_stale_jobs", stdout=out)

    message = "导入中断：超过10分钟没有进展（处理进程可能已停止），已撤销已写入的数据；请重新导入"
    assert f"导入任务#{job.pk}：{message}" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.message, job.stage) == ("failed", message, "undo")
    assert job.finished_at is not None and not job.steps.exists()
    assert registry() == before and not upload.exists()
    client = Client()
    client.force_login(worker)
    assert message in client.get(f"/imports/{job.pk}/").content.decode()


def test_a_worker_the_sweep_gave_up_on_stops_at_its_next_batch(world, estates, worker, monkeypatch):
    monkeypatch.setattr(importer, "WRITE_BATCH", 2)
    write = importer.PersonsImport._write_batch

    def slow(self, entries):
        if self.written == 2:  # the worker stalled so long that the sweep took its job over
            ImportJob.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now() - LATER)
            assert len(fail_stale_jobs()) == 1
        write(self, entries)

    monkeypatch.setattr(importer.PersonsImport, "_write_batch", slow)
    job = persons_import(user=worker, file=xlsx([row(n, 户号=f"H{n}") for n in range(1, 6)]))
    assert job.status == "failed" and "导入中断" in job.message
    assert not Person.objects.exists() and not Household.objects.exists()


# ------------------------------------------------------------------------------------------ stale jobs


@WORKER
def test_a_queued_job_is_failed_only_once_its_task_no_longer_waits(world, estates, worker, database_tasks):
    job = persons_import(user=worker, file=xlsx([row(1)]))
    upload = stored(job)
    later = timezone.now() + LATER
    assert fail_stale_jobs(now=later) == []  # behind other work in the queue: left alone
    DBTaskResult.objects.filter(id=job.task_id).delete()  # e.g. pruned while no worker ran
    assert len(fail_stale_jobs(now=later)) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.message.startswith("排队超过10分钟仍未开始，后台任务进程可能没有运行")
    assert job.finished_at is not None and job.upload.name == "" and not upload.exists()
    call_command("worker", batch=True, startup_delay=False, verbosity=0)  # the task, had it survived, does nothing
    assert not Person.objects.exists()


def test_stale_and_expired_exports(world, settings):
    staff = world.users["street_staff"]
    job = persons_export(user=staff, filters=PersonFilter())
    done = Path(job.file.path)
    assert job.status == "done" and done.exists()
    running = ExportJob.objects.create(user=staff, status="running", heartbeat_at=timezone.now() - LATER)

    message = "导出中断：超过10分钟没有进展（处理进程可能已停止）；请重新导出"
    assert fail_stale_jobs() == [f"导出任务#{running.pk}：{message}"]
    running.refresh_from_db()
    assert running.status == "failed" and running.finished_at is not None
    assert done.exists()  # kept for EXPORT_KEEP
    fail_stale_jobs(now=timezone.now() + settings.EXPORT_KEEP + timedelta(minutes=1))
    job.refresh_from_db()
    assert (job.status, job.file.name, done.exists()) == ("expired", "", False)
    client = Client()
    client.force_login(staff)
    response = client.get(f"/imports/exports/{job.pk}/file.xlsx")
    assert response.status_code == 302
    assert "导出文件已过期，请重新导出" in client.get(response["Location"]).content.decode()


# ------------------------------------------------------------------------------------------ progress


def test_the_job_page_shows_progress_while_the_job_runs(world, worker):
    job = ImportJob.objects.create(
        user=worker, file_name="人员.xlsx", status="running", stage="write", progress=250, progress_total=1000
    )
    client = Client()
    client.force_login(worker)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "正在写入：250/1000人" in page and '<progress max="1000" value="250">25%</progress>' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "<script>" not in page  # the poll is a static script (no inline script, for the CSP)


def test_the_worker_starts_again_when_the_database_is_locked_and_stops_on_other_errors(monkeypatch, database_tasks):
    from django.db.utils import OperationalError
    from django_tasks_db.management.commands import db_worker

    errors = ["database is locked", None, "disk I/O error"]
    runs = []

    def run(worker):
        runs.append(1)
        if message := errors.pop(0):
            raise OperationalError(message)

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    assert len(runs) == 2
    with pytest.raises(OperationalError, match="disk I/O"):
        call_command("worker", batch=True, startup_delay=False, verbosity=0)
