"""selectors.indicators reads the case summaries of linli.stats (CaseDay), kept by triggers on the cases: every
change of a case, whatever writes it, shows up in the next read, and the summaries always give what counting the
cases themselves gives (counts_query)."""

from dataclasses import astuple, fields
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.cases import rules, selectors
from linli.cases.models import Assignment, Case, CaseEvent
from linli.cases.supervision import selectors as supervision
from linli.cases.tests.support import at, receive
from linli.organizations.models import Organization
from linli.stats import services
from linli.stats.models import CASE_COUNTS, CaseChange, CaseDay

START, END, NOW = at(2025, 3, 1), at(2025, 4, 1), at(2025, 3, 31, 12)
GROUPS = list(selectors.GROUPS)


def read(w, group: str, region=None, start=START, end=END) -> dict:
    """{group key: Counts as a tuple}, as the indicators show them."""
    rows = selectors.indicators(user=w.users["admin"], group=group, start=start, end=end, region=region, now=NOW)
    return {r.key: astuple(r.counts) for r in rows}


def recount(w, group: str, region=None, start=START, end=END) -> dict:
    """The same, counted from the cases."""
    f = selectors.CaseFilter(region=region, received_from=start, received_to=end)
    user = w.users["admin"]
    qs = selectors.case_list(user=user, filters=f).select_related(None).order_by()
    field = selectors.GROUPS[group] + "_id"
    names = [f.name for f in fields(rules.Counts)]
    rows = selectors.counts_query(qs, selectors.dispatches_in(user=user, filters=f), group, NOW)
    return {r[field]: tuple(r[n] for n in names) for r in rows}


def days() -> dict:
    services.apply_changes()
    assert not CaseChange.objects.exists()
    counted = ((d, tuple(getattr(d, name) for name in CASE_COUNTS)) for d in CaseDay.objects.all())
    return {(d.region_id, d.kind, d.month, d.day, d.key): n for d, n in counted if any(n)}


def test_a_new_case_closing_reopening_moving_and_deleting_it_show_up_in_the_next_read(w):
    cm = Organization.objects.get(name="区城市管理综合执法局")
    a1, a2 = w.community_a1.pk, w.community_a2.pk
    case = receive(w, w.grid_a1, now=at(2025, 3, 3, 9))
    assert read(w, "community")[a1][:3] == (1, 0, 0)  # cases, dispatched, closed

    closed = {"state": rules.CLOSED, "on_time": True, "rating": rules.SATISFIED, "handling_seconds": 7200}
    Case.objects.filter(pk=case.pk).update(dispatched_at=at(2025, 3, 3, 10), lead_department=cm, **closed)
    assert read(w, "community")[a1] == (1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 7200)
    assert read(w, "department")[cm.pk][2] == 1
    Case.objects.filter(pk=case.pk).update(visit_result=rules.UNSOLVED)
    assert read(w, "community")[a1][13:16] == (1, 0, 0)  # visited, solved, unreachable
    Case.objects.filter(pk=case.pk).update(visit_result=rules.SOLVED)
    assert read(w, "community")[a1][13:16] == (1, 1, 0)
    Case.objects.filter(pk=case.pk).update(visit_result=rules.UNREACHABLE)
    assert read(w, "community")[a1][13:16] == (0, 0, 1)

    Case.objects.filter(pk=case.pk).update(state=rules.HANDLING, due_at=at(2025, 3, 5, 17, 30))  # reopened, late
    assert read(w, "community")[a1] == (1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    Case.objects.filter(pk=case.pk).update(state=rules.DEFERRED)  # 缓办: 应结案, out of the denominator
    assert read(w, "community")[a1][3:6] == (1, 0, 1)  # due, on time, deferred
    Case.objects.filter(pk=case.pk).update(state=rules.HANDLING)

    # A dispatch to 城管, returned late; it moves with its case below, and goes with it.
    dispatch = Assignment.objects.create(case=case, department=cm, dispatched_at=at(2025, 3, 3, 10),
                                         response_due=at(2025, 3, 3, 14))  # fmt: skip
    assert read(w, "department")[cm.pk][7:11] == (1, 0, 1, 0)  # assigned, returned, response due, responded
    Assignment.objects.filter(pk=dispatch.pk).update(answered_at=at(2025, 3, 3, 15), returned_at=at(2025, 3, 3, 15))
    assert read(w, "department")[cm.pk][7:11] == (1, 1, 1, 0)

    Case.objects.filter(pk=case.pk).update(region=w.grid_a2, community=w.community_a2, lead_department=None)
    assert a1 not in read(w, "community") and read(w, "community")[a2][0] == 1
    assert read(w, "community")[a2][7:9] == (1, 1)
    assert list(read(w, "department")) == [cm.pk, None]  # 城管 for the dispatch it returned, with no case
    assert read(w, "street", region=w.street_a.pk)[w.street_a.pk][0] == 1

    Case.objects.filter(pk=case.pk).update(received_at=at(2025, 4, 1))  # out of the period
    assert read(w, "community") == {}
    Case.objects.filter(pk=case.pk).update(received_at=at(2025, 3, 31, 23, 59))
    assert read(w, "community")[a2][0] == 1

    CaseEvent.objects.filter(case=case).delete()
    case.delete()
    assert read(w, "community") == {} and read(w, "department") == {}


def test_refresh_all_recounts_the_case_summaries(w):
    receive(w, w.grid_b1, now=at(2025, 3, 10, 9))
    counted = days()
    CaseDay.objects.update(cases=99)
    services.refresh_all()
    assert days() == counted
    assert read(w, "street") == recount(w, "street")


def test_cases_written_in_a_bulk_load_are_counted_at_its_end(w):
    with services.bulk_load():
        receive(w, w.grid_a2, now=at(2025, 3, 2, 9))
        if connection.vendor == "postgresql":
            assert not CaseChange.objects.exists()  # the triggers are paused for this session
    assert read(w, "community")[w.community_a2.pk][0] == 1


def test_parts_of_days_and_department_staff_are_counted_from_the_cases(w):
    """Summaries by day cannot cut a day, nor tell the cases a department assists: those reads count the cases."""
    receive(w, w.grid_a1, now=at(2025, 3, 3, 9))
    receive(w, w.grid_a1, now=at(2025, 3, 3, 15))
    CaseDay.objects.update(cases=99)  # wrong summaries, not read below
    assert read(w, "community", start=at(2025, 3, 3, 12))[w.community_a1.pk][0] == 1
    rows = selectors.indicators(user=w.users["dept_handler"], group="community", start=START, end=END, now=NOW)
    assert [r.counts.cases for r in rows] == []  # neither case is the department's


MOMENTS = [START - timedelta(seconds=1), START, at(2025, 3, 15, 23, 59, 59), at(2025, 3, 16), END]
PERIODS = [(START, at(2025, 3, 16)), (at(2025, 2, 28), END), (START, END + timedelta(days=1))]
GRIDS = ("grid_a1", "grid_a1b", "grid_a2", "grid_b1")
STATES = sorted(set(rules.STATE_LABELS) - {rules.MERGED})  # merged needs an original: rejected stands for both


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_the_summaries_equal_a_recount_after_random_case_edits(w, data):
    """Each example in a savepoint of its own, rolled back: the next one starts from no cases."""
    departments = [None, *Organization.objects.filter(kind=Organization.Kind.DEPARTMENT)[:2]]
    with transaction.atomic():
        for _ in range(data.draw(st.integers(1, 10), label="edits")):
            cases = list(Case.objects.all())
            grid = getattr(w, data.draw(st.sampled_from(GRIDS), label="grid"))
            action = data.draw(st.sampled_from(["new", "edit", "move", "delete", "dispatch", "answer"]))
            if action == "new" or not cases:
                receive(w, grid, now=data.draw(st.sampled_from(MOMENTS), label="received"))
                continue
            case = data.draw(st.sampled_from(cases), label="case")
            if action == "move":
                Case.objects.filter(pk=case.pk).update(
                    region=grid, community=grid.parent, street=grid.parent.parent,
                    lead_department=data.draw(st.sampled_from(departments), label="department"),
                )  # fmt: skip
            elif action == "dispatch":
                Assignment.objects.create(
                    case=case, department=data.draw(st.sampled_from(departments[1:]), label="sent to"),
                    dispatched_at=START, response_due=data.draw(st.sampled_from([None, END]), label="response due"),
                )  # fmt: skip
            elif action == "answer" and case.assignments.exists():
                answered = data.draw(st.sampled_from([START, END + timedelta(days=1)]), label="answered")
                case.assignments.update(answered_at=answered, returned_at=data.draw(st.sampled_from([None, answered])))
            elif action == "delete":
                CaseEvent.objects.filter(case=case).delete()
                case.delete()
            else:
                Case.objects.filter(pk=case.pk).update(
                    state=data.draw(st.sampled_from(STATES), label="state"),
                    received_at=data.draw(st.sampled_from(MOMENTS), label="received"),
                    dispatched_at=data.draw(st.sampled_from([None, START]), label="dispatched"),
                    due_at=data.draw(st.sampled_from([None, at(2025, 3, 20), END]), label="due"),
                    on_time=data.draw(st.sampled_from([None, True, False]), label="on time"),
                    rework_count=data.draw(st.integers(0, 2), label="reworked"),
                    return_count=data.draw(st.integers(0, 2), label="returned"),
                    rating=data.draw(st.sampled_from(["", *rules.RATING_LABELS]), label="rating"),
                    visit_result=data.draw(st.sampled_from(["", *rules.VISIT_LABELS]), label="visit"),
                    handling_seconds=data.draw(st.sampled_from([None, 0, 3600, 90_000]), label="seconds"),
                )
        admin, counted = w.users["admin"], Case.objects.exclude(state__in=rules.NOT_COUNTED)
        counted = counted.filter(received_at__gte=START, received_at__lt=END).order_by()
        for group in GROUPS:
            assert read(w, group) == recount(w, group)
            field, states = selectors.GROUPS[group] + "_id", {}
            for row in counted.values(field, "state").annotate(n=Count("pk")):
                states.setdefault(row[field], {})[row["state"]] = row["n"]
            assert supervision.states_by_group(user=admin, group=group, start=START, end=END) == states
        month = TruncMonth("received_at", tzinfo=timezone.get_current_timezone())
        months = {r["m"].date(): r["n"] for r in counted.annotate(m=month).values("m").annotate(n=Count("pk"))}
        assert supervision.received_by_month(user=admin, start=START, end=END) == months
        assert read(w, "department", region=w.street_a.pk) == recount(w, "department", region=w.street_a.pk)
        for start, end in PERIODS:  # days only; a whole month and a day before it; a whole month and a day after
            assert read(w, "community", start=start, end=end) == recount(w, "community", start=start, end=end)
        folded = days()
        services.refresh_all()
        assert days() == folded
        transaction.set_rollback(True)
