"""业主大会表决 of the demo, in the community of the demo phone's person (the demo community worker's, else the
first that has one): three finished votes — one failing on participation, one passing as an ordinary item, one
筹集维修资金 (item 六) failing at 74% of the participating area — and one open in the estate where that person owns
their home (made their own if the register had not recorded it), so the demo phone can vote. Ballots are bulk
inserted as the services would take them from the portal; the votes are opened, closed and published by the
services, which freeze the electorate and store the result."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from linli.accounts.models import User
from linli.people.models import Estate, HouseOwner
from linli.votes import rules, services
from linli.votes.models import Ballot, Vote, Voter

from .binding import demo_person

# (title, item, days ago it opened, share of owners who vote, how the voters choose)
FINISHED = [
    ("增设电动自行车集中充电设施", "8", 95, 0.55, "agree"),
    ("续聘物业服务企业", "4", 65, 0.82, "ordinary"),
    ("筹集专项维修资金用于外墙保温改造", "6", 35, 0.86, "just_under"),
]
OPEN = ("使用专项维修资金更换3号楼电梯", "5")
MOTIONS = {
    "8": "在小区东侧空地增设电动自行车集中充电车棚一处，由物业服务企业建设和管理，收费按核定标准执行。",
    "4": "续聘现物业服务企业为本小区提供物业服务，合同期三年，物业服务收费标准不变。",
    "6": "按每平方米专有部分面积30元筹集专项维修资金，用于外墙保温改造，由业主委员会公示使用情况。",
    "5": "3号楼两部电梯已使用十八年，经检验需更换。拟使用专项维修资金约62万元更换，按规定公开招标选定施工单位。",
}


def _community_and_runner():
    person = demo_person()
    worker = User.objects.filter(username="community_worker").select_related("region").first()
    house = person.household.house if person and person.household_id and person.household.house_id else None
    community = house.unit.building.estate.region if house else (worker.region if worker else None)
    runner = worker if worker and community and worker.region_id == community.pk else None
    runner = runner or User.objects.filter(is_superuser=True).first()
    return person, house, community, runner


def _ballots(rng: random.Random, vote: Vote, share: float, how: str, at: datetime) -> list[Ballot]:
    voters = list(Voter.objects.filter(vote=vote).exclude(key=rules.DEVELOPER_KEY).prefetch_related("persons"))
    rng.shuffle(voters)
    voting = voters[: round(len(voters) * share)]
    choices = {}
    if how == "just_under":
        # Smallest units agree first, up to 70% of the participating area, so that the owners' count can reach
        # 3/4; then the largest that still fit, up to 74.49%: the area stays at 74%, just under 3/4.
        total = sum((v.area for v in voting), Decimal(0))
        agreed = Decimal(0)
        by_area = sorted(voting, key=lambda v: (v.area, v.key))
        for limit, order in ((Decimal("0.70"), by_area), (Decimal("0.7449"), by_area[::-1])):
            for v in order:
                if v.pk not in choices and (agreed + v.area) / total <= limit:
                    choices[v.pk], agreed = rules.AGREE, agreed + v.area
    for v in voting:
        if v.pk not in choices:
            weights = {"agree": (0.85, 0.1), "ordinary": (0.7, 0.2), "just_under": (0, 0.8)}[how]
            roll = rng.random()
            choices[v.pk] = (
                rules.AGREE if roll < weights[0] else rules.AGAINST if roll < sum(weights) else rules.ABSTAIN
            )
    rows = []
    for i, v in enumerate(voting):
        cast_at = at + timedelta(hours=2 + i % 200)
        person = min(p.pk for p in v.persons.all())
        if i % 9 == 0:  # some owners send a proxy with a power of attorney
            rows.append(Ballot(vote=vote, voter=v, choice=choices[v.pk], channel=rules.PROXY, proxy_name="业主亲属",
                               proxy_document=f"授权委托书 {vote.pk}-{i}", cast_at=cast_at))  # fmt: skip
        else:
            rows.append(Ballot(vote=vote, voter=v, choice=choices[v.pk], channel=rules.PORTAL, person_id=person,
                               cast_at=cast_at))  # fmt: skip
    return rows


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    rng = random.Random(f"{seed}:votes")
    person, house, community, runner = _community_and_runner()
    if community is None or runner is None:
        return ["业主大会表决 votes: 没有社区 no community"]
    estates = list(Estate.objects.filter(region=community).order_by("name"))
    home = house.unit.building.estate if house else estates[0]
    if person and house:
        HouseOwner.objects.get_or_create(house=house, person=person)
    others = [e for e in estates if e.pk != home.pk] or [home]
    lines = []
    for k, (title, item, ago, share, how) in enumerate(FINISHED):
        estate = others[k % len(others)]
        opened = now - timedelta(days=ago)
        vote = services.vote_create(user=runner, estate_id=estate.pk, title=title, motion=MOTIONS[item], item=item,
                                    opens_on=opened.date(), closes_on=(opened + timedelta(days=20)).date())  # fmt: skip
        vote = services.vote_open(user=runner, vote_id=vote.pk, version=vote.version, now=opened)
        Ballot.objects.bulk_create(_ballots(rng, vote, share, how, opened))
        vote = services.vote_close(user=runner, vote_id=vote.pk, version=vote.version, now=opened + timedelta(days=20))
        vote = services.vote_publish(
            user=runner, vote_id=vote.pk, version=vote.version, now=opened + timedelta(days=21)
        )
        lines.append(f"{estate.name}「{title}」{'通过' if vote.result['passed'] else '未通过'}")
    title, item = OPEN
    opened = now - timedelta(days=5)
    vote = services.vote_create(user=runner, estate_id=home.pk, title=title, motion=MOTIONS[item], item=item,
                                opens_on=opened.date(), closes_on=(now + timedelta(days=14)).date())  # fmt: skip
    vote = services.vote_open(user=runner, vote_id=vote.pk, version=vote.version, now=opened)
    # Some neighbours have voted already; the demo phone's owner has not.
    mine = set(Voter.objects.filter(vote=vote, persons=person).values_list("pk", flat=True)) if person else set()
    early = [b for b in _ballots(rng, vote, 0.4, "ordinary", opened) if b.voter_id not in mine]
    Ballot.objects.bulk_create(early)
    lines.append(f"{home.name}「{title}」投票中 open, {len(early)} 票 ballots")
    return ["业主大会表决 votes: " + "；".join(lines)]
