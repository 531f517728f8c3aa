"""Migration stats 0008 rebuilds the dispatches of cases dispatched before Assignment rows were kept, from the timeline:
what services.case_act writes, except the response deadline of a returned dispatch, which no timeline kept."""

from importlib import import_module

from django.apps import apps

from linli.accounts.models import Role
from linli.cases.models import Assignment
from linli.cases.tests.support import act, at, receive
from linli.organizations.models import Organization
from linli.testing import factories

backfill = import_module("linli.stats.migrations.0008_backfill_assignments")
FIELDS = ("case_id", "department_id", "dispatched_at", "response_due", "answered_at", "returned_at")


def rows():
    return list(Assignment.objects.order_by("case", "dispatched_at").values_list(*FIELDS))


def test_the_dispatches_are_rebuilt_from_the_timeline(w):
    traffic = Organization.objects.get(name="区交通运输局")
    handler = factories.user("traffic", Role.DEPT_HANDLER, organization=traffic)
    returned = receive(w, w.grid_a1, now=at(2025, 3, 3, 9))
    returned = act(w, "street_staff", returned, "register", now=at(2025, 3, 3, 9, 30))
    returned = act(w, "street_staff", returned, "dispatch", now=at(2025, 3, 3, 10), department_id=traffic.pk)
    returned = act(w, handler, returned, "return", now=at(2025, 3, 3, 16), note="路灯不归本局")
    returned = act(w, "street_staff", returned, "dispatch", now=at(2025, 3, 3, 16, 30))
    returned = act(w, "dept_handler", returned, "accept", now=at(2025, 3, 3, 17))
    waiting = receive(w, w.grid_a1, now=at(2025, 3, 4, 9))
    waiting = act(w, "street_staff", waiting, "register", now=at(2025, 3, 4, 9, 30))
    waiting = act(w, "street_staff", waiting, "dispatch", now=at(2025, 3, 4, 10))
    receive(w, w.grid_a1, now=at(2025, 3, 4, 11))  # never dispatched: no dispatch to rebuild
    written = rows()
    assert len(written) == 3

    Assignment.objects.all().delete()
    backfill.backfill(apps, None)
    expected = [(*r[:3], None, *r[4:]) if r[5] else r for r in written]  # the returned dispatch's deadline is lost
    assert rows() == expected
    backfill.backfill(apps, None)  # cases with dispatches are left alone
    assert rows() == expected


def test_a_department_name_two_organizations_share_is_not_guessed():
    by_name = {"区城管局": None, "区交通运输局": 7}
    events = [("dispatch", at(2025, 3, 3, 10), {"department": "区城管局"}),
              ("return", at(2025, 3, 3, 11), {"department": "区城管局"}),
              ("dispatch", at(2025, 3, 3, 12), {"department": "区交通运输局"})]  # fmt: skip
    rebuilt = backfill.dispatches(events, by_name=by_name, department_id=7, response_due=at(2025, 3, 3, 16))
    assert [(r["department_id"], r["dispatched_at"], r["response_due"]) for r in rebuilt] == [
        (7, at(2025, 3, 3, 12), at(2025, 3, 3, 16))
    ]
