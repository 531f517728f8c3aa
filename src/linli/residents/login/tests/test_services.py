import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import LoginCode, LoginCodeFailure
from linli.audit.models import AuditEntry
from linli.core.errors import DomainError, TooManyRequests, ValidationFailed
from linli.notifications.backends import SendFailed
from linli.notifications.models import OutboxSms
from linli.notifications.rules import TemplateError
from linli.notifications.services import ATTEMPTS, notify_phone
from linli.residents.login import rules
from linli.residents.login.services import code_request, code_sign_in
from linli.residents.models import Resident
from linli.testing import factories

pytestmark = pytest.mark.django_db

PHONE, OTHER = "13912340001", "13912340002"
IP = "203.0.113.7"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """code_request, the SMS delivered (the worker runs at once in tests): answers the code it carried."""

    def ask(phone=PHONE, ip=IP, now=None):
        before = OutboxSms.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            code_request(phone=phone, ip=ip, now=now)
        assert OutboxSms.objects.count() == before + 1
        sms = OutboxSms.objects.first()
        assert sms.phone == phone
        return re.search(r"\d{6}", sms.text).group()

    return ask


def other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_right_code_opens_the_account_once(send):
    code = send()
    resident = code_sign_in(phone=PHONE, code=code, ip=IP)
    assert (resident.phone, resident.user.is_active) == (PHONE, True)
    later = timezone.now() + timedelta(minutes=2)
    assert code_sign_in(phone=PHONE, code=send(now=later), ip=IP, now=later) == resident
    assert Resident.objects.count() == 1
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).first()
    assert (entry.actor, entry.object_type, entry.object_ids) == (None, "residents.Resident", [resident.pk])


def test_codes_are_stored_as_keyed_hashes_only(send):
    code = send()
    row = LoginCode.objects.get()
    assert code not in row.code_hash and PHONE not in row.phone_hash and IP not in row.ip_hash
    assert len(row.code_hash) == 64


def test_a_code_is_single_use(send):
    code = send()
    code_sign_in(phone=PHONE, code=code, ip=IP)
    with pytest.raises(ValidationFailed) as refused:
        code_sign_in(phone=PHONE, code=code, ip=IP)
    assert refused.value.errors[0].field == "code"


def test_a_code_expires_after_five_minutes(send):
    now = timezone.now()
    code = send(now=now)
    with pytest.raises(ValidationFailed):
        code_sign_in(phone=PHONE, code=code, ip=IP, now=now + rules.CODE_TTL)
    assert Resident.objects.count() == 0


def test_a_code_signs_in_its_own_number_only(send):
    code = send()
    with pytest.raises(ValidationFailed):
        code_sign_in(phone=OTHER, code=code, ip=IP)


def test_a_new_code_spends_the_earlier_one(send):
    now = timezone.now()
    first = send(now=now)
    second = send(now=now + timedelta(minutes=1))
    if first != second:
        with pytest.raises(ValidationFailed):
            code_sign_in(phone=PHONE, code=first, ip=IP, now=now + timedelta(minutes=2))
    assert code_sign_in(phone=PHONE, code=second, ip=IP, now=now + timedelta(minutes=2))


@pytest.mark.parametrize(
    "phone, code, field",
    [("12345", "123456", "phone"), ("024-88886666", "123456", "phone"), (PHONE, "12345", "code"),
     (PHONE, "abcdef", "code")],
)  # fmt: skip
def test_malformed_input_is_refused_beside_its_field(phone, code, field):
    with pytest.raises(ValidationFailed) as refused:
        code_sign_in(phone=phone, code=code, ip=IP)
    assert [e.field for e in refused.value.errors] == [field]
    assert LoginCodeFailure.objects.count() == 0


def test_codes_per_number_are_limited(send):
    now = timezone.now()
    send(now=now)
    with pytest.raises(TooManyRequests, match="1分钟后"):
        code_request(phone=PHONE, ip=IP, now=now)
    for minute in range(1, 5):
        send(now=now + timedelta(minutes=minute))
    with pytest.raises(TooManyRequests, match="55分钟后"):  # five an hour
        code_request(phone=PHONE, ip=IP, now=now + timedelta(minutes=5))
    send(phone=OTHER, now=now + timedelta(minutes=5))  # another number is not held back


def test_codes_per_address_are_limited(send, monkeypatch):
    monkeypatch.setattr(rules, "CODES_PER_ADDRESS", ((timedelta(hours=1), 2),))
    send(phone=PHONE)
    send(phone=OTHER)
    with pytest.raises(TooManyRequests, match="网络"):
        code_request(phone="13912340003", ip=IP)
    send(phone="13912340003", ip="203.0.113.8")


def test_five_wrong_codes_lock_the_number_for_a_quarter_hour(send):
    now = timezone.now()
    code = send(now=now)
    for i in range(rules.LOCKOUT_FAILURES):
        with pytest.raises(ValidationFailed):
            code_sign_in(phone=PHONE, code=other(code), ip=IP, now=now + timedelta(seconds=i))
    # Locked: the right code is refused as well, and so is a new one.
    with pytest.raises(TooManyRequests, match="15分钟后"):
        code_sign_in(phone=PHONE, code=code, ip=IP, now=now + timedelta(seconds=10))
    with pytest.raises(TooManyRequests):
        code_request(phone=PHONE, ip=IP, now=now + timedelta(minutes=2))
    # After it the locked code stays spent; a new one signs in and clears the count.
    later = now + timedelta(minutes=15, seconds=5)
    with pytest.raises(ValidationFailed):
        code_sign_in(phone=PHONE, code=code, ip=IP, now=later)
    assert code_sign_in(phone=PHONE, code=send(now=later), ip=IP, now=later)
    assert not LoginCodeFailure.objects.filter(phone_hash=LoginCode.objects.first().phone_hash).exists()


def test_wrong_codes_per_address_are_limited(send, monkeypatch):
    monkeypatch.setattr(rules, "FAILURES_PER_ADDRESS", ((timedelta(hours=1), 3),))
    for phone in ("13912340003", "13912340004", "13912340005"):
        with pytest.raises(ValidationFailed):
            code_sign_in(phone=phone, code="000000", ip=IP)
    code = send()
    with pytest.raises(TooManyRequests):
        code_sign_in(phone=PHONE, code=code, ip=IP)
    assert code_sign_in(phone=PHONE, code=code, ip="203.0.113.8")


def _trace(send_code, phone):
    """What a caller can observe of asking a code for `phone`: the answer, and the queries the request ran (with
    the number's own hashes taken out). Numbers go with their sign: the lock key is a hash, and PostgreSQL's
    driver writes a negative one as ` -123`."""
    with CaptureQueriesContext(connection) as queries:
        send_code(phone=phone)
    from linli.core.pii import lookup_hash

    hashes = (lookup_hash(phone),)
    return [re.sub(r"\bs\d+_x\d+\b|'[^']*'| ?-?\b\d+\b", "?", q["sql"].replace(hashes[0], "<phone>")) for q in queries]


def test_a_known_and_an_unknown_number_get_the_same_answer_and_work(send):
    factories.resident(OTHER)
    known = _trace(lambda phone: send(phone=phone), OTHER)
    unknown = _trace(lambda phone: send(phone=phone, ip="203.0.113.8"), PHONE)
    assert known == unknown
    assert not any("residents_resident" in q or "accounts_user" in q for q in known)  # never looked up


def test_an_account_opens_on_the_first_right_code_only(send):
    code = send()
    with pytest.raises(ValidationFailed):
        code_sign_in(phone=PHONE, code=other(code), ip=IP)
    assert Resident.objects.count() == 0


def test_a_disabled_account_does_not_sign_in(send):
    r = factories.resident(PHONE)
    r.user.is_active = False
    r.user.save()
    with pytest.raises(DomainError, match="停用"):
        code_sign_in(phone=PHONE, code=send(), ip=IP)


def test_only_sms_only_templates_go_to_a_bare_number():
    with pytest.raises(TemplateError):
        notify_phone(PHONE, "cases.closed", {"case_number": "2026-000001"})


class FlakySms:
    """A provider that refuses: `retry` says whether it may take the message later."""

    retry = True
    tried: list = []

    def address(self, user):
        return ""

    def send(self, *, address, template, text, params):
        FlakySms.tried.append(address)
        raise SendFailed("busy", retry=FlakySms.retry)


@pytest.mark.parametrize("retry, attempts", [(True, ATTEMPTS), (False, 1)])
def test_a_code_the_provider_refuses_is_tried_again_when_it_may_pass(settings, retry, attempts, monkeypatch,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    settings.NOTIFICATION_BACKENDS = {"sms": f"{__name__}.FlakySms"}
    monkeypatch.setattr(FlakySms, "retry", retry)
    monkeypatch.setattr(FlakySms, "tried", [])
    with django_capture_on_commit_callbacks(execute=True):
        code_request(phone=PHONE, ip=IP)
    assert FlakySms.tried == [PHONE] * attempts
