from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from linli.committees import services
from linli.committees.models import CommitteeReminder
from linli.notifications.models import Message
from linli.ops import jobs
from linli.ops import services as ops_services

from .town import form, places


@pytest.fixture
def town(world):
    return places(world)


def _messages(user):
    return list(Message.objects.filter(user=user, template="committees.reelection").values_list("title", "body"))


def test_each_reminder_goes_once_to_the_communitys_workers(world, town):
    worker, other = world.users["community_worker"], world.users["community_worker2"]
    committee = form(worker, town["in"], formed_on=date(2021, 6, 1))  # the term ends on 1 June 2026
    assert services.reminders_send(today=date(2025, 11, 30)) == 0
    assert services.reminders_send(today=date(2025, 12, 1)) == 1
    assert services.reminders_send(today=date(2025, 12, 1)) == 0  # run twice: told once
    assert services.reminders_send(today=date(2026, 1, 15)) == 0
    assert _messages(worker) == [
        (
            "业主委员会换届提醒：甲一花园",
            "甲一花园业主委员会任期将于2026年6月1日届满（已进入届满前6个月），请指导做好换届选举工作。",
        )
    ]
    assert services.reminders_send(today=date(2026, 3, 1)) == 1
    assert services.reminders_send(today=date(2026, 6, 2)) == 1
    assert services.reminders_send(today=date(2026, 6, 2)) == 0
    assert len(_messages(worker)) == 3
    assert _messages(other) == [] and _messages(world.users["street_staff"]) == []
    assert sorted(CommitteeReminder.objects.filter(committee=committee).values_list("months", flat=True)) == [0, 3, 6]


def test_a_late_run_sends_the_nearest_reminder_only_and_a_new_committee_none(world, town):
    worker = world.users["community_worker"]
    form(worker, town["in"], formed_on=date(2021, 6, 1))
    assert services.reminders_send(today=date(2026, 4, 1)) == 1
    assert "已进入届满前3个月" in _messages(worker)[0][1]
    form(worker, town["in"], formed_on=date(2026, 5, 20))  # re-elected: the new term is five years off
    assert services.reminders_send(today=date(2026, 6, 2)) == 0


def test_the_daily_job_is_scheduled_and_idempotent(world, town):
    today = timezone.localdate()
    form(world.users["community_worker"], town["in"], formed_on=today - relativedelta(years=5, months=-2))
    job = jobs.BY_NAME["committees_reelection"]
    for told in (1, 0):  # what jobs.fire runs, in the test's transaction
        assert (
            ops_services.job_run(name=job.name, work=job.work, lease=job.lease) == f"提醒 {told} 个临近换届的业主委员会"
        )
    assert len(_messages(world.users["community_worker"])) == 1
