"""Return visits through the services: the staff's call (回访, 回访未接通), the reporter's online answer, reopening
on 未解决, the call list, and what the indicators count. Personas: street_staff calls back in 甲街道; the case (路灯
不亮, 0401) is handled by dept_handler's 区城市管理综合执法局 and checked on site by grid_worker."""

from datetime import timedelta
from decimal import Decimal

import pytest

from linli.cases import rules, selectors, services
from linli.cases.models import Case
from linli.cases.tests.support import act, at, receive
from linli.cases.visits import selectors as visits
from linli.core.errors import DomainError, PermissionDenied, ValidationFailed

MON = at(2025, 3, 3, 9)
START, END = at(2025, 3, 1), at(2025, 4, 1)


def closed(w, grid=None, now=MON, **data) -> Case:
    """A case of grid 甲一1 (or `grid`, closed directly: its grid has no on-site persona) played to its close."""
    case = receive(w, grid or w.grid_a1, now=now, **data)
    if grid not in (None, w.grid_a1):
        Case.objects.filter(pk=case.pk).update(state=rules.CLOSED, closed_at=now + timedelta(hours=5))
        return case
    case = act(w, "admin", case, "register", now=now + timedelta(minutes=10))
    case = act(w, "admin", case, "dispatch", now=now + timedelta(minutes=20))
    case = act(w, "dept_handler", case, "accept", now=now + timedelta(hours=1))
    case = act(w, "dept_handler", case, "feedback", now=now + timedelta(hours=3), note="已更换灯泡")
    return act(w, "grid_worker", case, "verify", now=now + timedelta(hours=5))


def counts(w) -> tuple[int, int, int, Decimal | None]:
    """(visited, solved, unreachable, 解决率) of all cases, as the indicator page totals them."""
    rows = selectors.indicators(user=w.users["admin"], group="street", start=START, end=END, now=at(2025, 3, 31))
    total = selectors.total_counts(rows)
    return total.visited, total.solved, total.unreachable, selectors.totals(rows).solve_rate


def refused(exc_info) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in exc_info.value.errors]


def test_a_visit_records_whether_solved_and_the_rating(w):
    case = closed(w)
    case = act(w, "street_staff", case, "visit", now=at(2025, 3, 4, 10), solved=True, rating=rules.BASIC, note="电话")
    assert (case.visit_result, case.visited_at, case.rating, case.rated_at) == (
        rules.SOLVED, at(2025, 3, 4, 10), rules.BASIC, at(2025, 3, 4, 10),
    )  # fmt: skip
    event = case.events.last()
    assert (event.action, event.data, event.public, event.note) == ("visit", {"solved": True, "rating": "basic"},
                                                                    True, "电话")  # fmt: skip
    assert counts(w) == (1, 1, 0, Decimal("100.0"))
    with pytest.raises(DomainError, match="本次办理已回访"):
        act(w, "street_staff", case, "visit", solved=True)
    with pytest.raises(DomainError, match="本次办理已评价"):  # the rating came with the visit
        act(w, "street_staff", case, "rate", rating=rules.SATISFIED)


def test_the_answers_are_checked_and_only_dispatchers_call(w):
    case = closed(w)
    for params, errors in [
        ({"rating": rules.SATISFIED}, [("solved", "请选择反映的问题是否已解决")]),
        ({"solved": "yes", "rating": rules.SATISFIED}, [("solved", "请选择反映的问题是否已解决")]),
        ({"solved": True}, [("rating", "请选择满意、基本满意或不满意")]),
        ({"solved": True, "rating": "good"}, [("rating", "请选择满意、基本满意或不满意")]),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            act(w, "street_staff", case, "visit", **params)
        assert refused(exc) == errors
    for persona in ("community_worker", "grid_worker", "dept_handler"):
        with pytest.raises(PermissionDenied):
            act(w, persona, case, "visit", solved=True, rating=rules.SATISFIED)
        with pytest.raises(PermissionDenied):
            act(w, persona, case, "visit_try")
    assert Case.objects.get(pk=case.pk).visit_result == ""


def test_a_reporter_who_rated_online_is_asked_only_whether_solved(w):
    case = closed(w)
    case = services.public_rate(tracking_code=case.tracking_code, rating=rules.SATISFIED, now=at(2025, 3, 4, 9))
    with pytest.raises(ValidationFailed) as exc:
        act(w, "street_staff", case, "visit", solved=True, rating=rules.BASIC)
    assert refused(exc) == [("rating", "反映人已评价本次办理，无需再次评价")]
    case = act(w, "street_staff", case, "visit", solved=False)
    assert (case.visit_result, case.rating) == (rules.UNSOLVED, rules.SATISFIED)
    assert counts(w) == (1, 0, 0, Decimal("0.0"))  # satisfied with the effort, and still not solved


def test_after_the_configured_tries_the_reporter_is_unreachable_and_counted_by_the_rule(w, settings):
    settings.VISIT_TRIES = 2
    case = closed(w)
    case = act(w, "street_staff", case, "visit_try", now=at(2025, 3, 4, 10), note="无人接听")
    assert (case.visit_tries, case.visit_result) == (1, "")
    assert [c.pk for c in visits.call_list(user=w.users["street_staff"])] == [case.pk]  # still to call
    case = act(w, "street_staff", case, "visit_try", now=at(2025, 3, 5, 10))
    assert (case.visit_tries, case.visit_result, case.visited_at) == (2, rules.UNREACHABLE, at(2025, 3, 5, 10))
    assert case.events.last().data == {"try": 2, "unreachable": True}
    assert list(visits.call_list(user=w.users["street_staff"])) == []
    with pytest.raises(DomainError, match="本次办理已回访"):
        act(w, "street_staff", case, "visit", solved=True, rating=rules.SATISFIED)
    solved = act(w, "street_staff", closed(w), "visit", solved=True, rating=rules.SATISFIED)
    assert solved.visit_result == rules.SOLVED
    assert counts(w) == (1, 1, 1, Decimal("100.0"))  # excluded: the default
    settings.VISIT_UNREACHABLE = rules.AS_UNSOLVED
    assert counts(w)[3] == Decimal("50.0")
    settings.VISIT_UNREACHABLE = rules.AS_SOLVED
    assert counts(w)[3] == Decimal("100.0")


def test_unsolved_reopens_the_case_once_and_the_next_close_is_visited_again(w):
    case = closed(w)
    case = act(w, "street_staff", case, "visit", now=at(2025, 3, 4, 10), solved=False, rating=rules.SATISFIED)
    assert rules.reopens(case.facts())
    case = act(w, "street_staff", case, "reopen", now=at(2025, 3, 4, 11), note="反映人说路灯仍不亮")
    assert (case.state, case.visit_result, case.visit_tries, case.visited_at, case.rating) == (
        rules.HANDLING, "", 0, None, "",
    )  # fmt: skip
    assert counts(w) == (0, 0, 0, None)  # open again: counted at its next close
    case = act(w, "dept_handler", case, "feedback", now=at(2025, 3, 5, 10), note="更换线路")
    case = act(w, "grid_worker", case, "verify", now=at(2025, 3, 5, 11))
    assert [c.pk for c in visits.call_list(user=w.users["street_staff"])] == [case.pk]
    case = act(w, "street_staff", case, "visit", solved=False, rating=rules.UNSATISFIED)
    assert not rules.reopens(case.facts())  # once only
    with pytest.raises(DomainError, match="只能重新办理一次"):
        act(w, "street_staff", case, "reopen", note="再次重办")


def test_the_reporter_answers_online_and_unsolved_reopens_at_once(w):
    case = closed(w)
    with pytest.raises(ValidationFailed):
        services.public_visit(tracking_code="WRONGCODE1", solved=True, rating=rules.SATISFIED)
    case = services.public_visit(tracking_code=case.tracking_code.lower(), solved=False, rating=rules.BASIC)
    assert case.state == rules.HANDLING and case.reopen_count == 1
    assert list(case.events.values_list("action", "actor_label"))[-2:] == [("visit", "反映人"), ("reopen", "反映人")]
    other = services.public_visit(tracking_code=closed(w).tracking_code, solved=True, rating=rules.SATISFIED)
    assert (other.state, other.visit_result) == (rules.CLOSED, rules.SOLVED)


def test_the_call_list_holds_the_closed_cases_in_scope_with_a_phone_oldest_close_first(w):
    late = closed(w, now=at(2025, 3, 5, 9))
    early = closed(w, now=MON)
    closed(w, w.grid_b1)  # street 乙
    closed(w, reporter_phone="")  # nobody to call
    act(w, "street_staff", closed(w), "visit", solved=True, rating=rules.SATISFIED)
    receive(w, w.grid_a1)  # open
    assert [c.pk for c in visits.call_list(user=w.users["street_staff"])] == [early.pk, late.pk]
    assert len(visits.call_list(user=w.users["district_staff"])) == 3
    for persona in ("community_worker", "grid_worker", "dept_handler", "company_staff"):
        with pytest.raises(PermissionDenied, match="可以回访"):
            visits.call_list(user=w.users[persona])
    [call] = visits.calls(user=w.users["street_staff"], cases=[early])
    assert call.script[0].startswith("您好，我是甲街道的工作人员，就您3月3日反映的“路灯不亮”问题")
    assert call.tries == ""
