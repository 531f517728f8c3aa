import pytest

from linli.accounts.models import User
from linli.audit.models import AuditEntry
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.residents import access
from linli.residents.account import rules, services
from linli.residents.models import Consent, Resident
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors

pytestmark = pytest.mark.django_db

PHONE = "13912340001"


@pytest.mark.parametrize(
    "accepted, current, asked",
    [(set(), "2026-12", True), ({"2026-12"}, "2026-12", False), ({"2026-12"}, "2027-06", True),
     ({"2026-12", "2027-06"}, "2027-06", False)],
)  # fmt: skip
def test_a_new_version_asks_again(accepted, current, asked):
    assert rules.needs_consent(accepted, current) is asked


def test_the_notice_in_force_has_its_text():
    from django.template.loader import get_template

    assert "个人信息保护法" in get_template(rules.NOTICE_TEMPLATE).render({})


def test_the_portal_waits_for_the_notice_in_force(client, monkeypatch):
    r = factories.resident(PHONE)
    client.force_login(r.user)
    assert client.get("/portal/").status_code == 200
    # A new text: asked again before anything else, the account and the notice itself still open.
    monkeypatch.setattr(rules, "NOTICE_VERSION", "2027-06")
    response = client.get("/portal/")
    assert response.status_code == 302 and response.url.startswith("/portal/privacy/")
    assert client.get("/portal/account/").status_code == 200
    assert client.get("/portal/privacy/").status_code == 200
    with pytest.raises(PermissionDenied, match="告知书"):
        access.consent_check(r.user)
    client.post("/portal/privacy/", {"version": "2027-06", "agree": "on"})
    assert client.get("/portal/").status_code == 200
    access.consent_check(r.user)
    assert set(Consent.objects.filter(resident=r).values_list("version", flat=True)) == {"2026-12", "2027-06"}


def test_agreeing_needs_the_box_ticked_and_the_version_shown(client):
    r = factories.resident(PHONE, consent=False)
    client.force_login(r.user)
    response = client.post("/portal/privacy/", {"version": "2026-12"})
    assert response.status_code == 400 and "请勾选同意" in response.content.decode()
    response = client.post("/portal/privacy/", {"version": "2025-01", "agree": "on"})
    assert response.status_code == 400 and "告知书已更新" in response.content.decode()
    assert not Consent.objects.exists()


def test_anyone_may_read_the_notice(client):
    response = client.get("/portal/privacy/")
    assert response.status_code == 200 and "同意并继续" not in response.content.decode()
    assert client.post("/portal/privacy/", {"version": "2026-12", "agree": "on"}).status_code == 302  # to sign in
    assert not Consent.objects.exists()


def test_the_api_records_consent_and_refuses_a_stale_version():
    r = factories.resident(PHONE, consent=False)
    api = ApiClient(r.user)
    assert api.get("/portal/account").json()["consented_at"] is None
    response = api.post("/portal/account/consent", {"version": "2025-01"})
    assert response.status_code == 400 and "version" in field_errors(response)
    body = api.post("/portal/account/consent", {"version": "2026-12"}).json()
    assert body["consented_at"] and body["notice_version"] == "2026-12" and body["phone"] == "139****0001"


def test_the_account_page_shows_the_phone_masked_and_the_consent(client):
    r = factories.resident(PHONE)
    client.force_login(r.user)
    body = client.get("/portal/account/").content.decode()
    assert "139****0001" in body and PHONE not in body and "版本 2026-12" in body and "注销账号" in body


def test_deleting_the_account_needs_a_confirmation(client):
    r = factories.resident(PHONE)
    client.force_login(r.user)
    assert client.post("/portal/account/delete/", {}).status_code == 400
    with pytest.raises(ValidationFailed):
        services.account_delete(resident=r, confirm=False)
    assert Resident.objects.filter(pk=r.pk).exists()


def test_deleting_the_account_removes_it_and_keeps_the_cases(client, world):
    factories.install_case_catalogue(world)
    case = factories.case(world.grid_a1, reporter_phone=PHONE)
    person = factories.person(world.grid_a1, phone=PHONE)
    r = factories.resident(PHONE, person)
    client.force_login(r.user)
    response = client.post("/portal/account/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response.url == "/portal/login/"
    assert not Resident.objects.filter(pk=r.pk).exists() and not User.objects.filter(pk=r.pk).exists()
    assert not Consent.objects.exists()
    case.refresh_from_db()
    assert case.reporter_phone == PHONE
    person.refresh_from_db()  # the registry keeps the person
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_DELETE)
    assert (entry.actor, entry.object_ids) == (None, [r.pk])
    # Signed out; the same phone would open a new account.
    assert client.get("/portal/").status_code == 302


def test_the_api_deletes_the_account():
    r = factories.resident(PHONE)
    api = ApiClient(r.user)
    assert api.post("/portal/account/delete", {"confirm": False}).status_code == 400
    assert api.post("/portal/account/delete", {"confirm": True}).status_code == 204
    assert not User.objects.filter(pk=r.pk).exists()
    assert api.get("/portal/account").status_code == 401
