"""Reads in scope: what a level sees of index systems (its subtree's and the levels above), the units a round may
assess, and the round report shared by the round page and the API."""

from linli.accounts.scope import subtree_or_above_q
from linli.assessment import rules, selectors, services, standard
from linli.assessment.models import Scheme
from linli.regions.models import Region

from .conftest import play, star_scores


def test_a_community_sees_the_schemes_of_its_street_and_district_not_of_another_street(a):
    scheme_b = services.scheme_create(user=a.extra["street_staff_b"], data={**standard.keypoint_scheme(), "key": ""})
    seen_from = {
        node: set(Scheme.objects.filter(subtree_or_above_q(node.path, "region")))
        for node in (a.world.community_b1, a.world.community_a1, a.world.district)
    }
    assert seen_from[a.world.community_b1] == {a.star, a.keypoint, scheme_b}
    assert seen_from[a.world.community_a1] == {a.star, a.keypoint}
    assert seen_from[a.world.district] == {a.star, a.keypoint, scheme_b}


def test_the_units_a_street_may_assess_are_its_own(a):
    units = selectors.unit_regions(user=a.users["street_staff"])
    assert list(units) == list(
        Region.objects.filter(pk__in=[a.world.street_a.pk, a.world.community_a1.pk, a.world.community_a2.pk])
        .order_by("path")
    )  # fmt: skip


def test_the_round_report_counts_the_whole_round_and_shows_the_users_units(a):
    play(a, a.a1, 9)
    report = selectors.round_report(user=a.users["street_staff"], pk=a.round.pk)
    assert (report.unit_count, report.waiting, report.can_confirm) == (3, 2, False)
    assert [r.unit for r in report.results] == [a.a1, a.a2]
    assert report.results[0].actions == [(s, rules.STAGE_LABELS[s], False) for s in rules.STAGES]
    assert report.results[1].actions == [(rules.SELF, "自评", False)]
    district = selectors.round_report(user=a.users["district_staff"], pk=a.round.pk)
    assert district.can_confirm and district.results[0].actions[-1] == (rules.CONFIRM, "认定", True)


def test_the_unit_sees_a_link_to_a_reviewers_sheet_once_it_is_submitted(a):
    """复核 under way: the community worker is not offered the district's sheet, which would answer 403."""
    play(a, a.a1, 9, until=rules.RECHECK)
    worker = a.users["community_worker"]
    stages = [s for s, _label, _scoring in selectors.round_report(user=worker, pk=a.round.pk).results[0].actions]
    assert stages == [rules.SELF, rules.FIRST]
    district = a.users["district_staff"]
    sheet = a.a1.sheets.get(stage=rules.RECHECK)
    sheet = services.sheet_save(user=district, unit_id=a.a1.pk, stage=rules.RECHECK, version=sheet.version,
                                scores=star_scores(a.star, 8))  # fmt: skip
    services.sheet_submit(user=district, unit_id=a.a1.pk, stage=rules.RECHECK, version=sheet.version)
    stages = [s for s, _label, _scoring in selectors.round_report(user=worker, pk=a.round.pk).results[0].actions]
    assert stages == [rules.SELF, rules.FIRST, rules.RECHECK]


def test_the_standard_schemes_are_offered_where_none_is_in_force_at_or_above_the_organiser(world):
    assert selectors.offers_install(world.users["street_staff"])
    assert not selectors.offers_install(world.users["community_worker"])  # not an organiser
    services.standard_schemes_install(region=world.district)
    assert not selectors.offers_install(world.users["street_staff"])  # the district's serve the street
    assert not selectors.offers_install(world.users["admin"])  # no region of their own: the command installs
