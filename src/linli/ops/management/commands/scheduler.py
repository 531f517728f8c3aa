"""./linli scheduler — run the periodic jobs (linli.ops.jobs) until stopped; one per installation is enough, a
second one (another node) is harmless: each run takes the job's lease first."""

import logging
import signal

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from linli.ops.jobs import JOBS, schedule, trigger


class Command(BaseCommand):
    help = "运行定时任务（超期督办、荣誉复核、中断任务清理等），直到停止。Run the periodic jobs."

    def handle(self, *args, **options):
        level = logging.INFO if options["verbosity"] >= 1 else logging.WARNING
        logging.getLogger("linli.ops").setLevel(level)
        logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))  # its errors, with tracebacks
        # SQLite has one writer: jobs run one after another, so that the start's catch-up run of every job does not
        # leave them queueing for the write lock past its timeout (and the pages' writes behind them).
        threads = 1 if connection.vendor == "sqlite" else 4
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE, executors={"default": ThreadPoolExecutor(threads)})
        schedule(scheduler)
        if options["verbosity"] >= 1:
            for job in JOBS:
                self.stdout.write(f"{job.name:20} {trigger(job)}  {job.title}")
        # systemd and ./linli demo stop it with SIGTERM: stop as on Ctrl-C, letting a running job finish.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            scheduler.start()
        except KeyboardInterrupt:
            scheduler.shutdown(wait=True)
