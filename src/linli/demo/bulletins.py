"""Last month's 通报 of the demo district, issued by the district office under the default scheme: by street, by
community and by department, each unit scored and ranked with its deductions."""

from datetime import datetime

from django.utils import timezone

from linli.accounts.models import User
from linli.bulletins import rules, services
from linli.regions import rules as region_rules
from linli.regions.models import Region

GROUPS = ("street", "community", "department")


def build(*, now: datetime) -> list[str]:
    office = User.objects.get(username="district_staff")
    district = Region.objects.get(level=region_rules.DISTRICT)
    today = timezone.localtime(now).date()
    month = rules.last_month(today)
    lines = []
    for n, group in enumerate(GROUPS, start=1):
        b = services.bulletin_issue(
            user=office, region=district.pk, month=month, group=group, issuer=f"{district.name}城市运行管理中心",
            number=f"{district.name[:2]}考通〔{month.year}〕{month.month * 10 + n}号", today=today,
        )  # fmt: skip
        lines.append(f"考核通报 bulletin: {month:%Y-%m} {b.get_group_display()}，{b.entries.count()} 个单位 units")
    return lines
