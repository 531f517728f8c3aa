"""A small volunteering world on the persona district (linli.testing.factories.world), written straight into the
models as the services would leave them: taken = confirmed sign-ups, hours = the sum of the credits.

甲一社区 (community_worker's): 4 residents, 3 of them volunteers (one suspended) in 甲一党员志愿服务队; a finished
activity (2 places of 4 taken, credited 2.5 h and 2.0 h), a cancelled one, and yesterday's full one (2 of 2)
with 乙一's volunteer waiting.
乙一社区 (out of the street's scope): 2 residents, 1 volunteer with a 3.0 h credit of an activity without a team."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.testing import factories
from linli.volunteers import rules
from linli.volunteers.models import Activity, Credit, SignUp, Team, TeamMember, Volunteer


@dataclass
class Data:
    team: Team
    finished: Activity
    cancelled: Activity
    full: Activity
    far: Activity


def volunteer(person, region, n: int, *, state=rules.ACTIVE) -> Volunteer:
    return Volunteer.objects.create(person=person, region=region, number=f"T{n:05d}", via=rules.STAFF,
                                    consent_version="纸质登记表", consented_at=timezone.now(), state=state)  # fmt: skip


def activity(region, organiser, starts, *, team=None, state=rules.FINISHED, max_people=4, title="楼道清理") -> Activity:
    return Activity.objects.create(region=region, team=team, title=title, kind="environment", place="社区广场",
                                   starts_at=starts, ends_at=starts + timedelta(hours=2),
                                   signup_until=starts - timedelta(days=1), min_people=2, max_people=max_people,
                                   hours=Decimal("2.5"), organiser=organiser, state=state, checkin_key="k")  # fmt: skip


def sign(activity, volunteers, state=rules.CONFIRMED) -> list[SignUp]:
    rows = [SignUp.objects.create(activity=activity, volunteer=v, state=state) for v in volunteers]
    activity.taken = activity.signups.filter(state=rules.CONFIRMED).count()
    activity.save(update_fields=["taken"])
    return rows


def credit(signup: SignUp, hours: str, by, at) -> Credit:
    c = Credit.objects.create(signup=signup, volunteer=signup.volunteer, activity=signup.activity,
                              hours=Decimal(hours), confirmed_by=by, confirmed_at=at)  # fmt: skip
    Volunteer.objects.filter(pk=signup.volunteer_id).update(hours=signup.volunteer.hours + c.hours)
    signup.volunteer.refresh_from_db()
    return c


def build(world) -> Data:
    now = timezone.now()
    births = [date(1970 + i, 3, 1) for i in range(6)]
    a = [factories.person(world.grid_a1, name=f"甲{i}", birth=births[i], phone="") for i in range(4)]
    b = [factories.person(world.grid_b1, name=f"乙{i}", birth=births[4 + i], phone="") for i in range(2)]
    va = [volunteer(p, world.community_a1, i) for i, p in enumerate(a[:2])]
    volunteer(a[2], world.community_a1, 9, state=rules.SUSPENDED)
    vb = volunteer(b[0], world.community_b1, 10)
    worker = world.users["community_worker"]
    team = Team.objects.create(region=world.community_a1, name="甲一党员志愿服务队", kind="party", leader=va[0])
    TeamMember.objects.bulk_create([TeamMember(team=team, volunteer=v) for v in va])
    finished = activity(world.community_a1, worker, now - timedelta(days=10), team=team)
    s = sign(finished, va)
    credit(s[0], "2.5", worker, now - timedelta(days=9))
    credit(s[1], "2.0", worker, now - timedelta(days=9))
    cancelled = activity(world.community_a1, worker, now - timedelta(days=5), team=team, state=rules.CANCELLED)
    full = activity(world.community_a1, worker, now - timedelta(days=1), state=rules.OPEN, max_people=2)
    sign(full, va)
    sign(full, [vb], rules.WAITING)
    far = activity(world.community_b1, world.users["admin"], now - timedelta(days=3))
    credit(sign(far, [vb])[0], "3.0", world.users["admin"], now - timedelta(days=2))
    return Data(team, finished, cancelled, full, far)
