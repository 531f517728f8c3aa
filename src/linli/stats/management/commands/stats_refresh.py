from django.core.management.base import BaseCommand

from linli.stats import services


class Command(BaseCommand):
    help = "从人口库重算统计汇总（批量导入或恢复数据库之后运行）。Recount the statistics' summaries from the registry."

    def handle(self, *args, **options):
        services.refresh_all()
        self.stdout.write("统计汇总已重算 summaries recounted")
