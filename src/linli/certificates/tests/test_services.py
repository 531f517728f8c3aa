from datetime import timedelta

import pytest
from django.utils import timezone

from linli.audit.models import AuditEntry
from linli.certificates import rules, selectors, services
from linli.certificates.models import Application, Certificate, Evidence, Matter
from linli.core.errors import Conflict, PermissionDenied, TooManyRequests, ValidationFailed

from .conftest import fields, pdf, window

pytestmark = pytest.mark.django_db


def test_default_matters_are_added_once(world, place):
    assert Matter.objects.filter(district=world.district).count() == 15
    assert services.ensure_default_matters(district=world.district) == 0


def test_the_window_takes_an_application_with_its_evidence_and_promise(world, place):
    app = window(world, place)
    assert app.state == rules.SUBMITTED and app.via == rules.WINDOW and app.community == world.community_a1
    assert app.promised_at is not None and app.asked == "居住情况证明"
    assert sorted(Evidence.objects.filter(application=app).values_list("kind", flat=True)) == [
        "hukou", "id_card", "support"]  # fmt: skip
    assert AuditEntry.objects.filter(object_type="certificates.application", object_ids=[app.pk]).exists()


def test_an_application_without_id_household_register_or_promise_is_refused(world, place):
    with pytest.raises(ValidationFailed) as exc:
        window(world, place, id_card=[], hukou=[], promised=False, article="")
    assert {e.field for e in exc.value.errors} == {"id_card", "hukou", "promised", "article"}
    assert not Application.objects.exists()


def test_a_forged_file_is_refused(world, place):
    from django.core.files.base import ContentFile

    with pytest.raises(ValidationFailed) as exc:
        window(world, place, id_card=[ContentFile(b"MZ\x90\x00 not a scan", name="身份证.pdf")])
    assert [e.field for e in exc.value.errors] == ["id_card"]


def test_only_the_persons_community_takes_it(world, place):
    with pytest.raises(PermissionDenied):
        window(world, place, user="street_staff")  # the street reads the registry but holds no seal
    with pytest.raises(ValidationFailed):
        window(world, place, user="community_worker2")  # 甲二社区: 甲一社区's person is not in its registry
    with pytest.raises(ValidationFailed):
        window(world, place, person=place.person_b)  # 乙一社区


def test_a_request_outside_the_list_is_refused_with_who_issues_it(world, place):
    app = services.portal_apply(resident=place.resident_a, **fields(None, asked="无犯罪记录证明"))
    assert app.state == rules.REFUSED and app.matter is None and "公安机关" in app.decision_note
    assert not Evidence.objects.filter(application=app).exists()


def test_a_matter_taken_off_the_list_cannot_be_asked(world, place):
    m = place.residence
    services.matter_update(user=world.users["district_staff"], matter_id=m.pk, version=m.version, name=m.name,
                           basis=m.basis, wording=m.wording, active=False)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        window(world, place)
    assert exc.value.errors[0].field == "matter_id"


def test_only_the_district_keeps_the_list(world, place):
    m = place.residence
    with pytest.raises(PermissionDenied):
        services.matter_update(user=world.users["street_staff"], matter_id=m.pk, version=m.version, name="x",
                               basis="y", wording="z")  # fmt: skip
    with pytest.raises(Conflict):
        services.matter_update(user=world.users["district_staff"], matter_id=m.pk, version=m.version + 1,
                               name=m.name, basis=m.basis, wording=m.wording)  # fmt: skip
    added = services.matter_create(user=world.users["district_staff"], district_id=world.district.pk,
                                   name="其他依法证明", basis="某条例第三条", wording="经核实")  # fmt: skip
    assert added.order == 16


def test_issue_gives_a_serial_per_community_and_year_and_a_code(world, place):
    worker = world.users["community_worker"]
    first, second = window(world, place), window(world, place)
    c1 = services.application_issue(user=worker, application_id=first.pk, version=first.version)
    c2 = services.application_issue(user=worker, application_id=second.pk, version=second.version,
                                    statement="经核实，该居民自2020年起实际居住在本社区")  # fmt: skip
    year = timezone.localdate().year
    assert (c1.serial, c2.serial) == (f"210103001001-{year}-0001", f"210103001001-{year}-0002")
    assert c1.statement == place.residence.wording and c1.code != c2.code
    first.refresh_from_db()
    assert first.state == rules.ISSUED and first.decided_by == worker
    with pytest.raises(Conflict):  # decided already
        services.application_refuse(user=worker, application_id=first.pk, version=None, note="x")


def test_a_stale_version_is_a_conflict_and_offices_above_do_not_hold_the_seal(world, place):
    app = window(world, place)
    with pytest.raises(Conflict):
        services.application_issue(user=world.users["community_worker"], application_id=app.pk, version=9)
    with pytest.raises(PermissionDenied):
        services.application_issue(user=world.users["street_staff"], application_id=app.pk, version=app.version)


def test_refuse_needs_a_reason(world, place):
    app = window(world, place)
    worker = world.users["community_worker"]
    with pytest.raises(ValidationFailed):
        services.application_refuse(user=worker, application_id=app.pk, version=app.version, note=" ")
    done = services.application_refuse(user=worker, application_id=app.pk, version=app.version, note="依据条款不明确")
    assert done.state == rules.REFUSED and done.decision_note == "依据条款不明确"


def test_the_resident_applies_and_withdraws(world, place):
    app = services.portal_apply(resident=place.resident_a, **fields(place.residence))
    assert app.via == rules.PORTAL and app.created_by == place.resident_a.user
    assert list(selectors.own_applications(place.resident_a.person_id)) == [app]
    assert not selectors.own_applications(place.resident_b.person_id).exists()
    services.portal_withdraw(resident=place.resident_a, application_id=app.pk)
    with pytest.raises(Conflict):
        services.portal_withdraw(resident=place.resident_a, application_id=app.pk)


def _issued(world, place) -> Certificate:
    app = window(world, place)
    return services.application_issue(user=world.users["community_worker"], application_id=app.pk,
                                      version=app.version)  # fmt: skip


def test_valid_forged_and_revoked_codes(world, place):
    cert = _issued(world, place)
    ok = services.verify(ip="10.0.0.1", code=rules.shown_code(cert.code).lower())
    assert ok.verdict == rules.VALID and ok.masked_name == "王*明"
    forged = "".join(reversed(cert.code))
    assert services.verify(ip="10.0.0.1", code=forged).verdict == rules.UNKNOWN
    assert services.verify(ip="10.0.0.1", code="<script>").verdict == rules.UNKNOWN
    services.certificate_revoke(user=world.users["community_worker"], certificate_id=cert.pk, reason="冒用")
    assert services.verify(ip="10.0.0.1", code=cert.code).verdict == rules.REVOKED
    with pytest.raises(Conflict):
        services.certificate_revoke(user=world.users["community_worker"], certificate_id=cert.pk, reason="再次")


def test_only_the_issuing_community_revokes(world, place):
    cert = _issued(world, place)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(user=world.users["district_staff"], certificate_id=cert.pk, reason="x")


def test_wrong_codes_are_capped_per_address_for_an_hour(world, place):
    cert = _issued(world, place)
    now = timezone.now()
    for _ in range(rules.FAILURES_PER_HOUR):
        services.verify(ip="10.0.0.9", code="ZZZZZZZZZZZZ", now=now)
    with pytest.raises(TooManyRequests):  # the right code too: a guesser learns nothing more
        services.verify(ip="10.0.0.9", code=cert.code, now=now)
    assert services.verify(ip="10.0.0.8", code=cert.code, now=now).verdict == rules.VALID
    later = now + timedelta(hours=1, seconds=1)
    assert services.verify(ip="10.0.0.9", code=cert.code, now=later).verdict == rules.VALID


def test_unbound_residents_cannot_apply(world, place):
    from linli.testing import factories

    unbound = factories.resident("13800000019")
    with pytest.raises(PermissionDenied):
        services.portal_apply(resident=unbound, **fields(place.residence, id_card=[pdf("x.pdf")]))
