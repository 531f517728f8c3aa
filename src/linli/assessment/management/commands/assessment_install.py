"""Install the two standard index systems (星级评定 of 001 篇5, 重点点位测评 of 003 篇3) for a region."""

from django.core.management.base import BaseCommand, CommandError

from linli.assessment import services
from linli.regions.models import Region


class Command(BaseCommand):
    help = "为区域安装标准指标体系：和谐社区星级评定、文明城市重点点位测评标准"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区域的区划代码，如 210103000000")

    def handle(self, *args, region, **options):
        node = Region.objects.filter(code=region).first()
        if node is None:
            raise CommandError(f"没有区划代码为{region}的区域")
        for scheme in services.standard_schemes_install(region=node):
            self.stdout.write(f"{scheme.name}：{scheme.items.count()}项测评内容")
