"""The demo's 居委会证明: the default list, a year of certificates with serials per community and year, some revoked,
some refused (in and outside the list), and a few waiting in the demo community worker's queue."""

import pytest
from django.utils import timezone

from linli.certificates import rules
from linli.certificates.models import Application, Certificate, Matter
from linli.demo import certificates
from linli.testing import factories

pytestmark = pytest.mark.django_db


def test_a_year_of_certificates(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for i, grid in enumerate((world.grid_a1, world.grid_a2, world.grid_b1) * 3):
        factories.person(grid, name=f"居民{i}", phone=f"1390000{i:04d}")
    (line,) = certificates.build(now=timezone.now(), seed=7)
    assert Matter.objects.count() == 15
    issued = Certificate.objects.all()
    assert 400 < issued.count() < 600 and issued.filter(revoked_at__isnull=False).exists()
    assert len(set(issued.values_list("serial", flat=True))) == issued.count()
    assert Application.objects.filter(state=rules.REFUSED, matter__isnull=True).exists()
    assert Application.objects.filter(state=rules.REFUSED, matter__isnull=False).exists()
    assert Application.objects.filter(state=rules.SUBMITTED, community=world.community_a1).count() == 3  # six at most
    assert certificates.build(now=timezone.now(), seed=7) == ["居委会证明：已有证明申请，跳过"]
    assert "份已出具" in line
