"""The demo's 调查与普查: a census of the demo street in progress with every clean-up list holding rows and some
re-checks, and a finished enterprise survey with its re-check."""

from datetime import date

import pytest
from django.utils import timezone

from linli.demo import surveys
from linli.organizations.models import Organization
from linli.people.models import Estate, Household
from linli.surveys import rules
from linli.surveys.models import Finding, Recheck, Response, Survey
from linli.testing import factories

pytestmark = pytest.mark.django_db


def _street(world, households=40):
    """Households of two or three people in 甲一社区's estate, three buildings."""
    estate = Estate.objects.create(region=world.community_a1, name="甲一小区")
    for n in range(households):
        house = factories.house(world.grid_a1, estate, building=str(n % 3 + 1), number=str(101 + n))
        household = Household.objects.create(number=f"A1-{n:04}", house=house, grid=world.grid_a1)
        head = factories.person(world.grid_a1, household, name=f"张{n}", relationship="head")
        factories.person(world.grid_a1, household, name=f"李{n}", female=True, relationship="spouse")
        if n % 2:
            factories.person(world.grid_a1, household, name=f"张小{n}", birth=date(2012, 3, 1), relationship="child")
        household.head = head
        household.save(update_fields=["head"])


def test_a_census_in_progress_and_a_finished_enterprise_survey(world):
    _street(world)
    surveys.build(now=timezone.now())
    census = Survey.objects.get(kind=rules.CENSUS)
    assert census.state == rules.RUNNING and census.areas.exists()
    units = census.frame.frame_units
    done = units.filter(state=rules.DONE).count()
    assert 0.3 < done / units.count() < 0.9
    assert units.filter(form_role=rules.LONG).exists()
    kinds = set(Finding.objects.filter(survey=census).values_list("kind", flat=True))
    assert kinds == {"missed", "unregistered", "separated", "no_hukou", "deregister"}
    assert Recheck.objects.filter(response__unit__frame__survey=census, items_wrong=1).exists()
    enterprise = Survey.objects.get(kind=rules.UNITS)
    assert enterprise.state == rules.FINISHED
    assert Response.objects.filter(unit__frame__survey=enterprise).count() == enterprise.frame.units > 20
    recheck = Recheck.objects.get(response__unit__frame__survey=enterprise)
    assert recheck.items_wrong == 1 and recheck.checked_by.username == "district_staff"
    assert (
        enterprise.frame.units
        == Organization.objects.filter(kind="enterprise", occupational_hazard=True)
        .exclude(registered_on__gt=enterprise.registered_before)
        .count()
    )
