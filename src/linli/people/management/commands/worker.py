"""./linli worker — run the background tasks (imports and exports) queued in the database.

django-tasks' database worker (`db_worker`, whose options it takes), plus the stale-job sweep: once at start and
then every SWEEP_SECONDS in a thread of its own, so jobs whose worker died are marked failed while this one works.
"""

import threading
import time

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from linli.people.imports.services import fail_stale_jobs

SWEEP_SECONDS = 60


def _sweep() -> None:
    try:
        for line in fail_stale_jobs():
            db_worker.logger.warning(line)
    finally:
        close_old_connections()


def _sweep_forever() -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        try:
            _sweep()
        except Exception:  # a busy database now is no reason to stop sweeping later
            db_worker.logger.exception("stale-job sweep failed")


class Command(db_worker.Command):
    help = "运行后台任务（人员导入、导出），并定期清理中断的任务。Run background tasks and fail stale jobs."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a reload would abandon the job in hand

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        _sweep()
        if not options["batch"]:
            threading.Thread(target=_sweep_forever, daemon=True).start()
        super().handle(*args, **options)
