"""The demo's 我的反映: residents get online reports of their own and the messages those reports brought them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases import services
from linli.demo import reports
from linli.notifications.models import Message
from linli.residents.reports.selectors import my_reports
from linli.residents.reports.tests.test_reports import INSIDE, OTHER, PHONE, closed, w  # noqa: F401
from linli.testing import factories

pytestmark = pytest.mark.django_db


def test_residents_get_reports_and_their_messages(w, django_capture_on_commit_callbacks):  # noqa: F811
    for n in range(4):
        data = {"category_id": w.category.pk, "description": "路灯不亮已经一周", "reporter_phone": f"1370000000{n}"}
        closed(w, services.case_create(channel="online", data={**data, **INSIDE}), django_capture_on_commit_callbacks)
    assert not Message.objects.filter(template__startswith="cases.").exclude(template="cases.assigned").exists()
    person = factories.person(w.grid_a1, phone=PHONE)
    residents = [factories.resident(PHONE, person=person), factories.resident(OTHER)]
    line = reports.build(seed=1, now=timezone.now() + timedelta(days=8))
    assert "2 个居民" in line
    for r in residents:
        mine = list(my_reports(r))
        assert 1 <= len(mine) <= 3 and all(c.reporter_account_id == r.user_id for c in mine)
        got = Message.objects.filter(user=r.user)
        assert got.count() == 3 * len(mine)  # dispatched, fed back, closed
        assert {m.link for m in got} == {f"/portal/reports/{c.pk}/" for c in mine}
        assert all(m.read_at is not None for m in got)  # all over a week old
    assert reports.build(seed=1, now=timezone.now()).startswith("我的反映")


def test_without_residents_nothing_is_done(db):
    assert "没有居民账号" in reports.build(seed=1, now=timezone.now())
