"""The demo's 公益捐助: a finished drive of the community and one under way of the street, through the services:
both ledgers reconcile, the finished one is closed, the other has a disbursement awaiting the district."""

import pytest
from django.utils import timezone

from linli.demo import donations
from linli.donations import rules, selectors
from linli.donations.models import Disbursement, Drive
from linli.testing import factories

pytestmark = pytest.mark.django_db


def test_two_drives_with_receipts_and_disbursements(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for i in range(4):
        factories.person(world.grid_a1, name=f"居民{i}", phone=f"1390000{i:04d}")
    lines = donations.build(now=timezone.now(), seed=7)
    assert len(lines) == 2
    fire, winter = Drive.objects.order_by("pk")
    assert (fire.state, winter.state) == (rules.CLOSED, rules.OPEN)
    for drive in (fire, winter):
        book = selectors.ledger(drive)
        assert rules.reconciles(book) and book.balance == drive.balance and len(book.lines) > 20
    assert fire.beneficiaries.count() == 2 and fire.beneficiaries.filter(person__isnull=False).count() == 2
    assert Disbursement.objects.filter(drive=fire, state=rules.REFUSED).count() == 1
    assert Disbursement.objects.filter(drive=winter, state=rules.ASKED).count() == 1
    assert fire.received_goods > 0 and fire.balance.goods == 0
