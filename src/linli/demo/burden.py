"""社区减负 of the demo (004 篇十八).

`build_work`: twelve months of work given to the demo's communities by the district's departments and the street and
district offices — tasks, the reports they owe, survey forms — checked against the lists: early on about half is
outside the lists (much of it asked without an application, some under one approved later or refused), by the end
about one in eight, so the burden report's trend falls as the campaign wants. The rows are the ledger the report
counts (source "demo.history": they stand for work of the past, not for rows of the campaign or survey modules).
Listed work names an item of the district's lists and admitted work an approved application when part A's demo
has made them (`build_lists_and_access` runs first); without them the rows name none.
"""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from linli.burden import rules
from linli.burden.models import AccessApplication, DutyItem, WorkRequest
from linli.organizations.models import Organization
from linli.regions.models import Region

SOURCE = "demo.history"
TASKS = ["燃气安全入户排查", "流动人口信息核查", "创卫迎检环境整治", "消防安全隐患排查", "防汛物资清点",
         "老旧小区改造意见征集", "文明城区创建入户宣传", "扫黄打非进社区宣传", "征兵宣传动员", "禁毒宣传",
         "食品安全宣传周", "垃圾分类督导", "空巢老人走访", "退役军人信息采集", "医保参保动员"]  # fmt: skip
REPORTS = ["月度工作进展报表", "安全生产台账报表", "民情日志汇总表", "创城点位整改报表", "网格事件统计表"]
FORMS = ["居民满意度调查表", "困难群众需求调查表", "房屋使用情况登记表", "志愿者服务意向调查表"]
MONTHS = 12


def _share(month: int) -> float:
    """The share of work outside the lists in month `month` (0 = a year ago): from about a half down to 1 in 8."""
    return 0.5 - (0.5 - 0.12) * month / (MONTHS - 1)


def build_work(*, now: datetime | None = None, seed: int = 19) -> list[str]:
    rng = random.Random(f"{seed}:burden-work")
    now = now or timezone.now()
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("pk").first()
    if district is None:
        return []
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).order_by("path"))
    streets = {s.pk: s for s in Region.objects.filter(level=Region.Level.STREET)}
    departments = list(Organization.objects.filter(kind="department").order_by("pk")[:8])
    items = list(DutyItem.objects.filter(district=district, active=True).order_by("list", "number"))
    approved = list(AccessApplication.objects.filter(district=district, state=rules.APPROVED).order_by("pk"))
    refused = list(AccessApplication.objects.filter(district=district, state=rules.REFUSED).order_by("pk"))
    rows, stamps, n = [], [], 0
    for month in range(MONTHS):
        start = (now - timedelta(days=30 * (MONTHS - month))).replace(hour=9, minute=0, second=0, microsecond=0)
        for community in communities:
            for _ in range(rng.randint(7, 11)):
                kind = rng.choices([rules.TASK, rules.REPORT, rules.FORM], weights=[5, 3, 2])[0]
                title = rng.choice({rules.TASK: TASKS, rules.REPORT: REPORTS, rules.FORM: FORMS}[kind])
                body = rng.choice(departments) if departments and rng.random() < 0.7 else None
                office = None if body else rng.choice([district, streets.get(community.parent_id, district)])
                row = WorkRequest(community=community, organization=body, office=office,
                                  requester=(body or office).name, kind=kind, source=SOURCE, source_id=n,
                                  title=title)  # fmt: skip
                if rng.random() >= _share(month):
                    row.state, row.duty_item = rules.LISTED, rng.choice(items) if items else None
                else:
                    row.state = rng.choices([rules.ADMITTED, rules.HELD, rules.DECLINED], weights=[5, 3, 2])[0]
                    if month < MONTHS - 2 and row.state == rules.HELD:  # older held work was decided meanwhile
                        row.state = rng.choice([rules.ADMITTED, rules.DECLINED])
                    pool = approved if row.state == rules.ADMITTED else refused
                    row.access = rng.choice(pool) if pool and row.state != rules.HELD else None
                at = start + timedelta(days=rng.randrange(28), hours=rng.randrange(8))
                row.decided_at = None if row.state == rules.HELD else at + timedelta(days=rng.randint(0, 20))
                rows.append(row)
                stamps.append(at)
                n += 1
    made = WorkRequest.objects.bulk_create(rows, batch_size=500)
    # created_at is auto_now_add: the days of asking are written after the insert, one UPDATE per day
    by_month: dict[tuple[int, int], list[int]] = {}
    for row, at in zip(made, stamps, strict=True):
        by_month.setdefault((at.year, at.month, at.day), []).append(row.pk)
    for (y, m, d), ids in by_month.items():
        WorkRequest.objects.filter(pk__in=ids).update(created_at=datetime(y, m, d, 10, tzinfo=now.tzinfo))
    unlisted = sum(r.state != rules.LISTED for r in rows)
    return [f"交办社区的工作：{len(rows)} 项（近 {MONTHS} 个月），清单外 {unlisted} 项"]
