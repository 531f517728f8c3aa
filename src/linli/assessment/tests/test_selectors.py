"""Reads in scope: index systems and rounds are seen by their region's subtree and by the levels above it; the units a
round may assess are the streets and communities of the organiser's subtree."""

from linli.accounts.scope import subtree_or_above_q
from linli.assessment import selectors, services, standard
from linli.assessment.models import Scheme
from linli.regions.models import Region


def test_a_scheme_is_seen_below_and_above_its_region_and_not_beside_it(a):
    street_b = a.extra["street_staff_b"]
    scheme_b = services.scheme_create(user=street_b, data={**standard.keypoint_scheme(), "key": ""})
    readers = ("admin", "district_staff", "street_staff", "community_worker")
    seen = {p: set(selectors.scheme_queryset(user=a.users[p]).values_list("pk", flat=True)) for p in readers}
    assert scheme_b.pk in seen["district_staff"] and scheme_b.pk in seen["admin"]  # above
    assert scheme_b.pk not in seen["street_staff"] and scheme_b.pk not in seen["community_worker"]  # beside
    assert a.star.pk in seen["community_worker"]  # the district's, from below
    assert set(Scheme.objects.filter(subtree_or_above_q(a.world.community_b1.path, "region"))) == {
        a.star, a.keypoint, scheme_b
    }  # fmt: skip


def test_the_units_a_street_may_assess_are_its_own(a):
    units = selectors.unit_regions(user=a.users["street_staff"])
    assert list(units) == list(
        Region.objects.filter(pk__in=[a.world.street_a.pk, a.world.community_a1.pk, a.world.community_a2.pk])
        .order_by("path")
    )  # fmt: skip
