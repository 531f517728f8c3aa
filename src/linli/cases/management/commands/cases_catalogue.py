"""./linli manage cases_catalogue CODE — install the standard departments and case categories for a district."""

from django.core.management.base import BaseCommand, CommandError

from linli.cases import services
from linli.regions.models import Region


class Command(BaseCommand):
    help = "为区县安装标准事件分类和处置部门（已有的不改动）。Install the standard case catalogue for a district."

    def add_arguments(self, parser):
        parser.add_argument("code", help="区县的区划代码，如 210103000000 (the district's code)")

    def handle(self, *args, code, **options):
        district = Region.objects.filter(code=code, level=Region.Level.DISTRICT).first()
        if district is None:
            raise CommandError(f"没有区划代码为 {code} 的区县 (no district with this code)")
        added = services.catalogue_install(district=district)
        self.stdout.write(f"已新增 {added} 个事件小类 ({added} categories added)")
