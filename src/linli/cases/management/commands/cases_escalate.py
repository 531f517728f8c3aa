"""./linli manage cases_escalate — automatic 督办 of overdue cases; run it every working hour (cron, systemd)."""

from django.core.management.base import BaseCommand

from linli.cases import services


class Command(BaseCommand):
    help = "对超过处置时限的案件自动督办（建议每个工作小时运行一次）。Escalate overdue cases."

    def handle(self, *args, **options):
        count = services.escalate_overdue()
        self.stdout.write(f"已自动督办 {count} 件超期案件 ({count} overdue cases escalated)")
