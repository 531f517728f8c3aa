"""The notifications API: every persona reads and marks its own messages only (the authorization matrix), and the
pages over the same services."""

import pytest

from linli.notifications import services
from linli.notifications.models import Message
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, case_ids, matrix_cases, statuses, uncovered
from linli.testing.factories import PERSONAS, user

ALL_200 = "200 200 200 200 200 200 200 200"
ALL_404 = "404 404 404 404 404 404 404 404"
# fmt: off
ENDPOINTS = [
    #                                                              adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/notifications/messages",                   ALL_200),
    Endpoint("GET",  "/notifications/messages/unread",            ALL_200),
    Endpoint("POST", "/notifications/messages/read-all",          ALL_200),
    # in scope: the persona's own message; out of scope: someone else's, which looks like a missing one
    Endpoint("POST", "/notifications/messages/{message}/read",    ALL_200, out_of_scope=ALL_404),
    Endpoint("GET",  "/notifications/preferences",                ALL_200),
    Endpoint("PUT",  "/notifications/preferences",                ALL_200,
             body=lambda ctx: {"kind": "supervision", "channels": ["inbox", "sms"]}),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)
CLOSED = {"case_number": "2026-000001"}


@pytest.fixture
def messages(world):
    """Each persona's own message, and one of a user who is none of them."""
    everyone = [*world.users.values(), user("outsider", "community_worker", world.community_b1)]
    services.notify(everyone, "cases.closed", CLOSED, only={"inbox"})
    return {m.user.username: m.pk for m in Message.objects.select_related("user")}


@pytest.mark.parametrize("endpoint, scope", CASES, ids=case_ids(CASES))
def test_each_persona_gets_what_the_table_says(world, messages, endpoint, scope):
    got = {}
    for role in PERSONAS:
        own = world.users[role].username if scope == "in" else "outsider"
        got |= statuses(world.users, endpoint, {"message": messages[own]}, roles=[role])
    assert got == endpoint.expected(scope)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(world, messages, endpoint):
    assert anonymous_status(endpoint, {"message": messages["outsider"]}) == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/notifications") == (set(), set())


def test_the_inbox_through_the_api(world, messages):
    api = ApiClient(world.users["community_worker"])
    listed = api.get("/notifications/messages").json()
    assert listed["count"] == 1
    assert listed["items"][0]["title"] == "事件已办结" and listed["items"][0]["read_at"] is None
    assert api.get("/notifications/messages/unread").json() == {"unread": 1}
    assert api.post("/notifications/messages/read-all").json() == {"unread": 0}
    assert api.get("/notifications/messages").json()["items"][0]["read_at"] is not None


def test_preferences_through_the_api(world):
    api = ApiClient(world.users["grid_worker"])
    answer = api.request("PUT", "/notifications/preferences", {"kind": "cases", "channels": []})
    assert answer.status_code == 200
    assert {p["kind"]: p["channels"] for p in answer.json()}["cases"] == []
    refused = api.request("PUT", "/notifications/preferences", {"kind": "security", "channels": ["sms"]})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "channels"
    assert api.request("PUT", "/notifications/preferences", {"kind": "x", "channels": []}).status_code == 400


# ---------------------------------------------------------------- pages


def test_the_inbox_page_reads_and_opens_a_message(client, world, messages):
    cw = world.users["community_worker"]
    services.notify([cw], "campaigns.circular", {"plan": "环境整治", "text": "通报内容", "issuer": "甲街道",
                                                 "issued": "2026-12-06"}, link="/campaigns/progress/")  # fmt: skip
    client.force_login(cw)
    page = client.get("/notifications/").content.decode()
    assert '消息 <span class="badge">2</span>' in page  # the top bar of every page
    assert "2条未读" in page and "通报：环境整治" in page and "事件已办结" in page
    linked = Message.objects.get(user=cw, template="campaigns.circular")
    answer = client.post(f"/notifications/{linked.pk}/read/")
    assert (answer.status_code, answer["Location"]) == (302, "/campaigns/progress/")
    assert client.post(f"/notifications/{messages['outsider']}/read/").status_code == 404
    client.post("/notifications/read-all/")
    assert not Message.objects.filter(user=cw, read_at=None).exists()


def test_the_preference_form(client, world):
    cw = world.users["community_worker"]
    client.force_login(cw)
    client.post("/notifications/preferences/", {"kind": "supervision", "channels": ["inbox", "sms"]})
    assert {p["kind"]: p["channels"] for p in services.selectors.preferences(cw)}["supervision"] == ["inbox", "sms"]


def test_the_outbox_is_for_admins_on_a_debug_site(client, world, settings, django_capture_on_commit_callbacks):
    cw = world.users["community_worker"]
    cw.phone = "13812345678"
    cw.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([cw], "accounts.login_code", {"code": "042917"})
    client.force_login(world.users["admin"])
    assert client.get("/notifications/outbox/").status_code == 404  # not a DEBUG site nor the demo
    settings.OUTBOX_PAGE = True
    page = client.get("/notifications/outbox/").content.decode()
    assert "042917" in page and "138****5678" in page and "13812345678" not in page
    client.force_login(cw)
    assert client.get("/notifications/outbox/").status_code == 404


def test_the_delivery_log_in_the_admin(client, world, messages):
    client.force_login(world.users["admin"])
    page = client.get("/admin/notifications/delivery/").content.decode()
    assert "发送记录" in page and "cases.closed" in page
