"""The sign-in page and its API, with the authorization rows of the portal's sign-in and account endpoints."""

import re

import pytest

from linli.notifications.models import OutboxSms
from linli.residents.models import Resident
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors
from linli.testing.authz import Endpoint, statuses, uncovered

pytestmark = pytest.mark.django_db

PHONE = "13912340001"


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Runs a request with the SMS it queues delivered; answers (response, the code sent or None)."""

    def run(call):
        before = set(OutboxSms.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        new = [s.text for s in OutboxSms.objects.exclude(pk__in=before)]
        return response, (re.search(r"\d{6}", new[0]).group() if new else None)

    return run


def test_sign_in_on_the_page_lands_on_the_notice_then_home(client, delivered):
    page = client.get("/portal/login/")
    assert page.status_code == 200 and "获取验证码" in page.content.decode()
    response, code = delivered(lambda: client.post("/portal/login/", {"phone": PHONE, "action": "send"}))
    assert response.status_code == 200 and "139****0001" in response.content.decode() and code
    response = client.post("/portal/login/", {"phone": PHONE, "code": code, "action": "login"})
    assert response.status_code == 302 and response.url == "/portal/"
    # No agreement to the notice yet: the portal sends the resident to it first.
    response = client.get("/portal/")
    assert response.status_code == 302 and response.url == "/portal/privacy/?next=%2Fportal%2F"
    notice = client.get(response.url)
    assert "个人信息保护告知书" in notice.content.decode() and "同意并继续" in notice.content.decode()
    response = client.post("/portal/privacy/", {"version": "2026-12", "agree": "on", "next": "/portal/"})
    assert response.status_code == 302 and response.url == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_a_wrong_code_is_shown_beside_the_field_and_the_phone_kept(client, delivered):
    _, code = delivered(lambda: client.post("/portal/login/", {"phone": PHONE, "action": "send"}))
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post("/portal/login/", {"phone": PHONE, "code": wrong, "action": "login"})
    body = response.content.decode()
    assert response.status_code == 400 and "验证码不正确" in body and f'value="{PHONE}"' in body
    assert Resident.objects.count() == 0


def test_the_page_answers_429_over_the_limit(client, delivered):
    delivered(lambda: client.post("/portal/login/", {"phone": PHONE, "action": "send"}))
    response, code = delivered(lambda: client.post("/portal/login/", {"phone": PHONE, "action": "send"}))
    assert response.status_code == 429 and "过于频繁" in response.content.decode() and code is None


def test_after_sign_in_the_page_goes_back_where_the_resident_was_headed(client, delivered):
    cases = [("/portal/account/", "/portal/account/"), ("https://evil.example/", "/portal/"), ("/persons/", "/portal/")]
    for i, (target, lands) in enumerate(cases):
        client.logout()
        phone = f"1391234010{i}"
        _, code = delivered(lambda phone=phone: client.post("/portal/login/", {"phone": phone, "action": "send"}))
        response = client.post("/portal/login/", {"phone": phone, "code": code, "next": target})
        assert response.url == lands


def test_signed_out_visitors_of_the_portal_are_sent_to_its_sign_in(client):
    response = client.get("/portal/account/")
    assert response.status_code == 302 and response.url == "/portal/login/?next=/portal/account/"


def test_the_api_signs_in_with_a_bearer_token(delivered):
    api = ApiClient()
    response, code = delivered(lambda: api.post("/portal/auth/code", {"phone": PHONE}))
    assert response.status_code == 200 and response.json()["valid_seconds"] == 300
    response = api.post("/portal/auth/login", {"phone": PHONE, "code": code})
    token = response.json()["token"]
    me = ApiClient()
    me.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert me.get("/portal/me").json()["phone"] == "139****0001"
    assert me.get("/portal/account").json()["consented_at"] is None
    assert me.post("/portal/auth/logout").status_code == 204
    assert me.get("/portal/me").status_code == 401


def test_the_api_answers_known_and_unknown_numbers_alike(delivered):
    factories.resident("13912340002")
    answers = []
    for phone in (PHONE, "13912340002"):
        response, code = delivered(lambda phone=phone: ApiClient().post("/portal/auth/code", {"phone": phone}))
        answers.append((response.status_code, response.json(), code is not None))
    assert answers[0] == answers[1]


def test_the_api_refuses_a_wrong_code_beside_its_field():
    response = ApiClient().post("/portal/auth/login", {"phone": PHONE, "code": "123456"})
    assert response.status_code == 400 and "code" in field_errors(response)


# ---------------------------------------------------------------- authorization rows (staff personas + residents)

RESIDENTS = ("resident", "resident_new")  # agreed to the notice / not yet
ROLES = (*factories.PERSONAS, *RESIDENTS)

ENDPOINTS = [
    # anyone may ask for a code and sign in (a wrong code: 400); tokens of either kind change nothing
    Endpoint("POST", "/portal/auth/code", "200 " * 8 + "200 200", body=lambda ctx: {"phone": ctx["phone"]}),
    Endpoint("POST", "/portal/auth/login", "400 " * 8 + "400 400", body=lambda ctx: {"phone": PHONE, "code": "1"}),
    Endpoint("POST", "/portal/auth/logout", "403 " * 8 + "204 204"),
    Endpoint("GET", "/portal/account", "403 " * 8 + "200 200"),
    Endpoint("POST", "/portal/account/consent", "403 " * 8 + "200 200", body=lambda ctx: {"version": "2026-12"}),
    Endpoint("POST", "/portal/account/delete", "403 " * 8 + "204 204", body=lambda ctx: {"confirm": True}),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_persona_gets_what_the_table_says(world, endpoint, django_capture_on_commit_callbacks):
    users = {**world.users, "resident": factories.resident("13912340011").user,
             "resident_new": factories.resident("13912340012", consent=False).user}  # fmt: skip
    got = {}
    for i, role in enumerate(ROLES):  # each asks a code for a number of its own: the limits are not the subject
        got.update(statuses(users, endpoint, {"phone": f"139000000{i:02d}"}, roles=[role]))
    expected = dict(zip(ROLES, map(int, endpoint.in_scope.split()), strict=True))
    assert got == expected


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if "/auth/" not in e.url or "logout" in e.url], ids=str)
def test_without_credentials_the_residents_endpoints_answer_401(endpoint):
    response = ApiClient().request(endpoint.method, endpoint.url, endpoint.body({}) if endpoint.body else None)
    assert response.status_code == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/portal/auth", "/portal/account") == (set(), set())
