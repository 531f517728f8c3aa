"""业主委员会 and 红色物业 of the demo: committees in about half of the estates of every community, members drawn from
each estate's registered owners, about a third of them Party members; in the demo worker's community two committees
near the end of their term (one within six months, one within three) and one estate with an earlier term; Party
organisations in most committees and a joint branch of each community's main property company; cross-office
holdings between the communities, committees and companies. Rows in bulk: this is a step of the demo build."""

import random
from collections import Counter
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from linli.accounts.models import User
from linli.committees import rules
from linli.committees.models import Committee, CommitteeMember, CrossOffice, PartyOrganization
from linli.people.models import Estate, HouseOwner, Person
from linli.regions import rules as region_rules
from linli.regions.models import Region

COMMITTEE_SHARE = 0.5
PARTY_MEMBER_SHARE = 0.35
PARTY_ORG_SHARE = 0.7
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀兰", "志强", "丽华", "海燕", "文静", "国庆", "淑珍", "俊杰", "红梅", "立新", "春梅"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    rng = random.Random(f"{seed}:committees")
    today = timezone.localdate(now)
    worker = User.objects.filter(username="community_worker").select_related("region").first()
    mine = worker.region_id if worker else None
    committees, members, history = [], [], 0
    communities = list(Region.objects.filter(level=region_rules.COMMUNITY).order_by("path"))
    estates = {c.pk: [] for c in communities}
    for e in Estate.objects.filter(region__in=communities).order_by("name", "pk"):
        estates[e.region_id].append(e)
    for community in communities:
        for n, estate in enumerate(estates[community.pk]):
            shown = community.pk == mine and n < 3  # what the demo worker is shown: see below
            near = shown and n < 2
            if not shown and rng.random() >= COMMITTEE_SHARE:
                continue
            owners = list(
                HouseOwner.objects.filter(house__unit__building__estate=estate)
                .order_by("person_id")
                .values_list("person_id", flat=True)
                .distinct()[:60]
            )
            size = 7 if len(owners) >= 20 else 5
            if len(owners) < size:
                continue
            if near:  # the term ends in about four months (the six-month reminder), then in about seven weeks
                formed = today - relativedelta(years=rules.TERM_YEARS) + timedelta(days=(120, 50)[n])
            else:
                formed = today - timedelta(days=rng.randint(120, 1500))
            if community.pk == mine and n == 2:  # an estate on its second term: the history the estate page shows
                earlier = formed - relativedelta(years=rules.TERM_YEARS)
                committees.append((_committee(estate, earlier, ended=formed), rng.sample(owners, size)))
                history += 1
            committees.append((_committee(estate, formed), rng.sample(owners, size)))
    Committee.objects.bulk_create([c for c, _ in committees])
    for committee, people in committees:
        roles = [rules.CHAIR, rules.VICE_CHAIR] + [rules.MEMBER] * (len(people) - 2)
        members += [
            CommitteeMember(committee=committee, person_id=p, role=r, party_member=rng.random() < PARTY_MEMBER_SHARE)
            for p, r in zip(people, roles, strict=True)
        ]
    CommitteeMember.objects.bulk_create(members, batch_size=500)
    current = [c for c, _ in committees if c.ended_on is None]
    vice_chairs = {c.pk: people[1] for c, people in committees}  # the second chosen is 副主任 (roles above)
    parties, crosses = _red_property(rng, communities, current, members, vice_chairs)
    near = sum(1 for c, _ in committees if c.ended_on is None and rules.reminder_due(c.term_ends, today) is not None)
    return [
        f"{len(committees) - history} 个业主委员会 owners' committees（{near} 个临近换届 near re-election，"
        f"{history} 个往届 earlier terms），{len(members)} 名委员 members",
        f"{parties} 个党组织 Party organisations，{crosses} 条交叉任职 cross-office holdings",
    ]


def _committee(estate: Estate, formed: date, ended: date | None = None) -> Committee:
    assembly = formed - timedelta(days=7)
    return Committee(
        estate=estate, region_id=estate.region_id, assembly_on=assembly, formed_on=formed,
        term_ends=rules.term_end(formed), filed_on=formed + timedelta(days=20),
        filing_number=f"业备{formed:%Y%m}{estate.pk:04d}", ended_on=ended,
    )  # fmt: skip


def _red_property(rng, communities, current: list[Committee], members: list, vice_chairs: dict) -> tuple[int, int]:
    """Party organisations and cross-office holdings; `vice_chairs` maps each committee to its 副主任's person."""
    party_members = Counter(m.committee_id for m in members if m.party_member)
    names = dict(Person.objects.filter(pk__in=vice_chairs.values()).values_list("pk", "name"))
    parties, crosses = [], []
    for c in current:
        if party_members[c.pk] and rng.random() < PARTY_ORG_SHARE:
            kind = rules.BRANCH if party_members[c.pk] >= 3 else rules.GROUP
            parties.append(
                PartyOrganization(
                    region_id=c.region_id,
                    kind=kind,
                    host=rules.COMMITTEE,
                    committee=c,
                    members=party_members[c.pk],
                    name=f"{c.estate.name}业主委员会{rules.PARTY_KINDS[kind]}",
                    secretary=_name(rng),
                    founded_on=c.formed_on + timedelta(days=30),
                )  # fmt: skip
            )
            if rng.random() < 0.5:  # the committee's vice chair sits on the community's Party committee too
                crosses.append(
                    CrossOffice(
                        region_id=c.region_id,
                        name=names[vice_chairs[c.pk]],
                        home=rules.COMMITTEE,
                        home_post="业委会副主任",
                        serves=rules.COMMUNITY,
                        serves_post="社区党委兼职委员",
                        committee=c,
                        since=c.formed_on,
                    )  # fmt: skip
                )
    estates = Estate.objects.filter(region__in=communities, property_company__isnull=False)
    main_company = {}
    for region_id, company_id in estates.order_by("region__path", "name").values_list(
        "region_id", "property_company_id"
    ):
        main_company.setdefault(region_id, Counter())[company_id] += 1
    for community in communities:
        if community.pk not in main_company:
            continue
        company_id = main_company[community.pk].most_common(1)[0][0]
        secretary = _name(rng)
        parties.append(
            PartyOrganization(
                region_id=community.pk,
                kind=rules.JOINT_BRANCH,
                host=rules.COMPANY,
                organization_id=company_id,
                name=f"{community.name}物业服务企业联合党支部",
                secretary=_name(rng),
                members=rng.randint(5, 15),
                founded_on=date(2021, 7, 1),
            )  # fmt: skip
        )
        crosses.append(
            CrossOffice(
                region_id=community.pk,
                name=secretary,
                home=rules.COMMUNITY,
                home_post="社区党委书记",
                serves=rules.COMPANY,
                serves_post="物业企业联合党支部第一书记",
                organization_id=company_id,
                since=date(2021, 7, 1),
            )  # fmt: skip
        )
    PartyOrganization.objects.bulk_create(parties)
    CrossOffice.objects.bulk_create(crosses)
    return len(parties), len(crosses)
