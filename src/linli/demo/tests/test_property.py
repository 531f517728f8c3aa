"""The demo's 物业监管: about thirty companies whose scores fall in every grade, every estate with a status kept with
its company, a project on every served estate, and the demo company's bad records linked to the complaints it
answered."""

import pytest
from django.utils import timezone

from linli.demo import property as demo_property
from linli.people.models import Estate
from linli.property import selectors
from linli.property.models import CreditRecord, Project
from linli.testing import factories

pytestmark = pytest.mark.django_db


def test_companies_estates_projects_and_grades(world):
    factories.install_case_catalogue(world)
    for n, (community, grid) in enumerate(((world.community_a1, world.grid_a1), (world.community_a2, world.grid_a2),
                                           (world.community_b1, world.grid_b1)) * 3):  # fmt: skip
        estate = Estate.objects.create(region=community, name=f"小区{n}")
        factories.house(grid, estate, number="101")
    now = timezone.now()
    lines = demo_property.build(seed=7, now=now)
    assert len(lines) == 3
    assert len(selectors.ranking(year=now.year)) == demo_property.COMPANY_COUNT
    assert all(selectors.grade_counts(selectors.ranking(year=now.year)).values())  # every grade has companies
    served = Estate.objects.filter(management="professional")
    assert set(Project.objects.filter(ended_at__isnull=True).values_list("estate", flat=True)) == set(
        served.values_list("pk", flat=True)
    )
    assert Project.objects.filter(preliminary=True).count() == served.count()  # each estate's first project
    company = world.users["company_staff"].organization
    linked = CreditRecord.objects.filter(company=company, case__isnull=False)
    assert linked.count() == len(demo_property.COMPLAINTS)
    assert set(linked.values_list("case__state", flat=True)) == {"closed"}
    assert all(c.pk in set(selectors.complaint_cases(company).values_list("pk", flat=True))
               for c in [r.case for r in linked])  # fmt: skip
