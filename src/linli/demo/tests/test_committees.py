"""The demo's 业主委员会 and 红色物业: committees of owners in part of the estates, two near re-election in the demo
worker's community, one estate with an earlier term, Party organisations and cross-office holdings."""

from datetime import datetime

import pytest
from django.utils import timezone

from linli.committees import rules, selectors
from linli.committees.models import Committee, CrossOffice, PartyOrganization
from linli.committees.tests.town import place, places
from linli.demo import committees

pytestmark = pytest.mark.django_db


def test_committees_of_owners_two_near_re_election_and_red_property(world):
    places(world)
    for name in ("甲一雅苑", "甲一新村"):  # three estates in the demo worker's community
        place(world, world.community_a1, world.grid_a1b, name)
    now = timezone.make_aware(datetime(2026, 12, 6, 8))
    lines = committees.build(now=now)
    current = Committee.objects.filter(ended_on__isnull=True)
    near = [c for c in current if rules.reminder_due(c.term_ends, now.date()) is not None]
    assert [c.region for c in near] == [world.community_a1] * 2
    assert sorted(rules.reminder_due(c.term_ends, now.date()) for c in near) == [3, 6]
    assert Committee.objects.filter(ended_on__isnull=False).count() == 1
    for c in Committee.objects.prefetch_related("members"):
        people = [m.person_id for m in c.members.all()]
        assert rules.member_errors([m.role for m in c.members.all()], people) == []
        assert selectors.owner_ids(c.estate_id, people) == set(people)
    assert PartyOrganization.objects.filter(host=rules.COMPANY).exists()
    assert CrossOffice.objects.exists()
    assert lines[0].startswith(f"{current.count()} 个业主委员会")
