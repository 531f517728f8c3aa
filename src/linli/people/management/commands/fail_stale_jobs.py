"""./linli manage fail_stale_jobs — mark failed, with their reason, the import and export jobs whose worker died
(an import's written batches undone), and delete export files past their keeping time. The scheduler does this
every minute (`./linli scheduler`); the command does it once, by hand."""

from django.core.management.base import BaseCommand

from linli.people.imports.services import fail_stale_jobs


class Command(BaseCommand):
    help = "把处理进程已中断的导入导出任务标记为失败（导入已写入的部分先撤销），并删除过期的导出文件。Fail stale jobs."

    def handle(self, *args, **options):
        failed = fail_stale_jobs()
        for line in failed:
            self.stdout.write(line)
        self.stdout.write(f"本次标记失败 {len(failed)} 个任务 ({len(failed)} stale jobs failed)")
