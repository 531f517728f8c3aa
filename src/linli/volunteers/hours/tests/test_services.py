"""Stars, leaderboards and certificates: the district's scheme, periods from the confirmation time, certificates
valid, forged and revoked."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from linli.audit.models import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.volunteers.hours import rules, selectors, services
from linli.volunteers.registry.tests.place import credit

BEIJING = [100, 200, 500, 800, 1000]


def test_a_district_sets_its_stars_and_the_cards_follow(place):
    w, va = place.world, place.va
    credit(va, "24")
    for _ in range(20):
        va.hours += 24  # 504 h without 20 more activities: only the card's arithmetic is tested here
    assert selectors.card(va).stars == 2  # 504 h: national 二星 (300)
    scheme = services.star_scheme_set(user=w.users["district_staff"], region_id=w.district.pk, thresholds=BEIJING)
    assert scheme.version == 1 and selectors.thresholds_for(w.community_a1) == tuple(BEIJING)
    card = selectors.card(va)
    assert (card.stars, card.to_next) == (3, Decimal(296))  # Beijing's 三星 at 500, 四星 at 800
    with pytest.raises(Conflict):
        services.star_scheme_set(user=w.users["admin"], region_id=w.district.pk, thresholds=BEIJING, version=0)
    assert AuditEntry.objects.filter(object_type="volunteers.starscheme").count() == 1


def test_only_the_district_sets_stars_and_only_five_increasing(place):
    w = place.world
    with pytest.raises(PermissionDenied):
        services.star_scheme_set(user=w.users["street_staff"], region_id=w.district.pk, thresholds=BEIJING)
    with pytest.raises(Http404):  # a street is no district
        services.star_scheme_set(user=w.users["admin"], region_id=w.street_a.pk, thresholds=BEIJING)
    with pytest.raises(ValidationFailed):
        services.star_scheme_set(user=w.users["admin"], region_id=w.district.pk, thresholds=[100, 50, 600, 9, 1])


def test_leaderboards_count_the_hours_confirmed_in_the_period(place):
    w, va, vb = place.world, place.va, place.vb
    now = timezone.now()
    credit(va, "3", when=now)
    credit(va, "20", when=now - timedelta(days=400))  # last year's: only all-time
    credit(vb, "5", when=now)
    board = selectors.leaderboard(user=w.users["admin"], period="month")
    assert [(r.name, r.hours) for r in board] == [("李远方", Decimal(5)), ("张志愿", Decimal(3))]
    board = selectors.leaderboard(user=w.users["admin"], period="all")
    assert [(r.rank, r.name, r.hours) for r in board] == [(1, "张志愿", Decimal(23)), (2, "李远方", Decimal(5))]
    street = selectors.leaderboard(user=w.users["street_staff"], period="month")  # 甲街道 sees 甲一社区 only
    assert [r.name for r in street] == ["张志愿"]
    one = selectors.leaderboard(user=w.users["admin"], period="year", region_id=w.community_b1.pk)
    assert [r.name for r in one] == ["李远方"]


def test_the_leaderboard_reads_a_constant_number_of_queries(place, django_assert_max_num_queries):
    for i in range(6):
        credit(place.va if i % 2 else place.vb, "2")
    with django_assert_max_num_queries(3):
        selectors.leaderboard(user=place.world.users["admin"], period="quarter")


def test_a_certificate_states_the_hours_and_stars_and_verifies(place):
    w, va = place.world, place.va
    with pytest.raises(ValidationFailed):  # no confirmed hours yet
        services.certificate_issue(user=place.worker, volunteer_id=va.pk)
    credit(va, "12.5")
    cert = services.certificate_issue(user=place.worker, volunteer_id=va.pk)
    year = timezone.localdate().year
    assert cert.serial == f"ZYSC-{year}-210103-000001" and cert.hours == Decimal("12.5") and cert.stars == 0
    second = services.certificate_issue(user=w.users["street_staff"], volunteer_id=va.pk)
    assert second.serial.endswith("000002") and second.code != cert.code
    result = selectors.verify(rules.shown_code(cert.code).lower())
    assert result.verdict == rules.VALID and result.masked_name == "张*愿"


def test_forged_and_revoked_certificates_say_so(place):
    va = place.va
    credit(va, "8")
    cert = services.certificate_issue(user=place.worker, volunteer_id=va.pk)
    forged = cert.code[:-1] + ("A" if cert.code[-1] != "A" else "B")
    assert selectors.verify(forged).verdict == rules.UNKNOWN
    assert selectors.verify("<script>alert(1)</script>").verdict == rules.UNKNOWN
    with pytest.raises(ValidationFailed):
        services.certificate_revoke(user=place.worker, certificate_id=cert.pk, reason="  ")
    services.certificate_revoke(user=place.worker, certificate_id=cert.pk, reason="时长录入有误")
    result = selectors.verify(cert.code)
    assert result.verdict == rules.REVOKED and result.certificate.revoke_reason == "时长录入有误"
    with pytest.raises(Conflict):
        services.certificate_revoke(user=place.worker, certificate_id=cert.pk, reason="再次")
    assert AuditEntry.objects.filter(object_type="volunteers.certificate").count() == 2


def test_only_offices_keeping_the_file_issue_and_revoke(place):
    w = place.world
    credit(place.vb, "8")
    with pytest.raises(Http404):
        services.certificate_issue(user=place.worker, volunteer_id=place.vb.pk)
    cert = services.certificate_issue(user=w.users["admin"], volunteer_id=place.vb.pk)
    with pytest.raises(Http404):
        services.certificate_revoke(user=w.users["street_staff"], certificate_id=cert.pk, reason="x")


def test_history_lists_the_latest_hours_first(place):
    now = timezone.now()
    credit(place.va, "2", when=now - timedelta(days=3), title="敬老院探访")
    credit(place.va, "4", when=now, title="文明交通劝导")
    assert [c.activity.title for c in selectors.history(place.va)] == ["文明交通劝导", "敬老院探访"]
