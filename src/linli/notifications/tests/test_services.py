import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from linli.core.errors import ValidationFailed
from linli.notifications import selectors, services
from linli.notifications.backends import AliyunSmsBackend, SendFailed, aliyun_signature
from linli.notifications.models import Delivery, Message, OutboxSms
from linli.testing import factories

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
SUPERVISE = {"task": "道路保洁", "text": "请抓紧报送", "issuer": "张三", "issued": "2026-12-06"}


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """services.notify with its after-commit sending run, as the worker would."""

    def send(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(*args, **kwargs)

    return send


@pytest.fixture
def staff(world):
    u = world.users["community_worker"]
    u.phone = "13812345678"
    u.save()
    return u


def test_a_message_lands_in_the_inbox_and_is_logged(world, staff, notify):
    other = world.users["grid_worker"]
    notify([staff, other, staff], "campaigns.supervise", SUPERVISE, link="/x/", subject="s:1", now=NOW)
    assert list(selectors.inbox(staff).values_list("title", "body", "link")) == [
        ("督办：道路保洁", "请抓紧报送（张三，2026-12-06）", "/x/")
    ]
    assert Message.objects.filter(user=other).count() == 1  # the repeated user is told once
    assert set(Delivery.objects.values_list("user__username", "channel", "status")) == {
        ("community_worker", "inbox", "sent"),
        ("grid_worker", "inbox", "sent"),
    }
    assert OutboxSms.objects.count() == 0  # SMS is off for 督办 by default


def test_sms_goes_out_when_the_user_chose_it_and_has_a_phone(world, staff, notify):
    services.preference_set(user=staff, kind="supervision", channels=["inbox", "sms"])
    services.preference_set(user=world.users["grid_worker"], kind="supervision", channels=["sms"])  # no phone
    notify([staff, world.users["grid_worker"]], "campaigns.supervise", SUPERVISE, now=NOW)
    sms = OutboxSms.objects.get()
    assert (sms.phone, sms.text) == ("13812345678", "督办：道路保洁：请抓紧报送（张三，2026-12-06）")
    assert sms.masked_phone == "138****5678"
    sent = Delivery.objects.get(channel="sms")
    assert (sent.user, sent.status, sent.provider_id, sent.attempts) == (staff, "sent", f"outbox-{sms.pk}", 1)
    assert not Message.objects.filter(user=world.users["grid_worker"]).exists()


def test_a_login_code_reaches_the_phone_whatever_the_preferences(staff, notify):
    notify([staff], "accounts.login_code", {"code": "042917"}, only={"inbox"}, now=NOW)
    assert "042917" in OutboxSms.objects.get().text
    assert not Message.objects.exists()


def test_rate_limits_log_what_was_held_back(staff, notify):
    for i in range(3):
        notify([staff], "accounts.login_code", {"code": f"00000{i}"}, now=NOW + timedelta(seconds=i))
    assert list(Delivery.objects.order_by("id").values_list("status", flat=True)) == ["sent", "sent", "limited"]
    assert OutboxSms.objects.count() == 2
    notify([staff], "accounts.login_code", {"code": "000009"}, now=NOW + timedelta(minutes=2))
    assert OutboxSms.objects.count() == 3


def test_read_marks(world, staff, notify):
    for _ in range(2):
        notify([staff], "campaigns.supervise", SUPERVISE, subject="campaigns.notice:7", now=NOW)
    notify([staff], "cases.closed", {"case_number": "2026-000001"}, only={"inbox"}, now=NOW)
    first = selectors.inbox(staff).first()
    assert first.template == "cases.closed"  # newest first
    assert services.message_read(user=staff, message_id=first.pk).read_at is not None
    assert selectors.unread_count(staff) == 2
    assert selectors.inbox(staff).last() == first  # read ones last
    assert services.subject_read(user=staff, subject="campaigns.notice:7") == 1 + 1
    assert selectors.unread_count(staff) == 0
    notify([staff], "cases.closed", {"case_number": "2026-000002"}, only={"inbox"}, now=NOW)
    with pytest.raises(Exception) as caught:  # someone else's message looks like a missing one
        services.message_read(user=world.users["grid_worker"], message_id=first.pk)
    assert caught.type.__name__ == "Http404"
    assert services.messages_read_all(user=staff) == 1
    assert selectors.unread_count(staff) == 0


@pytest.mark.parametrize(
    "kind, channels, field",
    [("nope", [], "kind"), ("security", ["sms"], "channels"), ("supervision", ["wechat"], "channels")],
)
def test_preferences_refuse_what_cannot_be_chosen(staff, kind, channels, field):
    with pytest.raises(ValidationFailed) as caught:
        services.preference_set(user=staff, kind=kind, channels=channels)
    assert caught.value.errors[0].field == field


def test_preferences_show_the_defaults_until_chosen(staff):
    shown = {p["kind"]: p["channels"] for p in selectors.preferences(staff)}
    assert shown == {"supervision": ["inbox"], "cases": ["inbox", "sms"], "security": [], "dispatch": ["inbox"],
                     "access": ["inbox"]}  # fmt: skip
    services.preference_set(user=staff, kind="cases", channels=[])
    assert {p["kind"]: p["channels"] for p in selectors.preferences(staff)}["cases"] == []


def test_residents_and_staff_each_choose_only_the_kinds_they_receive(staff):
    resident = factories.resident("13812345678").user
    shown = {p["kind"]: p["channels"] for p in selectors.preferences(resident)}
    assert shown == {
        "cases": ["inbox", "sms"], "security": [], "notices": ["inbox"], "account": ["inbox"], "votes": ["inbox"],
        "consultation": ["inbox"], "activities": ["inbox"],
    }  # fmt: skip
    services.preference_set(user=resident, kind="account", channels=["inbox", "sms"])
    for user, kind in ((resident, "dispatch"), (staff, "notices"), (staff, "account")):
        with pytest.raises(ValidationFailed) as caught:
            services.preference_set(user=user, kind=kind, channels=["inbox"])
        assert caught.value.errors[0].field == "kind"


# ---------------------------------------------------------------- 阿里云短信 against a local fake server


class FakeAliyun(BaseHTTPRequestHandler):
    answers: list = []  # (status, body) served in turn
    seen: list = []

    def do_GET(self):
        FakeAliyun.seen.append(dict(parse_qsl(urlsplit(self.path).query)))
        status, body = FakeAliyun.answers.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def aliyun(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAliyun)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAliyun.answers, FakeAliyun.seen = [], []
    settings.NOTIFICATION_BACKENDS = {"sms": "linli.notifications.backends.AliyunSmsBackend"}
    settings.ALIYUN_SMS = {
        "endpoint": f"http://127.0.0.1:{server.server_address[1]}/",
        "access_key_id": "testid",
        "access_key_secret": "testsecret",
        "sign_name": "邻里",
        "templates": {"accounts.login_code": "SMS_0001"},
        "timeout": 2,
    }
    yield FakeAliyun
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_aliyun_signature_matches_the_documented_example():
    # The worked example of Aliyun's RPC signature document (SignatureVersion 1.0, HMAC-SHA1).
    params = {
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
    }  # fmt: skip
    assert aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_sends_a_signed_request_and_logs_the_receipt(staff, aliyun, notify):
    aliyun.answers.append((200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r"}))
    notify([staff], "accounts.login_code", {"code": "042917"}, now=NOW)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.provider_id) == ("sent", "900619746936498440^0")
    query = aliyun.seen[0]
    assert (query["Action"], query["PhoneNumbers"], query["TemplateCode"]) == ("SendSms", "13812345678", "SMS_0001")
    assert json.loads(query["TemplateParam"]) == {"code": "042917"}
    signature = query.pop("Signature")
    assert aliyun_signature(query, "testsecret") == signature


def test_aliyun_failures_are_retried_when_they_may_pass_and_logged(staff, aliyun, notify):
    aliyun.answers += [
        (503, {}),
        (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}),
        (200, {"Code": "OK", "BizId": "b1"}),
    ]
    notify([staff], "accounts.login_code", {"code": "042917"}, now=NOW)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.provider_id) == ("sent", 3, "b1")


def test_aliyun_refusals_that_will_not_pass_fail_at_once(staff, aliyun, notify):
    aliyun.answers.append((200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}))
    notify([staff], "accounts.login_code", {"code": "042917"}, now=NOW)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.error == "isv.MOBILE_NUMBER_ILLEGAL：非法手机号"


def test_aliyun_unreachable_is_a_retryable_failure(settings):
    backend = AliyunSmsBackend({
        "endpoint": "http://127.0.0.1:9/", "access_key_id": "i", "access_key_secret": "s", "sign_name": "邻里",
        "templates": {"accounts.login_code": "SMS_1"}, "timeout": 1,
    })  # fmt: skip
    with pytest.raises(SendFailed) as caught:
        backend.send(address="13812345678", template="accounts.login_code", text="", params={"code": "000000"})
    assert caught.value.retry


def test_a_delivery_task_run_twice_sends_once(staff, notify):
    notify([staff], "accounts.login_code", {"code": "042917"}, now=NOW)
    delivery = Delivery.objects.get()
    services.deliver.call(delivery.pk, "登录验证码", "again", {"code": "042917"})
    assert OutboxSms.objects.count() == 1
