"""./linli manage honours_review — run every plate's revocation rules (摘牌) and mark expired plates; hourly, like
cases_escalate. Case changes also trigger a review of the unit at once; this catches deadlines that pass."""

from django.core.management.base import BaseCommand

from linli.honours import services


class Command(BaseCommand):
    help = "按摘牌规则复核全部在牌荣誉，并标记到期荣誉（建议每小时运行一次）。Review honours against their rules."

    def handle(self, *args, **options):
        revoked = services.honours_review()
        for honour in revoked:
            self.stdout.write(f"已摘牌：{honour.unit_name} {honour.honour_type.name}")
        self.stdout.write(f"本次自动摘牌 {len(revoked)} 个 ({len(revoked)} honours revoked)")
