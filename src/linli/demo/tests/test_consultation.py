"""The demo's 议事协商: every state of a proposal in each community with residents, a published poll, one that missed
its quorum, and an open poll the demo phone's person may vote on once bound."""

import pytest
from django.utils import timezone

from linli.consultation import selectors
from linli.consultation.models import Poll, Proposal
from linli.consultation.tests.town import town_of
from linli.core.pii import lookup_hash
from linli.demo import consultation
from linli.demo.binding import DEMO_PHONE
from linli.people.models import Person

pytestmark = pytest.mark.django_db


def test_proposals_in_every_state_and_polls_open_and_published(world):
    town = town_of(world)
    demo = town.places["a1"].person
    Person.objects.filter(pk=demo.pk).update(phone_hash=lookup_hash(DEMO_PHONE))
    consultation.build(now=timezone.now())
    assert set(Proposal.objects.values_list("status", flat=True)) == {"submitted", "accepted", "declined"}
    assert Proposal.objects.filter(status="declined").exclude(reason="").exists()
    published = Poll.objects.get(status="published")
    assert published.ballots.exists() and published.eligible > 0
    opened = Poll.objects.get(status="open")
    assert opened.proposal.estate_id == town.places["a1"].estate.pk
    assert selectors.takes_part(town.residents["a1"], opened.proposal)  # a1 is bound to the demo phone's person
