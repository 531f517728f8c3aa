"""Two people acting on one case at once: one wins, the other is told the case moved on (409), and the
timeline holds one entry. Optimistic versions: services.case_act updates `WHERE version = v`."""

import pytest

from linli.cases import services
from linli.cases.models import Case
from linli.cases.tests.casework import case_in
from linli.core.errors import Conflict
from linli.organizations.models import Organization
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.threads import in_thread, shared_database, simultaneously


def second_handler(w):
    """Another handler of the department the persona dept_handler works for."""
    department = Organization.objects.get(name="区城市管理综合执法局")
    return factories.user("dept_handler2", "dept_handler", organization=department)


def test_two_handlers_of_one_department_acting_on_the_same_version(w):
    case = case_in(w.grid_a1, "dispatched")
    first, second = ApiClient(w.users["dept_handler"]), ApiClient(second_handler(w))
    seen = [client.get(f"/cases/{case.pk}").json() for client in (first, second)]
    assert seen[0]["version"] == seen[1]["version"] == 3
    assert [a["action"] for a in seen[1]["actions"]] == ["accept", "return"]

    won = first.post(f"/cases/{case.pk}/actions/accept", {"version": 3})
    assert won.status_code == 200 and won.json()["state"] == "handling"
    events = case.events.count()
    # the second signs for it too, or returns it, from the page it loaded before the first one acted
    for action, body in (("accept", {}), ("return", {"note": "不属于本部门"})):
        lost = second.post(f"/cases/{case.pk}/actions/{action}", {"version": 3, **body})
        assert lost.status_code == 409
        assert lost.json() == {"detail": "案件已被他人处理，请刷新后重试", "errors": []}
    case.refresh_from_db()
    assert (case.state, case.version, case.lead_department.name) == ("handling", 4, "区城市管理综合执法局")
    assert case.events.count() == events
    assert case.events.filter(action="accept").count() == 1


# serialized_rollback: the flush after this test keeps the content types the browser tests restore later.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_acting_at_the_same_moment(w, settings, tmp_path):
    """Real concurrency: two threads, each with its own database connection, released by one barrier into
    case_act on the same version. On PostgreSQL the loser's UPDATE waits for the winner's row lock and then
    finds the version gone; on SQLite its IMMEDIATE transaction waits for the winner's to end and then reads
    the new version. Either way: one success, one Conflict, one new timeline entry."""
    settings.MEDIA_ROOT = tmp_path
    case = case_in(w.grid_a1, "dispatched")
    users = [w.users["dept_handler"], second_handler(w)]
    events_before = case.events.count()

    def act(i: int) -> Case:
        return services.case_act(user=users[i], case_id=case.pk, action="accept", version=case.version)

    with shared_database(tmp_path):
        outcomes = simultaneously(act, len(users))
        after = in_thread(lambda: Case.objects.get(pk=case.pk))
        timeline = in_thread(lambda: list(after.events.values_list("seq", "action").order_by("seq")))

    won = [o for o in outcomes if isinstance(o, Case)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert (after.state, after.version) == ("handling", 4)
    assert len(timeline) == events_before + 1
    assert timeline[-1] == (events_before + 1, "accept")
