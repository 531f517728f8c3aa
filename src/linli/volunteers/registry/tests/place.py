"""Where the volunteers' tests happen: volunteers of 甲一社区 (in the street 甲街道's reach) and 乙一社区 (out of it).

`va` (张志愿, 甲一社区) was registered by the community worker from a paper form; `vb` (李远方, 乙一社区) by the
administrator. The team 甲一党员志愿服务队 has `va` as its leader. Residents: `vol` is bound to va's person,
`plain` to a person of 甲一社区 who is not a volunteer, `unbound` has not passed 实名认证.
Hours are written as the organisers' confirmation writes them (volunteers.activities.services): an activity, a
confirmed sign-up, its Credit, and the volunteer's hours raised by as much.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from linli.testing import factories
from linli.volunteers import rules as vocabulary
from linli.volunteers.models import Activity, Credit, SignUp, Team, Volunteer
from linli.volunteers.registry import services


@dataclass
class Place:
    world: object
    persons: dict
    va: Volunteer
    vb: Volunteer
    team: Team
    far_team: Team
    residents: dict

    @property
    def worker(self):
        return self.world.users["community_worker"]


def place_of(world) -> Place:
    w = world
    persons = {
        "va": factories.person(w.grid_a1, name="张志愿", phone="13900001111"),
        "plain": factories.person(w.grid_a1, name="王居民", phone="13900002222"),
        "other": factories.person(w.grid_a1b, name="赵热心", phone="13900003333"),
        "a2": factories.person(w.grid_a2, name="钱邻里", phone="13900004444"),
        "vb": factories.person(w.grid_b1, name="李远方", phone="13900005555"),
    }
    worker, admin = w.users["community_worker"], w.users["admin"]
    va = services.volunteer_register(user=worker, person_id=persons["va"].pk, skills=["medical"],
                                     availability=["weekend"], paper_consent=True)  # fmt: skip
    vb = services.volunteer_register(user=admin, person_id=persons["vb"].pk, skills=[], availability=[],
                                     paper_consent=True)  # fmt: skip
    team = services.team_create(user=worker, region_id=w.community_a1.pk, name="甲一党员志愿服务队", kind="party")
    services.team_member_add(user=worker, team_id=team.pk, volunteer_id=va.pk)
    team = services.team_update(user=worker, team_id=team.pk, version=team.version, name=team.name, kind="party",
                                leader_id=va.pk)  # fmt: skip
    far_team = services.team_create(user=admin, region_id=w.community_b1.pk, name="乙一文艺队", kind="arts")
    residents = {
        "vol": factories.resident("13811110001", persons["va"]),
        "plain": factories.resident("13811110002", persons["plain"]),
        "unbound": factories.resident("13811110003"),
    }
    return Place(w, persons, va, vb, team, far_team, residents)


def credit(volunteer: Volunteer, hours, *, when: datetime | None = None, organiser=None, title="社区清扫") -> Credit:
    """Hours confirmed for `volunteer` at `when`, as an organiser's confirmation leaves them."""
    when = when or timezone.now()
    start = when - timedelta(days=1)
    organiser = organiser or volunteer.registered_by
    activity = Activity.objects.create(
        region=volunteer.region, title=title, kind="environment", place="小区广场", starts_at=start,
        ends_at=start + timedelta(hours=3), signup_until=start - timedelta(days=1), max_people=60, min_people=1,
        hours=Decimal("3.0"), taken=1, organiser=organiser, state=vocabulary.FINISHED, checkin_key="k",
    )  # fmt: skip
    signup = SignUp.objects.create(activity=activity, volunteer=volunteer, state=vocabulary.CONFIRMED)
    made = Credit.objects.create(signup=signup, volunteer=volunteer, activity=activity, hours=Decimal(hours),
                                 confirmed_by=organiser, confirmed_at=when)  # fmt: skip
    Volunteer.objects.filter(pk=volunteer.pk).update(hours=F("hours") + Decimal(hours))
    volunteer.refresh_from_db()
    return made
