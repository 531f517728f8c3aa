"""社区公告 of the demo: each community's notices published over the last weeks by its office (the district's for the
communities without a demo account), to the community, a grid, and the estate and building where the demo phone's
person lives, and read by about half of the bound residents they reach. The demo's worker sends the messages
announcing them (unread: a resident who opens the notice marks its message read)."""

import random
from datetime import datetime, timedelta

from linli.accounts.models import User
from linli.demo import binding
from linli.notices import rules, selectors, services
from linli.notices.models import NoticeRead
from linli.people.models import Building, Estate
from linli.regions import rules as region_rules
from linli.regions.models import Region

TEXTS = [
    ("停水通知", "各位居民：\n因供水管网检修，本周六8时至16时小区停水，请提前储水。\n给您带来不便，敬请谅解。"),
    ("冬季供暖安全提示", "各位居民：\n供暖季已开始，请勿在暖气管道上晾晒衣物，发现跑冒滴漏请及时联系物业。"),
    ("免费体检通知", "社区卫生服务站将于下周三为65岁以上老年人免费体检。\n请携带身份证到社区服务站登记。"),
    ("垃圾分类宣传活动", "本周日上午9时在社区广场开展垃圾分类宣传活动，欢迎居民参加。"),
    ("消防通道清理通知", "为保障消防安全，请各位居民于本周五前将停放在消防通道内的车辆和杂物移走。"),
    ("电梯维修保养通知", "本楼电梯将于明日9时至12时维修保养，届时暂停使用，请居民注意安全。"),
]
READ_SHARE = 0.5


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    rng = random.Random(f"{seed}:notices")
    users = {u.username: u for u in User.objects.filter(username__in=["district_staff", "community_worker"])}
    communities = list(Region.objects.filter(level=region_rules.COMMUNITY).order_by("path"))
    mine = users["community_worker"].region
    published = []
    for n, community in enumerate(communities):
        user = users["community_worker"] if community.pk == mine.pk else users["district_staff"]
        for k in range(2):
            title, body = TEXTS[(n + k) % len(TEXTS)]
            at = now - timedelta(days=3 + 9 * k)
            published.append(_publish(user, rules.COMMUNITY, community.pk, title, body, at))
    # The first community's office writes to every kind of audience it has: the estate and building are the demo
    # phone's home (binding.demo_person), so that a visitor who binds it reads them in the portal.
    grid = Region.objects.filter(parent=mine, level=region_rules.GRID).order_by("path").first()
    home = binding.demo_person()
    building = home.household.house.unit.building if home and home.household and home.household.house else None
    if building is None or building.estate.region_id != mine.pk:
        estate = Estate.objects.filter(region=mine).order_by("name").first()
        building = Building.objects.filter(estate=estate).order_by("number").first() if estate else None
    estate = building.estate if building else None
    targets = [(rules.GRID, grid), (rules.ESTATE, estate), (rules.BUILDING, building)]
    for k, (audience, target) in enumerate(t for t in targets if t[1] is not None):
        title, body = TEXTS[(3 + k) % len(TEXTS)]
        published.append(
            _publish(users["community_worker"], audience, target.pk, title, body, now - timedelta(days=k + 1))
        )
    draft = ("元旦联欢会报名通知", "社区将于元旦前举办联欢会，具体安排待定。")
    services.notice_create(user=users["community_worker"], title=draft[0], body=draft[1], audience=rules.COMMUNITY,
                           target=mine.pk)  # fmt: skip
    reads = []
    for notice in published:
        readers = [r for r in selectors.audience_residents(notice).order_by("pk") if rng.random() < READ_SHARE]
        read_at = notice.published_at + timedelta(hours=rng.randint(1, 48))
        reads += [NoticeRead(notice=notice, resident=r, read_at=read_at) for r in readers]
    NoticeRead.objects.bulk_create(reads)
    return [f"社区公告 notices: {len(published)} 则已发布 published, {len(reads)} 次阅读 reads"]


def _publish(user, audience: str, target: int, title: str, body: str, day: datetime):
    at = day + timedelta(hours=9, minutes=len(title) * 3)  # in office hours, not at midnight
    return services.notice_create(
        user=user, title=title, body=body, audience=audience, target=target, publish=True, now=at
    )
