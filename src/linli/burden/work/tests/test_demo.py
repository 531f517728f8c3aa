"""The demo's year of work given to communities: the burden report's trend falls."""

from django.utils import timezone

from linli.burden.models import WorkRequest
from linli.burden.work import rules, selectors
from linli.demo.burden import build_work

from .conftest import lists_for


def test_the_demo_year_shows_unlisted_work_falling(world):
    lists_for(world.district)
    assert build_work(seed=1)[0].startswith("交办社区的工作：")
    assert WorkRequest.objects.filter(state="listed", duty_item__isnull=True).count() == 0
    report = selectors.burden_report(user=world.users["district_staff"],
                                     months=rules.last_months(timezone.localdate(), 13))  # fmt: skip
    shares = [t.unlisted_share for t in report.trend.row(report.months) if t.total]
    assert len(shares) >= 11
    assert sum(shares[:3]) / 3 > sum(shares[-3:]) / 3 + 15  # the campaign's figure falls
    assert {line.name for line in report.communities} == {"甲一社区", "甲二社区", "乙一社区"}
