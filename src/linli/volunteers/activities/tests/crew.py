"""Where the activities' tests happen: volunteers of 甲一社区 (grid 甲一1) with portal accounts, written as rows
directly (as the registration services would), a 文艺队 led by one of them, and helpers that set up and
publish an activity as the community worker of 甲一社区.

Residents: `v1` … `vN` are volunteers (v1 leads the team); `plain` is a bound resident who is no volunteer; `far`
is a volunteer of 乙一社区."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.residents.models import Resident
from linli.testing import factories
from linli.volunteers import rules
from linli.volunteers.activities import services
from linli.volunteers.models import Activity, Team, TeamMember, Volunteer


def volunteer_row(person, region, number: str) -> Volunteer:
    return Volunteer.objects.create(person=person, region=region, number=number, via=rules.PORTAL,
                                    consent_version="2026-1", consented_at=timezone.now())  # fmt: skip


@dataclass
class Crew:
    world: object
    team: Team
    residents: dict[str, Resident]
    volunteers: dict[str, Volunteer]

    @property
    def worker(self):
        return self.world.users["community_worker"]

    def content(self, **overrides) -> dict:
        start = timezone.now() + timedelta(days=3)
        data = {"title": "社区合唱排练", "kind": "arts", "description": "为重阳节演出排练", "place": "社区活动室",
                "longitude": None, "latitude": None, "starts_at": start, "ends_at": start + timedelta(hours=2),
                "signup_until": start - timedelta(days=1), "min_people": 1, "max_people": 3,
                "on_short": rules.SHORT_CANCEL, "hours": Decimal("2.0")}  # fmt: skip
        return {**data, **overrides}

    def activity(self, *, publish: bool = True, user=None, **overrides) -> Activity:
        user = user or self.worker
        place = {k: overrides.pop(k) for k in ("team_id", "region_id") if k in overrides}
        if not place:
            place = {"region_id": self.world.community_a1.pk}
        activity = services.activity_create(user=user, **place, **self.content(**overrides))
        if publish:
            activity = services.activity_publish(user=user, activity_id=activity.pk, version=activity.version)
        return activity

    def ended(self, activity: Activity) -> datetime:
        return activity.ends_at + timedelta(minutes=5)


def crew_of(world, size: int = 5) -> Crew:
    persons = [factories.person(world.grid_a1, name=f"志愿者{i}", phone=f"1370000{i:04d}") for i in range(1, size + 1)]
    plain = factories.person(world.grid_a1, name="居民甲", phone="13700009998")
    far = factories.person(world.grid_b1, name="远方", phone="13700009999")
    volunteers = {f"v{i}": volunteer_row(p, world.community_a1, f"V21010300{i:04d}") for i, p in enumerate(persons, 1)}
    volunteers["far"] = volunteer_row(far, world.community_b1, "V210103009999")
    team = Team.objects.create(region=world.community_a1, name="夕阳红合唱团", kind="arts", leader=volunteers["v1"])
    TeamMember.objects.bulk_create(TeamMember(team=team, volunteer=v) for k, v in volunteers.items() if k != "far")
    people = {k: v.person for k, v in volunteers.items()} | {"plain": plain}
    residents = {k: factories.resident(f"1361111{i:04d}", p) for i, (k, p) in enumerate(people.items())}
    return Crew(world, team, residents, volunteers)
