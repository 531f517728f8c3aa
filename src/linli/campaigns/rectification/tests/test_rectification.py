"""整改: registering findings through the case engine, the lifecycle to 消号, the register, accountability, rates,
the pages and the API (authorization matrix and constant queries)."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from linli.campaigns.plans.selectors import rectification_rates
from linli.campaigns.rectification import selectors, services
from linli.cases import rules as case_rules
from linli.cases import services as case_services
from linli.cases.models import Case, CaseEvent
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors
from linli.testing.authz import Endpoint, answers, matrix_cases, uncovered

from . import support as rectification_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(world):
    return rectification_support.make(world)


def act(rw, persona, case, action, **kw):
    case = Case.objects.get(pk=case.pk)
    return case_services.case_act(user=rw.users[persona], case_id=case.pk, action=action, version=case.version, **kw)


def fix(rw, case, *, persona="company_staff", rework=0, now=None):
    """The owner signs and feeds back; the registering office checks (返工 `rework` times first) and closes."""
    act(rw, persona, case, "accept", now=now)
    for _ in range(rework):
        act(rw, persona, case, "feedback", note="已整改", now=now)
        act(rw, "district_staff", case, "rework", note="现场核查仍有渗漏", now=now)
    act(rw, persona, case, "feedback", note="已更换防水层", now=now)
    return act(rw, "district_staff", case, "verify", now=now)


def test_a_dispatcher_registers_and_dispatches_with_the_deadline_kept(rw):
    case = rw.register()
    assert case.kind == case_rules.RECTIFICATION and case.plan == rw.plan and case.estate == rw.estate_a1
    assert case.state == case_rules.DISPATCHED and case.lead_department == rw.company
    due = services.deadline_end(timezone.localdate() + timedelta(days=20))
    assert case.due_at == due  # the 整改时限, not the category's 15 working days
    assert case.channel == "inspection" and case.community == rw.w.community_a1
    assert list(case.events.values_list("action", flat=True)) == ["receive", "register", "dispatch"]


def test_fixed_checked_and_closed_is_消号_in_time(rw):
    case = fix(rw, rw.register())
    assert case.state == case_rules.CLOSED and case.on_time is True
    row = selectors.finding_rows([case], timezone.now())[0]
    assert not row.failed and not row.late


def test_a_failed_check_is_a_failed_rectification_and_two_flag_the_unit(rw):
    fix(rw, rw.register(), rework=1)
    flagged = [u.name for u in selectors.accountability(user=rw.users["district_staff"], plan=rw.plan)]
    assert flagged == []
    fix(rw, rw.register(), rework=1)
    fix(rw, rw.register())  # a clean one does not add
    units = selectors.plan_units(user=rw.users["district_staff"], plan=rw.plan)
    assert [(u.name, u.findings, u.closed, u.failed, u.flagged) for u in units] == [("安居物业", 3, 3, 2, True)]
    flagged = selectors.accountability(user=rw.users["district_staff"], plan=rw.plan)
    assert [u.name for u in flagged] == ["安居物业"]


def test_late_fixes_and_open_overdue_findings_count_as_failed(rw):
    start = timezone.now() - timedelta(days=40)
    late = rw.register(now=start, due_on=(start + timedelta(days=5)).date().isoformat())
    fix(rw, late, now=start + timedelta(days=10))  # fed back after the deadline
    open_ = rw.register(now=start, due_on=(start + timedelta(days=5)).date().isoformat())
    rw.register()  # in time so far
    qs = selectors.finding_list(user=rw.users["district_staff"], filters=selectors.FindingFilter(failed=True))
    assert set(qs.values_list("pk", flat=True)) == {late.pk, open_.pk}
    overdue = selectors.FindingFilter(overdue=True)
    assert list(selectors.finding_list(user=rw.users["district_staff"], filters=overdue)) == [open_]
    rates = rectification_rates(rw.plan)
    assert (rates["findings"], rates["closed"], rates["closed_on_time"]) == (3, 1, 0)
    assert rates["rectification_rate"] == Decimal("33.3") and rates["rectification_on_time"] == Decimal("0.0")


def test_db_filter_agrees_with_the_rule(rw):
    start = timezone.now() - timedelta(days=40)
    cases = [rw.register(now=start, due_on=(start + timedelta(days=d)).date().isoformat()) for d in (5, 60)]
    fix(rw, cases[0], rework=1, now=start + timedelta(days=3))
    cases.append(rw.register())
    now = timezone.now()
    qs = selectors.finding_list(user=rw.users["admin"], filters=selectors.FindingFilter(failed=True), now=now)
    rows = selectors.finding_rows(selectors.finding_list(user=rw.users["admin"], now=now), now)
    assert set(qs.values_list("pk", flat=True)) == {r.case.pk for r in rows if r.failed}


def test_rates_without_findings_are_none(rw):
    rates = rectification_rates(rw.plan)
    assert rates["rectification_rate"] is None and rates["rectification_on_time"] is None


def test_a_community_worker_registers_and_the_street_dispatches(rw):
    case = rw.register("community_worker", owner_id=None)
    assert case.state == case_rules.RECEIVED and case.lead_department is None
    due = case.due_at
    act(rw, "street_staff", case, "register")
    case = act(rw, "street_staff", case, "dispatch", department_id=rw.dept.pk)
    assert case.due_at == due and case.lead_department == rw.dept


def test_the_registering_office_may_accept_the_fix(rw):
    """A rectification is accepted (验收) by the dispatcher even when its category wants an on-site check."""
    case = rw.register()
    assert rw.category().requires_verification
    act(rw, "company_staff", case, "accept")
    act(rw, "company_staff", case, "feedback", note="已整改")
    assert act(rw, "street_staff", case, "verify").state == case_rules.CLOSED


def _snapshot():
    return Case.objects.count(), CaseEvent.objects.count()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"plan_id": 999999}, "plan_id"),
        ({"plan_id": "x"}, "plan_id"),
        ({"owner_id": None}, "owner_id"),
        ({"owner_id": 999999}, "owner_id"),
        ({"due_on": "2020-01-01"}, "due_on"),
        ({"due_on": "明天"}, "due_on"),
        ({"due_on": "2099-01-01"}, "due_on"),
        ({"estate_id": None}, "estate_id"),
        ({"description": "漏"}, "description"),
        ({"category_id": 999999}, "category_id"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_changes_nothing(rw, change, field):
    before = _snapshot()
    with pytest.raises(ValidationFailed) as exc:
        rw.register(**change)
    assert field in {e.field for e in exc.value.errors}
    assert all("\u4e00" <= ch <= "\u9fff" for e in exc.value.errors for ch in e.message[:1])
    assert _snapshot() == before


def test_a_draft_plan_takes_no_findings(rw):
    rw.plan.status = "draft"
    rw.plan.save()
    with pytest.raises(ValidationFailed) as exc:
        rw.register()
    assert exc.value.errors[0].field == "plan_id"


def test_an_estate_out_of_scope_is_refused(rw):
    before = _snapshot()
    with pytest.raises(ValidationFailed) as exc:
        rw.register("street_staff", estate=rw.estate_b1)
    assert exc.value.errors[0].field == "estate_id" and _snapshot() == before


def test_a_place_outside_the_plans_region_is_refused(rw):
    """A street's plan takes findings of its own street only, even from the district's staff."""
    rw.plan.region = rw.w.street_a
    rw.plan.save()
    before = _snapshot()
    with pytest.raises(ValidationFailed) as exc:
        rw.register(estate=rw.estate_b1)
    assert exc.value.errors[0].field == "estate_id" and _snapshot() == before
    assert rw.register(estate=rw.estate_a1).plan == rw.plan


@pytest.mark.parametrize("persona", ["grid_worker", "dept_handler", "company_staff"])
def test_who_may_not_register_gets_403(rw, persona):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        rw.register(persona)
    assert _snapshot() == before


def test_a_stale_version_is_409(rw):
    case = rw.register()
    with pytest.raises(Conflict):
        case_services.case_act(user=rw.users["company_staff"], case_id=case.pk, action="accept", version=1)


# ---------------------------------------------------------------- pages


def _client(rw, persona):
    c = Client()
    c.force_login(rw.users[persona])
    return c


def test_register_page_shows_findings_rates_and_accountability(rw):
    for _ in range(2):
        fix(rw, rw.register(), rework=1)
    page = _client(rw, "district_staff").get("/campaigns/rectification/", {"plan": rw.plan.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "问责" in html and "安居物业：整改不力 2 件" in html and "整改率" in html and "100.0%" in html
    assert "已消号" in html


def test_register_page_of_an_owner_shows_only_its_findings(rw):
    rw.register()
    rw.register(owner_id=rw.dept.pk)
    html = _client(rw, "company_staff").get("/campaigns/rectification/").content.decode()
    assert "共 1 条" in html


def test_export_is_an_xlsx_of_the_filtered_register(rw):
    case = fix(rw, rw.register(), rework=1)
    rw.register(owner_id=rw.dept.pk)
    response = _client(rw, "district_staff").get("/campaigns/rectification/export/", {"owner": rw.company.pk})
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][:3] == ("编号", "工作方案", "小区") and len(rows) == 2
    assert rows[1][0] == case.number and rows[1][9] == 1 and rows[1][10] == "是"


def test_create_page_registers_and_shows_errors(rw):
    client = _client(rw, "street_staff")
    assert client.get("/campaigns/rectification/new/").status_code == 200
    data = rw.finding_data()
    bad = client.post("/campaigns/rectification/new/", data | {"due_on": "2020-01-01"})
    assert bad.status_code == 400 and "整改时限不能早于今天" in bad.content.decode()
    assert Case.objects.count() == 0
    ok = client.post("/campaigns/rectification/new/", {k: v for k, v in data.items() if v is not None})
    assert ok.status_code == 302 and Case.objects.get().state == case_rules.DISPATCHED
    assert _client(rw, "dept_handler").get("/campaigns/rectification/new/").status_code == 403


def test_register_page_queries_do_not_grow_with_findings(rw):
    client = _client(rw, "district_staff")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/campaigns/rectification/", {"plan": rw.plan.pk}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        rw.register()
    small = count()
    for _ in range(18):
        rw.register(owner_id=rw.dept.pk)
    assert count() == small


# ---------------------------------------------------------------- API

ROLES = factories.PERSONAS


def _finding(ctx) -> dict:
    return ctx.finding_data(owner_id=ctx.company.pk)


# fmt: off
ENDPOINTS = [
    #                                                   adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/rectifications",                 "200 200 200 200 200 200 200 200"),
    Endpoint("POST", "/rectifications",                 "201 201 201 201 400 403 403 403", body=_finding),
    Endpoint("GET",  "/rectifications/export",          "200 200 200 200 200 200 200 200"),
    Endpoint("GET",  "/rectifications/plans/{plan}",    "200 200 200 200 200 200 200 200",
             out_of_scope="404 404 404 404 404 404 404 404"),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def test_authorization_matrix(rw):
    """In scope: the district plan every persona sees; out of scope: a plan that does not exist (the same answer)."""
    got, table = answers(rw.users, CASES, {"in": rw, "out": {"plan": 999999}})
    assert got == table


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/rectifications") == (set(), set())


def test_api_list_shows_only_findings_in_scope(rw):
    rw.register()
    rw.register(estate=rw.estate_b1, owner_id=rw.dept.pk)
    counts = {p: ApiClient(rw.users[p]).get("/rectifications").json()["count"] for p in ROLES}
    assert counts == {"admin": 2, "district_staff": 2, "street_staff": 1, "community_worker": 1,
                      "community_worker2": 0, "grid_worker": 0, "dept_handler": 0, "company_staff": 1}  # fmt: skip


def test_api_export_is_the_filtered_register(rw):
    case = rw.register()
    rw.register(owner_id=rw.dept.pk)
    response = ApiClient(rw.users["district_staff"]).get("/rectifications/export", {"owner": rw.company.pk})
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("编号", "工作方案", "小区") and [r[0] for r in rows[1:]] == [case.number]


def test_api_register_bad_input_is_400(rw):
    response = ApiClient(rw.users["district_staff"]).post("/rectifications", rw.finding_data(due_on="2020-01-01"))
    assert response.status_code == 400 and "due_on" in field_errors(response)
    assert Case.objects.count() == 0


def test_api_plan_summary_lists_the_units_called_to_account(rw):
    for _ in range(2):
        fix(rw, rw.register(), rework=1)
    body = ApiClient(rw.users["district_staff"]).get(f"/rectifications/plans/{rw.plan.pk}").json()
    assert body["rectification_rate"] == "100.0" and body["findings"] == 2
    assert [u["name"] for u in body["accountability"]] == ["安居物业"]


def test_api_list_queries_do_not_grow(rw):
    client = ApiClient(rw.users["district_staff"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/rectifications").status_code == 200
        return len(ctx.captured_queries)

    rw.register()
    small = count()
    for _ in range(9):
        rw.register()
    assert count() == small
