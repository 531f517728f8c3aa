"""议事协商 of the demo: in every community a resident's proposal awaiting the office, one declined with its reason
and one in consultation with a few residents' comments; in the first community a poll whose result is published,
another community's poll that missed its quorum, and an open poll on the estate of the demo phone's person (or
their community), which the visitor can vote on once 实名认证 binds them."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.consultation import rules, selectors, services
from linli.consultation.models import Ballot, Comment
from linli.core.pii import lookup_hash
from linli.notices import rules as place_rules
from linli.people.models import Person
from linli.regions import rules as region_rules
from linli.regions.models import Region
from linli.residents.models import Resident

from .binding import DEMO_PHONE

PROPOSED = [
    (
        "小区增设电动自行车充电桩",
        "楼道里经常有人给电动车充电，很危险。建议在小区空地增设集中充电桩，费用由使用者分摊。",
    ),
    ("周末开放社区活动室", "孩子们周末没有地方活动，建议周六、周日白天开放社区活动室，由志愿者轮流值守。"),
    ("楼道堆物集中清理", "部分楼道堆放杂物，影响通行和消防安全，建议社区组织一次集中清理。"),
]
DECLINED = ("更换小区物业公司", "对现在的物业服务不满意，希望社区直接换一家物业公司。")
DECLINE_REASON = "选聘和解聘物业服务企业须由业主大会依法表决，请联系业主委员会提请业主大会讨论"
CONSULTED = ("小区公共绿地改建停车位", "小区停车难，建议把北侧部分绿地改建为停车位，同时补种行道树。")
# The discussion of the parking proposal, then of the open poll's speed bumps.
COMMENTS = [
    "支持，晚上回来根本找不到车位。",
    "绿地少了孩子们玩的地方也少了，建议只改一半。",
    "停车位能不能优先给本小区业主？",
    "建议先统计一下车辆数量再定。",
]
OPEN_COMMENTS = ["早该装了，上周还差点撞到孩子。", "减速带太高会影响电动车，建议做成缓坡的。"]
POLLED = ("社区广场舞活动时间调整", "广场舞音乐晚上影响休息，建议活动时间调整为19:00至20:30，音量调小。")
OPEN = ("小区门口增设减速带", "小区门口车速快，老人孩子进出不安全，建议增设减速带和警示标志。")
FAILED = ("社区图书角延长开放时间", "建议社区图书角工作日延长开放到晚上8点，方便下班的居民借书。")


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    now = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0)  # in office hours
    rng = random.Random(f"{seed}:consultation")
    users = {u.username: u for u in User.objects.filter(username__in=["district_staff", "community_worker"])}
    mine = users["community_worker"].region
    communities = list(Region.objects.filter(level=region_rules.COMMUNITY).order_by("path"))
    proposals = polls = 0
    for n, community in enumerate(communities):
        office = users["community_worker"] if community.pk == mine.pk else users["district_staff"]
        residents = list(Resident.objects.filter(person__grid__parent=community).select_related("user").order_by("pk"))
        if len(residents) < 3:
            continue
        title, body = PROPOSED[n % len(PROPOSED)]
        services.proposal_submit(resident=residents[0], title=title, body=body, audience=place_rules.COMMUNITY,
                                 target=community.pk, now=now - timedelta(days=1, hours=2))  # fmt: skip
        declined = services.proposal_submit(resident=residents[1], title=DECLINED[0], body=DECLINED[1],
                                            audience=place_rules.COMMUNITY, target=community.pk,
                                            now=now - timedelta(days=4))  # fmt: skip
        services.proposal_decide(user=office, proposal_id=declined.pk, version=declined.version, accept=False,
                                 reason=DECLINE_REASON, now=now - timedelta(days=2))  # fmt: skip
        consulted = services.proposal_create(user=office, title=CONSULTED[0], body=CONSULTED[1],
                                             audience=place_rules.COMMUNITY, target=community.pk,
                                             now=now - timedelta(days=6))  # fmt: skip
        _discuss(consulted, residents, COMMENTS, rng, now)
        proposals += 3
        if community.pk == mine.pk:
            _poll(office, community, POLLED, residents, rng, now, turnout=0.6, agree=0.75, publish=True)
            _open_poll(office, community, rng, now)
            proposals, polls = proposals + 2, polls + 2
        elif n == 1:
            _poll(office, community, FAILED, residents, rng, now, turnout=0.2, agree=0.9, publish=True)
            proposals, polls = proposals + 1, polls + 1
    return [f"议事协商 consultation: {proposals} 个议题 proposals, {polls} 次投票 polls"]


def _discuss(proposal, residents, texts: list[str], rng: random.Random, now: datetime) -> None:
    speakers = rng.sample(residents, min(len(residents), len(texts)))
    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=r.user, body=text, created_at=now - timedelta(days=len(texts) - i, hours=i))
        for i, (r, text) in enumerate(zip(speakers, texts, strict=False))
    )


def _ballots(poll, voters, rng: random.Random, agree: float, at: datetime) -> None:
    yes, no = list(poll.options.order_by("position"))[:2]
    Ballot.objects.bulk_create(
        Ballot(poll=poll, resident=r, option=yes if rng.random() < agree else no, cast_at=at) for r in voters
    )


def _poll(office, community, text, residents, rng, now, *, turnout: float, agree: float, publish: bool):
    opened = now - timedelta(days=20)
    closed = now - timedelta(days=6, hours=-7)  # 17:00
    proposal = services.proposal_create(user=office, title=text[0], body=text[1], audience=place_rules.COMMUNITY,
                                        target=community.pk, now=opened)  # fmt: skip
    poll = services.poll_open(
        user=office, proposal_id=proposal.pk, version=proposal.version, question=f"是否同意：{text[0]}",
        options=list(map(str, rules.DEFAULT_OPTIONS)), closes_at=closed, quorum_kind=rules.SHARE,
        quorum_value=50, pass_rule=rules.SIMPLE, now=opened,
    )  # fmt: skip
    eligible = list(selectors.eligible_residents(proposal).order_by("pk"))
    _ballots(poll, rng.sample(eligible, round(len(eligible) * turnout)), rng, agree, opened + timedelta(days=3))
    poll = services.poll_close(user=office, poll_id=poll.pk, version=poll.version, now=closed)
    if publish:
        services.poll_publish(user=office, poll_id=poll.pk, version=poll.version, now=now - timedelta(days=5))


def _open_poll(office, community, rng, now) -> None:
    """Addressed to the demo phone's estate, or community, so that the visitor who binds to that person can vote."""
    person = (
        Person.objects.filter(phone_hash=lookup_hash(DEMO_PHONE))
        .select_related("household__house__unit__building")
        .first()
    )
    building = person.household.house.unit.building if person and person.household_id else None
    audience, target = (place_rules.ESTATE, building.estate_id) if building else (place_rules.COMMUNITY, community.pk)
    proposal = services.proposal_create(user=office, title=OPEN[0], body=OPEN[1], audience=audience, target=target,
                                        now=now - timedelta(days=3))  # fmt: skip
    eligible = list(selectors.eligible_residents(proposal).select_related("user").order_by("pk"))
    _discuss(proposal, eligible, OPEN_COMMENTS, rng, now)
    poll = services.poll_open(
        user=office, proposal_id=proposal.pk, version=proposal.version, question="是否同意在小区门口增设减速带",
        options=["同意", "不同意", "弃权"], closes_at=now + timedelta(days=10, hours=7), quorum_kind=rules.SHARE,
        quorum_value=50, pass_rule=rules.SIMPLE, now=now - timedelta(days=2),
    )  # fmt: skip
    _ballots(poll, eligible[: len(eligible) // 3], rng, 0.7, now - timedelta(days=1))
