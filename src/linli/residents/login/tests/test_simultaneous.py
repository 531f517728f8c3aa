"""Simultaneous requests, each on a connection of its own committing for real (linli.testing.threads): the limits
and the lockout are counted in the transaction that writes, so requests sent at once cannot all pass a count."""

import json

import pytest
from django.test import Client

from linli.accounts.models import LoginCode, LoginCodeFailure
from linli.notifications.models import OutboxSms
from linli.residents.login import rules
from linli.testing.threads import in_thread, shared_database, simultaneously

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = "13912340001"


def post(path: str, body: dict, ip: str = "203.0.113.7") -> int:
    return Client().post(path, json.dumps(body), content_type="application/json", REMOTE_ADDR=ip).status_code


def test_codes_asked_at_once_send_one(tmp_path):
    count = 8
    with shared_database(tmp_path):
        answers = simultaneously(lambda i: post("/api/v1/portal/auth/code", {"phone": PHONE}), count)
        stored = in_thread(lambda: (LoginCode.objects.count(), OutboxSms.objects.count()))
    assert sorted(answers) == [200] + [429] * (count - 1)
    assert stored == (1, 1)


def test_wrong_codes_sent_at_once_stop_at_the_lockout(tmp_path):
    count = rules.LOCKOUT_FAILURES + 5
    with shared_database(tmp_path):
        answers = simultaneously(
            lambda i: post("/api/v1/portal/auth/login", {"phone": PHONE, "code": f"{i:06d}"}, ip=f"203.0.113.{i}"),
            count,
        )
        recorded = in_thread(LoginCodeFailure.objects.count)
    assert sorted(answers) == [400] * rules.LOCKOUT_FAILURES + [429] * (count - rules.LOCKOUT_FAILURES)
    assert recorded == rules.LOCKOUT_FAILURES
