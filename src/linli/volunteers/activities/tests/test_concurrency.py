"""Concurrent sign-ups never overfill an activity: threads with their own connections, released together, on
SQLite (a file copy: IMMEDIATE transactions wait for each other) and on PostgreSQL (the activity row lock). Run
on PostgreSQL with DATABASE_URL=postgres://… ./linli test -n 0 <this file>."""

from datetime import timedelta

import pytest

from linli.ops import jobs
from linli.ops import services as ops
from linli.testing.threads import in_thread, shared_database, simultaneously
from linli.volunteers import rules
from linli.volunteers.activities import services
from linli.volunteers.activities.tests.crew import crew_of
from linli.volunteers.models import Activity, SignUp


def _state(activity_id: int) -> tuple[int, list[str]]:
    activity = Activity.objects.get(pk=activity_id)
    return activity.taken, list(SignUp.objects.filter(activity=activity).order_by("id").values_list("state", flat=True))


# serialized_rollback: the flush after this test keeps the content types the browser tests restore later.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_sign_ups_and_cancellations_keep_within_capacity_and_order(world, tmp_path):
    crew = crew_of(world, size=8)
    activity = crew.activity(max_people=3)
    keys = [f"v{i}" for i in range(1, 9)]

    def sign_up(i: int):
        return services.signup_create(resident=crew.residents[keys[i]], activity_id=activity.pk)

    with shared_database(tmp_path):
        outcomes = simultaneously(sign_up, len(keys))
        assert not [o for o in outcomes if isinstance(o, Exception)]
        taken, states = in_thread(lambda: _state(activity.pk))
        assert taken == 3 and states.count(rules.CONFIRMED) == 3 and states.count(rules.WAITING) == 5
        # the first three places taken, whatever the order the threads came in: the rest wait in id order
        assert states == [rules.CONFIRMED] * 3 + [rules.WAITING] * 5

        confirmed = [o for o in outcomes if o.state == rules.CONFIRMED]

        def withdraw(i: int):
            signup = confirmed[i]
            resident = next(r for r in crew.residents.values() if r.person_id == signup.volunteer.person_id)
            return services.signup_withdraw(resident=resident, signup_id=signup.pk)

        outcomes = simultaneously(withdraw, 2)
        assert not [o for o in outcomes if isinstance(o, Exception)]
        taken, states = in_thread(lambda: _state(activity.pk))
        # two places freed at once went to the two first waiting, and the activity is full again
        assert taken == 3
        assert states[3:] == [rules.CONFIRMED, rules.CONFIRMED, rules.WAITING, rules.WAITING, rules.WAITING]


@pytest.mark.django_db
def test_the_cutoff_job_runs_under_its_lease(crew):
    activity = crew.activity(min_people=2)
    Activity.objects.filter(pk=activity.pk).update(signup_until=activity.starts_at - timedelta(days=3))
    job = jobs.BY_NAME["activities_cutoff"]
    assert (
        ops.job_run(name=job.name, work=job.work, lease=job.lease) == "报名截止人数不足：取消 1 个志愿活动，标记 0 个"
    )
    assert (
        ops.job_run(name=job.name, work=job.work, lease=job.lease) == "报名截止人数不足：取消 0 个志愿活动，标记 0 个"
    )
