"""./linli worker — run the background tasks (imports and exports) queued in the database.

django-tasks' database worker (`db_worker`, whose options it takes), never reloading. The stale-job sweep that
fails the jobs of a dead worker runs every minute from the scheduler (`./linli scheduler`, linli.ops.jobs).
"""

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = "运行后台任务（人员导入、导出）。Run background tasks."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a reload would abandon the job in hand
