"""志愿服务 of the demo: about 3,000 volunteers (× scale) drawn from the registry's adults, three to five teams per
community (党员, 巾帼, 青少年, 治安巡逻, 文艺 …, each led by one of its members), about 400 activities (× scale) over
the past year and the coming four weeks, and the weekly 志愿服务日 of the five years before, whose hours give the
long-serving volunteers their stars.

Past activities that reached their minimum are finished, with the organiser's confirmation of each attending
volunteer's hours (a few did not come and got none); those short of it at the cut-off were cancelled and their
sign-ups withdrawn; popular ones filled up and kept a waiting list. Coming ones are open, some full with a waiting
list already.

Rows go in through demo.bulk's writer (COPY on PostgreSQL), not through the services of volunteers.registry and
volunteers.activities, for the builder's speed; they keep the invariants those services keep: an activity's
`taken` is the count of its confirmed sign-ups (never above `max_people`), a volunteer's `hours` the sum of their
credits, a credit only for a confirmed sign-up of a finished activity, checked in and out. Same seed, scale and
`now` → same rows.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q

from linli.accounts import roles
from linli.accounts.models import User
from linli.people.models import Person
from linli.regions.models import Region
from linli.residents.account.rules import NOTICE_VERSION
from linli.volunteers import rules
from linli.volunteers.models import Activity, Credit, SignUp, Team, TeamMember, Volunteer
from linli.volunteers.registry import rules as registry_rules

from .binding import demo_person
from .bulk import Writer

VOLUNTEERS = 3000  # at scale 1 (about 50,000 residents: 6 %)
ACTIVITIES = 400  # over the past year and the coming four weeks, at scale 1
AHEAD_DAYS = 28
HISTORY_WEEKS = 52 * 5  # the weekly 志愿服务日 of the five years before the past year
HISTORY_HOURS = Decimal("8.0")
PAPER_CONSENT = "纸质登记表"

# (kind, team name, activity kind, (min, max) people, hours, activity titles)
TEAMS = [
    (
        "party",
        "党员志愿服务队",
        "civilization",
        (8, 20),
        "3.0",
        ["党员先锋岗值守", "文明创建入户宣传", "主题党日志愿服务"],
    ),
    ("women", "巾帼志愿服务队", "elderly", (5, 15), "2.5", ["空巢老人上门探访", "社区助餐送餐", "家庭教育讲座服务"]),
    ("youth", "青少年志愿服务队", "children", (6, 20), "2.0", ["四点半课堂辅导", "青少年安全教育", "图书角整理"]),
    ("patrol", "治安巡逻队", "patrol", (4, 10), "3.0", ["夜间治安巡逻", "重点时段平安巡查", "消防通道巡查"]),
    ("arts", "文艺队", "arts", (30, 60), "2.0", ["合唱团排练演出", "广场文艺汇演", "重阳节慰问演出"]),  # 001 篇2
    (
        "environment",
        "环境保护队",
        "environment",
        (10, 30),
        "2.0",
        ["楼道小广告清理", "垃圾分类桶前值守", "绿地认养养护"],
    ),
    ("elderly", "助老服务队", "elderly", (4, 12), "2.5", ["助老理发义剪", "老年人智能手机教学", "健康义诊协助"]),
]
PLACES = ["党群服务中心", "文化广场", "活动室", "新时代文明实践站", "居委会会议室", "小区东门"]
# Long-serving volunteers: (share of the volunteers, least and most hours of the years before), the rest have none.
SENIORITY = [(0.30, 10, 99), (0.13, 100, 299), (0.05, 300, 599), (0.015, 600, 999), (0.004, 1000, 1499),
             (0.001, 1500, 1800)]  # fmt: skip
SKILLS = list(rules.SKILLS)
AVAILABILITY = list(rules.AVAILABILITY)


@dataclass
class Place:
    community: Region
    organiser_id: int
    lon: Decimal | None
    lat: Decimal | None
    volunteers: list[int] = field(default_factory=list)
    teams: list[tuple[int, int]] = field(default_factory=list)  # (team id, index in TEAMS)
    members: dict[int, list[int]] = field(default_factory=dict)  # team id → volunteer ids


def _centre(region: Region) -> tuple[Decimal | None, Decimal | None]:
    """The middle of the region's boundary box (a point on the activity's map), or none without a boundary."""
    points = []

    def walk(c):
        if c and isinstance(c[0], int | float):
            points.append(c)
        else:
            for x in c or []:
                walk(x)

    walk((region.boundary or {}).get("coordinates"))
    if not points:
        return None, None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    q = Decimal("0.000001")
    return Decimal((min(lons) + max(lons)) / 2).quantize(q), Decimal((min(lats) + max(lats)) / 2).quantize(q)


def _organisers(communities: list[Region]) -> dict[int, int | None]:
    """Each community's organiser: the first account of the community that organises activities (roles.VOLUNTEERS),
    else one of its street, else an administrator."""
    staff = User.objects.filter(is_active=True).exclude(region=None).select_related("region").order_by("pk")
    organising = [u for u in staff if roles.can(u, roles.VOLUNTEERS, roles.ORGANISE_ACTIVITIES)]
    admin = User.objects.filter(roles.admin_q(), is_active=True).order_by("pk").values_list("pk", flat=True).first()
    by_region: dict[int, int] = {}
    for u in organising:
        by_region.setdefault(u.region_id, u.pk)
    return {c.pk: by_region.get(c.pk) or by_region.get(c.parent_id) or admin for c in communities}


def _adults(now: datetime, communities: list[Region]) -> dict[int, list[int]]:
    """The persons aged 16 to 75 of each community (ids, in id order), read in one pass."""
    today = now.date()
    young, old = date(today.year - 16, today.month, 1), date(today.year - 75, today.month, 1)
    by_path = {c.path: c.pk for c in communities}
    grids = Region.objects.filter(level=Region.Level.GRID).values_list("pk", "path")
    community_of = {g: next((by_path[p] for p in by_path if path.startswith(p)), None) for g, path in grids}
    found = defaultdict(list)
    persons = Person.objects.filter(birth_date__lte=young, birth_date__gte=old).order_by("pk")
    for pk, grid_id in persons.values_list("pk", "grid_id").iterator(chunk_size=5000):
        community = community_of.get(grid_id)
        if community is not None:
            found[community].append(pk)
    return found


def _hours_before(rng: random.Random) -> int:
    roll, at = rng.random(), 0.0
    for share, low, high in SENIORITY:
        at += share
        if roll < at:
            return rng.randint(low, high)
    return 0


def build(*, now: datetime, seed: int = 2026, scale: float = 1.0) -> list[str]:
    rng = random.Random(f"{seed}:volunteers")
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).order_by("path"))
    if not communities or Volunteer.objects.exists():
        return ["志愿服务：没有社区或已有志愿者，跳过"]
    writer = Writer(now)
    organisers = _organisers(communities)
    adults = _adults(now, communities)
    demo = demo_person()
    total_adults = sum(len(v) for v in adults.values()) or 1
    wanted = max(len(communities) * 6, round(VOLUNTEERS * scale))
    places = {
        c.pk: Place(c, organisers[c.pk], *_centre(c)) for c in communities if adults.get(c.pk) and organisers[c.pk]
    }

    # ---- volunteers: a share of each community's adults, in proportion to its population
    picked: list[tuple[Place, int]] = []
    for place in places.values():
        pool = adults[place.community.pk]
        n = min(len(pool), max(6, round(wanted * len(pool) / total_adults)))
        chosen = rng.sample(pool, n)
        if demo and demo.pk in pool and demo.pk not in chosen:  # the demo phone's person volunteers too
            chosen[0] = demo.pk
        picked += [(place, pk) for pk in sorted(chosen)]
    ids = writer.ids(Volunteer, len(picked))
    before = {}  # volunteer id → hours of the years before
    v_rows = []
    seq = defaultdict(int)
    for vid, (place, person_id) in zip(ids, picked, strict=True):
        place.volunteers.append(vid)
        before[vid] = _hours_before(rng)
        years = 6 + rng.random() if before[vid] else rng.random() * 4  # before the first 志愿服务日 they served
        consented = now - timedelta(days=round(365 * years) + 30)
        portal = consented > now - timedelta(days=200) and rng.random() < 0.6
        seq[place.community.pk, consented.year] += 1
        number = registry_rules.number(place.community.code, consented.year, seq[place.community.pk, consented.year])
        state = rules.ACTIVE if rng.random() < 0.97 else rules.SUSPENDED
        v_rows.append((vid, person_id, place.community.pk, number, rules.PORTAL if portal else rules.STAFF,
                       NOTICE_VERSION if portal else PAPER_CONSENT, consented, rng.sample(SKILLS, rng.randint(0, 2)),
                       rng.sample(AVAILABILITY, rng.randint(1, 2)), state, place.organiser_id, consented))  # fmt: skip

    # ---- teams: three to five per community, led by a member
    t_rows, m_rows = [], []
    for place in places.values():
        kinds = [0, 3, 4] + rng.sample([1, 2, 5, 6], rng.randint(0, 2))
        team_ids = writer.ids(Team, len(kinds))
        for tid, k in zip(team_ids, sorted(kinds), strict=True):
            size = min(len(place.volunteers), TEAMS[k][3][1] + 10 if k == 4 else rng.randint(12, 40))
            members = sorted(rng.sample(place.volunteers, size))
            place.teams.append((tid, k))
            place.members[tid] = members
            t_rows.append((tid, place.community.pk, f"{place.community.name}{TEAMS[k][1]}", TEAMS[k][0],
                           members[0] if members else None, now - timedelta(days=800)))  # fmt: skip
            m_rows += [(tid, v, now - timedelta(days=rng.randint(30, 800))) for v in members]

    # ---- activities with their sign-ups and credits
    a_rows, s_rows, c_rows = [], [], []
    hours = defaultdict(Decimal)
    counts = defaultdict(int)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def activity(place: Place, team: tuple[int, int] | None, starts: datetime, *, history: bool = False) -> None:
        k = team[1] if team else rng.randrange(len(TEAMS))
        _, _, kind, (low, high), h, titles = TEAMS[k]
        ends = starts + timedelta(hours=float(HISTORY_HOURS if history else Decimal(h)))
        cutoff = starts - timedelta(days=1)
        a_hours = HISTORY_HOURS if history else Decimal(h)
        pool = place.members[team[0]] if team else place.volunteers
        lo, hi = (1, 60) if history else (low, high)
        hi = hi if history else max(lo, min(hi, len(pool) - 3))  # a small community: room for a waiting list
        on_short = rules.SHORT_CANCEL if rng.random() < 0.8 else rules.SHORT_FLAG
        past, cut = ends <= now, cutoff <= now
        if history:
            chosen = [v for v in pool if before[v] and rng.random() < before[v] / float(HISTORY_HOURS) / HISTORY_WEEKS]
            chosen, waiting = chosen[:hi], []
            if not chosen:  # nobody of the long-serving came that Saturday: no 志愿服务日 held
                return
        else:
            # demand: most activities fill between the minimum and the maximum; some fall short, some overflow
            roll = rng.random()
            demand = (rng.randint(0, max(0, lo - 1)) if roll < 0.08 else rng.randint(hi, hi + 6) if roll < 0.25
                      else rng.randint(lo, hi))  # fmt: skip
            if not past:
                demand = round(demand * (0.5 + rng.random() / 2)) if not cut else demand
            chosen = rng.sample(pool, min(len(pool), demand))
            chosen, waiting = chosen[:hi], chosen[hi:]
        short = cut and len(chosen) < lo
        aid = writer.ids(Activity, 1)[0]
        state = rules.OPEN
        reason = ""
        if short and on_short == rules.SHORT_CANCEL:
            state, reason = rules.CANCELLED, "报名截止时人数不足最少人数，自动取消"
        elif past:
            state = rules.FINISHED
        taken = 0 if state == rules.CANCELLED else len(chosen)
        title = f"{place.community.name}志愿服务日" if history else rng.choice(titles)
        a_rows.append((aid, place.community.pk, team[0] if team else None, title, kind,
                       f"{place.community.name}{rng.choice(PLACES)}", place.lon, place.lat, starts, ends, cutoff,
                       min(lo, hi), hi, on_short, short and state != rules.CANCELLED, a_hours, taken,
                       f"demo-{seed}-{aid}", place.organiser_id, state, reason, place.organiser_id,
                       cutoff - timedelta(days=14)))  # fmt: skip
        counts[state] += 1
        s_ids = iter(writer.ids(SignUp, len(chosen) + len(waiting)))
        signed = cutoff - timedelta(days=7)
        for i, v in enumerate(chosen):
            sid, at = next(s_ids), signed + timedelta(minutes=7 * i)
            if state == rules.CANCELLED:
                s_rows.append((sid, aid, v, rules.WITHDRAWN, at, cutoff, None, None))
                continue
            came = state == rules.FINISHED and (history or rng.random() > 0.05)
            s_rows.append((sid, aid, v, rules.CONFIRMED, at, None, starts if came else None, ends if came else None))
            if came:
                credit = a_hours if history or rng.random() > 0.1 else max(Decimal("0.5"), a_hours - Decimal("0.5"))
                c_rows.append((sid, v, aid, credit, place.organiser_id, ends + timedelta(days=1)))
                hours[v] += credit
        for i, v in enumerate(waiting):
            state_w = rules.WITHDRAWN if state == rules.CANCELLED else rules.WAITING
            s_rows.append((next(s_ids), aid, v, state_w, signed + timedelta(minutes=7 * (len(chosen) + i)),
                           cutoff if state_w == rules.WITHDRAWN else None, None, None))  # fmt: skip

    # the weekly 志愿服务日 of the years before, on Saturdays, for the long-serving volunteers' hours
    first_year = today - timedelta(days=365)
    for place in places.values():
        team = next(t for t in place.teams if t[1] == 0)
        place.members[-1] = place.volunteers
        for w in range(HISTORY_WEEKS):
            day = first_year - timedelta(weeks=HISTORY_WEEKS - w)
            day += timedelta(days=(5 - day.weekday()) % 7)
            activity(place, (-1, team[1]), day.replace(hour=9), history=True)
    # the past year and the coming weeks
    n = max(len(places) * 4, round(ACTIVITIES * scale))
    span = 365 + AHEAD_DAYS
    place_list = list(places.values())
    for i in range(n):
        place = place_list[i % len(place_list)]
        team = rng.choice(place.teams) if rng.random() < 0.85 else None
        day = first_year + timedelta(days=round(span * (i + rng.random()) / n))
        starts = day.replace(hour=rng.choice((8, 9, 14, 15, 19)))
        if starts <= now < starts + timedelta(hours=5):  # not under way at the build's moment
            starts += timedelta(days=1)
        activity(place, team, starts)

    # The history's Saturdays belong to no team row: write them without one.
    a_rows = [(*r[:2], None if r[2] == -1 else r[2], *r[3:]) for r in a_rows]
    v_rows = [(*r, hours[r[0]]) for r in v_rows]  # hours = the sum of the volunteer's credits
    writer.insert(
        Volunteer,
        [
            "id",
            "person_id",
            "region_id",
            "number",
            "via",
            "consent_version",
            "consented_at",
            "skills",
            "availability",
            "state",
            "registered_by_id",
            "registered_at",
            "hours",
        ],
        v_rows,
    )
    writer.insert(Team, ["id", "region_id", "name", "kind", "leader_id", "created_at"], t_rows)
    m_ids = writer.ids(TeamMember, len(m_rows))
    writer.insert(TeamMember, ["id", "team_id", "volunteer_id", "joined_at"],
                  [(mid, *r) for mid, r in zip(m_ids, m_rows, strict=True)])  # fmt: skip
    writer.insert(Activity, ["id", "region_id", "team_id", "title", "kind", "place", "longitude", "latitude",
                             "starts_at", "ends_at", "signup_until", "min_people", "max_people", "on_short", "short",
                             "hours", "taken", "checkin_key", "organiser_id", "state", "cancel_reason",
                             "created_by_id", "created_at"], a_rows)  # fmt: skip
    writer.insert(SignUp, ["id", "activity_id", "volunteer_id", "state", "created_at", "withdrawn_at",
                           "checked_in_at", "checked_out_at"], s_rows)  # fmt: skip
    c_ids = writer.ids(Credit, len(c_rows))
    c_columns = ["id", "signup_id", "volunteer_id", "activity_id", "hours", "confirmed_by_id", "confirmed_at"]
    writer.insert(Credit, c_columns, [(cid, *r) for cid, r in zip(c_ids, c_rows, strict=True)])
    writer.finish()
    in_year = Activity.objects.filter(~Q(title__endswith="志愿服务日"), starts_at__gte=first_year).count()
    return [
        f"{len(v_rows)} 名志愿者 volunteers, {len(t_rows)} 支服务队 teams, "
        f"{in_year} 场近一年及未来四周的活动 activities (+{len(a_rows) - in_year} 场往年志愿服务日), "
        f"{len(s_rows)} 条报名 sign-ups, {len(c_rows)} 条确认时长 credits",
    ]
