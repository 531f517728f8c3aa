"""./linli worker — run the background tasks (imports and exports) queued in the database.

django-tasks' database worker (`db_worker`, whose options it takes), never reloading. The stale-job sweep that
fails the jobs of a dead worker runs every minute from the scheduler (`./linli scheduler`, linli.ops.jobs).
"""

import logging
import time

from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

log = logging.getLogger("linli.people")


class Command(db_worker.Command):
    help = "运行后台任务（人员导入、导出）。Run background tasks."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a reload would abandon the job in hand

    def handle(self, *args, **options):
        # On SQLite the worker claims a task in an exclusive transaction; starting one while another process writes
        # longer than the busy timeout raises "database is locked" outside the worker's own retry, and would stop
        # the worker (and `./linli demo` with it). Such a moment passes: start again.
        while True:
            try:
                return super().handle(*args, **options)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                log.warning("数据库暂时被占用，后台任务稍后继续：%s", exc)
                time.sleep(1)
