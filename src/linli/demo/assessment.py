"""The demo's assessment (测评体系): both standard schemes for the district, last year's star rating of all eight
communities confirmed (自评 → 初审 → 复核 → 认定), and this year's key-point round under way (自评 done, 初审 partly).

Scores go through the service's own checks (services.sheet_record); the round is created and confirmed by the
demo's district account, as on the pages.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import User
from linli.accounts.roles import Role
from linli.assessment import rules, services
from linli.assessment.models import Item, RoundUnit, Scheme
from linli.regions.models import Region

# Stars each community earns last year, shuffled over the eight: two 十星级, five 达标, one 未达标.
STAR_TARGETS = [10, 10, 9, 8, 8, 7, 7, 5]
STARRED = [Decimal("9"), Decimal("9.5"), Decimal("9.5"), Decimal("10")]
UNSTARRED = [Decimal("7"), Decimal("7.5"), Decimal("8"), Decimal("8.5"), Decimal("8.5")]

FINDINGS = {
    "公共区域卫生": ["3号楼楼道堆放杂物", "绿地内有白色垃圾", "垃圾桶满冒未及时清运", "小区东侧排水沟积水"],
    "市容秩序": ["单元门上有小广告", "车棚旁私搭彩钢棚", "垃圾分类桶盖破损", "电线杆上有乱张贴"],
    "公益广告": ["北门公益广告画面褪色", "主干道缺少公益广告", "宣传牌被树枝遮挡"],
    "文明交通与停车": ["消防通道停放机动车", "绿地内停车", "楼道内停放电动车", "飞线充电"],
    "志愿服务站": ["本月志愿服务活动只有1次记录"],
    "道德讲堂与宣传栏": ["宣传栏内容为上季度", "橱窗玻璃破损"],
    "便民服务": ["服务流程未公开上墙", "窗口人员态度生硬"],
}


def build(*, rng: random.Random, now: datetime, plans: list) -> list[str]:
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("path").first()
    if district is None:
        return []
    communities = list(scope.subtree(district.path, Region.objects.filter(level=Region.Level.COMMUNITY)))
    users = {u.username: u for u in User.objects.filter(username__in=("district_staff", "street_staff"))}
    users |= {u.region_id: u for u in User.objects.filter(role=Role.COMMUNITY_WORKER)}
    district_staff = users.get("district_staff")
    if district_staff is None or not communities:
        return []
    star, keypoint = services.standard_schemes_install(region=district, user=district_staff)
    # The key-point standards belong to the civilised-city plan (003 篇3) when the demo has it.
    city_plan = next((p for p in plans if "文明城市" in p.title), None)
    if city_plan is not None:
        Scheme.objects.filter(pk=keypoint.pk).update(plan=city_plan)
    lines = [f"测评体系 assessment schemes: {star.name}, {keypoint.name}"]
    lines.append(_star_round(rng, now, star, communities, users))
    lines.append(_keypoint_round(rng, now, keypoint, communities, users))
    return lines


def _local(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def _scorers(unit: RoundUnit, users: dict) -> dict[str, User | None]:
    """Who scored each stage: the demo accounts where they work there, otherwise nobody on record."""
    street = users.get("street_staff")
    return {
        rules.SELF: users.get(unit.region_id),
        rules.FIRST: street if street and scope.covers(street, unit.region) else None,
        rules.RECHECK: users.get("district_staff"),
    }


def _star_round(rng, now, scheme: Scheme, communities: list[Region], users: dict) -> str:
    year = now.year - 1
    rnd = services.round_create(
        user=users["district_staff"],
        scheme_id=scheme.pk,
        name=f"{year}年度和谐社区星级评定",
        period=f"{year}年度",
        unit_ids=[c.pk for c in communities],
    )
    items = list(scheme.items.order_by("order"))
    targets = (STAR_TARGETS * (len(communities) // len(STAR_TARGETS) + 1))[: len(communities)]
    rng.shuffle(targets)
    dates = {rules.SELF: _local(year, 12, 10), rules.FIRST: _local(year, 12, 20), rules.RECHECK: _local(year + 1, 1, 8)}
    for unit, stars in zip(rnd.units.select_related("region", "round__scheme"), targets, strict=True):
        starred = set(rng.sample(range(len(items)), stars))
        final = [rng.choice(STARRED if i in starred else UNSTARRED) for i in range(len(items))]
        # A community rates itself a little higher than the reviewers do; the street's review already settles it.
        own = [min(Decimal(10), p + rng.choice([Decimal(0), Decimal(0), Decimal("0.5"), Decimal(1)])) for p in final]
        scorers = _scorers(unit, users)
        for stage, points in ((rules.SELF, own), (rules.FIRST, final), (rules.RECHECK, final)):
            scores = [{"item_id": i.pk, "points": str(p)} for i, p in zip(items, points, strict=True)]
            services.sheet_record(
                unit=unit, stage=stage, scores=scores, by=scorers[stage], submit=True, at=dates[stage]
            )
    rnd.refresh_from_db()
    services.round_confirm(
        user=users["district_staff"], round_id=rnd.pk, version=rnd.version, now=_local(year + 1, 1, 20)
    )
    levels = [rules.star_level(s).label for s in targets]
    summary = "，".join(f"{label}{levels.count(label)}个" for label in rules.STAR_LEVEL_LABELS.values())
    return f"测评 {rnd.name}: {len(targets)} 个社区已认定（{summary}）"


def _keypoint_entry(rng, item: Item) -> dict:
    if item.method == rules.SCALE:
        return {"item_id": item.pk, "points": str(rng.choice([3, 4, 4, 5, 5]))}
    if item.method == rules.PASSFAIL:
        return {"item_id": item.pk, "passed": rng.random() < 0.85}
    reasons = FINDINGS.get(item.indicator.name) or FINDINGS.get(item.aspect.name) or ["发现问题一处"]
    count = rng.choices([0, 1, 2, 3], weights=[5, 3, 2, 1])[0]
    return {"item_id": item.pk, "findings": [{"points": "1", "reason": rng.choice(reasons)} for _ in range(count)]}


def _keypoint_round(rng, now, scheme: Scheme, communities: list[Region], users: dict) -> str:
    quarter = (now.month - 1) // 3 + 1
    rnd = services.round_create(
        user=users["district_staff"],
        scheme_id=scheme.pk,
        name=f"{now.year}年第{quarter}季度文明城市重点点位测评",
        period=f"{now.year}年第{quarter}季度",
        unit_ids=[c.pk for c in communities],
    )
    items = list(scheme.items.select_related("indicator", "aspect").order_by("order"))
    units = list(rnd.units.select_related("region", "round__scheme").order_by("region__path"))
    reviewed = drafted = 0
    for n, unit in enumerate(units):
        scorers = _scorers(unit, users)
        entries = [_keypoint_entry(rng, i) for i in items]
        services.sheet_record(
            unit=unit, stage=rules.SELF, scores=entries, by=scorers[rules.SELF], submit=True, at=now - timedelta(days=6)
        )
        # The street has reviewed its first communities and started on one more; the rest wait.
        if n < 2:
            review = [_keypoint_entry(rng, i) for i in items]
            at = now - timedelta(days=2)
            services.sheet_record(
                unit=unit, stage=rules.FIRST, scores=review, by=scorers[rules.FIRST], submit=True, at=at
            )
            reviewed += 1
        elif n == 2:
            services.sheet_record(unit=unit, stage=rules.FIRST, scores=[_keypoint_entry(rng, i) for i in items[:6]])
            drafted += 1
    return f"测评 {rnd.name}: {len(units)} 个社区已自评，{reviewed} 个已初审，{drafted} 个初审中"
