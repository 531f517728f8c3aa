"""超期督办 and 考核指标 pages: who may open them, scope, the figures against selectors.indicators, period parsing,
the 督办 form, the Excel export, and constant query counts."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linli.accounts.models import User
from linli.cases import rules, selectors, services
from linli.cases.models import Case, Category
from linli.cases.supervision import export as supervision_export
from linli.cases.supervision import rules as supervision_rules
from linli.cases.supervision import views as supervision_views
from linli.cases.templatetags.case_tags import working_span
from linli.testing import factories
from linli.testing.queries import page_queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
OVERDUE = "/cases/supervision/"
INDICATORS = "/cases/supervision/indicators/"
EXPORT = "/cases/supervision/indicators/export/"
MARCH = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def received(grid, when: datetime, category: str = "0401") -> Case:
    admin = User.objects.get(username="admin")
    data = {
        "category_id": Category.objects.get(code=category).pk,
        "description": "小区门口路灯不亮三天了",
        "region_id": grid.pk,
    }
    return services.case_create(user=admin, channel="window", data=data, now=when)


def act(user, case: Case, action: str, when: datetime, **kw) -> Case:
    return services.case_act(user=user, case_id=case.pk, action=action, version=case.version, now=when, **kw)


def dispatched(w, grid, when: datetime, category: str = "0401") -> Case:
    """Received, registered and dispatched to the category's department at `when`; overdue today if `when` is
    months ago."""
    admin = w.users["admin"]
    case = received(grid, when, category)
    case = act(admin, case, "register", when + timedelta(minutes=10))
    return act(admin, case, "dispatch", when + timedelta(minutes=20))


@pytest.fixture
def march(w):
    """A hand-built month, every step through services with its time:
    A 0401 甲一: closed on time, rated 满意; B 0401 甲一: late, reworked once, closed, rated 不满意;
    C 0401 甲二: returned, dispatched again, still handling (overdue now); D 0201 甲二: dispatched, overdue;
    E 甲一 rejected; F 甲一 received 03-31 23:30 (counted, not dispatched); G 04-01 00:00 (outside March);
    H 0401 乙一: closed on time, and I 0401 乙一: dispatched, overdue (street 乙)."""
    street, handler, grid = w.users["street_staff"], w.users["dept_handler"], w.users["grid_worker"]
    admin = w.users["admin"]
    a = dispatched(w, w.grid_a1, at(3, 2, 9, 40))
    a = act(handler, a, "accept", at(3, 2, 11))
    a = act(handler, a, "feedback", at(3, 3, 10), note="已更换灯泡")
    a = act(grid, a, "verify", at(3, 3, 14))
    a = act(street, a, "rate", at(3, 4, 9), rating=rules.SATISFIED)

    b = dispatched(w, w.grid_a1, at(3, 4, 9, 40))
    b = act(handler, b, "accept", at(3, 4, 11))
    b = act(handler, b, "feedback", at(3, 10, 10), note="已维修")
    b = act(grid, b, "rework", at(3, 10, 14), note="仍不亮")
    b = act(handler, b, "feedback", at(3, 11, 10), note="已再次维修")
    b = act(grid, b, "verify", at(3, 11, 15))
    b = act(street, b, "rate", at(3, 12, 9), rating=rules.UNSATISFIED)

    c = dispatched(w, w.grid_a2, at(3, 5))
    c = act(handler, c, "return", at(3, 5, 14), note="不属于本单位")
    lead = Category.objects.get(code="0401").department_id
    c = act(admin, c, "dispatch", at(3, 6, 10), department_id=lead)
    c = act(handler, c, "accept", at(3, 6, 11))

    d = dispatched(w, w.grid_a2, at(3, 10), category="0201")
    e = act(admin, received(w.grid_a1, at(3, 11)), "reject", at(3, 11, 10), note="重复反映")
    f = received(w.grid_a1, at(3, 31, 23, 30))
    g = received(w.grid_a1, at(4, 1, 0, 0))

    h = dispatched(w, w.grid_b1, at(3, 3))
    h = act(handler, h, "accept", at(3, 3, 11))
    h = act(handler, h, "feedback", at(3, 4, 10), note="已处理")
    h = act(factories.user("grid_b", "grid_worker", w.grid_b1), h, "verify", at(3, 4, 14))
    i = dispatched(w, w.grid_b1, at(3, 12))
    return {k: v for k, v in locals().items() if len(k) == 1}


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    "persona, overdue, indicators",
    [
        ("admin", 200, 200),
        ("district_staff", 200, 200),
        ("street_staff", 200, 200),
        ("community_worker", 403, 200),
        ("grid_worker", 403, 403),
        ("dept_handler", 403, 403),
        ("company_staff", 403, 403),
    ],
)
def test_each_persona_gets_the_pages_its_role_allows(client, w, persona, overdue, indicators):
    client.force_login(w.users[persona])
    assert client.get(OVERDUE).status_code == overdue
    assert client.post(OVERDUE, {"case": "1", "version": "1", "note": "请尽快"}).status_code == (
        403 if overdue == 403 else 404  # no such case in scope
    )
    assert client.get(INDICATORS).status_code == indicators
    assert client.get(EXPORT).status_code == indicators


def test_anonymous_users_are_sent_to_the_login_page(client, w):
    for url in (OVERDUE, INDICATORS, EXPORT):
        assert client.get(url)["Location"].startswith("/login/?next=")


# ---------------------------------------------------------------- 超期督办


def test_the_overdue_list_holds_the_scope_s_overdue_cases_with_working_time_past_due(client, march):
    a, c, d, i = march["a"], march["c"], march["d"], march["i"]
    client.force_login(User.objects.get(username="street_staff"))
    before = timezone.now()
    response = client.get(OVERDUE)
    rows = response.context["rows"]
    assert [r.case.number for r in rows] == [c.number, d.number]  # not closed A, nor street 乙's overdue I
    html = response.content.decode()
    assert i.number not in html and a.number not in html
    seconds = services.workdays.working_seconds_between(d.due_at, before)
    assert rows[1].duration == working_span(seconds)
    assert rows[1].light == rules.RED and rows[1].url.endswith(f"/{d.pk}/") and f'href="{rows[1].url}"' in html
    assert "区环境卫生服务中心" in html and "红灯超期" in html and "2026-03-11 17:30" in html
    client.force_login(User.objects.get(username="district_staff"))
    numbers = [r.case.number for r in client.get(OVERDUE).context["rows"]]
    assert numbers == [c.number, d.number, i.number]


def test_working_durations_read_as_days_hours_and_minutes():
    day = 7 * 3600
    assert working_span(2 * day + 3 * 3600 + 59) == "2个工作日3小时"
    assert working_span(day) == "1个工作日"
    assert working_span(5 * 3600 + 20 * 60) == "5.3小时"
    assert working_span(40 * 60) == "40分钟"
    assert working_span(30) == "1分钟"


def test_the_yellow_tab_lists_cases_on_yellow_light_only(client, march):
    c = march["c"]
    now = timezone.now()
    Case.objects.filter(pk=c.pk).update(warn_at=now - timedelta(hours=1), due_at=now + timedelta(days=2))
    client.force_login(User.objects.get(username="street_staff"))
    response = client.get(OVERDUE, {"tab": "yellow"})
    rows = response.context["rows"]
    assert [r.case.number for r in rows] == [c.number] and rows[0].light == rules.YELLOW
    assert "黄灯预警" in response.content.decode() and "距到期" in response.content.decode()
    assert [r.case.number for r in client.get(OVERDUE).context["rows"]] == [march["d"].number]


def test_supervising_one_case_records_the_note_and_the_level(client, march):
    d = march["d"]
    client.force_login(User.objects.get(username="street_staff"))
    response = client.post(OVERDUE + "?tab=overdue", {"case": d.pk, "version": d.version, "note": "请今日内签收"})
    assert response.status_code == 302 and response["Location"] == OVERDUE + "?tab=overdue"
    d.refresh_from_db()
    event = d.events.order_by("-seq").first()
    assert d.supervision_level == 1 and event.action == "supervise" and event.note == "请今日内签收"
    page = client.get(response["Location"]).content.decode()
    assert f"已督办案件{d.number}" in page
    client.force_login(User.objects.get(username="district_staff"))
    client.post(OVERDUE, {"case": d.pk, "version": d.version, "note": "挂牌督办，限期办结"})
    d.refresh_from_db()
    assert d.supervision_level == 2 and "挂牌督办" in client.get(OVERDUE).content.decode()


def test_a_missing_note_is_refused_in_chinese_and_changes_nothing(client, march):
    d = march["d"]
    client.force_login(User.objects.get(username="street_staff"))
    response = client.post(OVERDUE, {"case": d.pk, "version": d.version, "note": "  "})
    assert response.status_code == 400
    assert f"案件{d.number}：请填写督办的说明" in response.content.decode()
    assert response.context["failed"] == d.pk
    d.refresh_from_db()
    assert d.supervision_level == 0 and d.version == march["d"].version


def test_a_stale_version_answers_409_and_changes_nothing(client, march):
    d = march["d"]
    client.force_login(User.objects.get(username="street_staff"))
    response = client.post(OVERDUE, {"case": d.pk, "version": d.version - 1, "note": "请今日内签收"})
    assert response.status_code == 409
    assert "案件已被他人处理，请刷新后重试" in response.content.decode()
    d.refresh_from_db()
    assert d.supervision_level == 0 and d.version == march["d"].version


def test_bulk_supervision_is_all_or_nothing(client, march):
    c, d = march["c"], march["d"]
    client.force_login(User.objects.get(username="street_staff"))
    stale = client.post(
        OVERDUE, {"bulk": "1", "cases": [f"{c.pk}:{c.version}", f"{d.pk}:{d.version - 1}"], "note": "统一督办"}
    )
    assert stale.status_code == 409 and "所选案件都未督办" in stale.content.decode()
    assert set(Case.objects.filter(pk__in=[c.pk, d.pk]).values_list("supervision_level", flat=True)) == {0}
    none = client.post(OVERDUE, {"bulk": "1", "note": "统一督办"})
    assert none.status_code == 400 and "请勾选要督办的案件" in none.content.decode()
    ok = client.post(
        OVERDUE, {"bulk": "1", "cases": [f"{c.pk}:{c.version}", f"{d.pk}:{d.version}"], "note": "统一督办"}
    )
    assert ok.status_code == 302
    assert set(Case.objects.filter(pk__in=[c.pk, d.pk]).values_list("supervision_level", flat=True)) == {1}
    assert "已督办2件案件" in client.get(OVERDUE).content.decode()


def test_a_case_out_of_scope_cannot_be_supervised(client, march):
    i = march["i"]
    client.force_login(User.objects.get(username="street_staff"))
    response = client.post(OVERDUE, {"case": i.pk, "version": i.version, "note": "请尽快"})
    assert response.status_code == 404
    bulk = client.post(
        OVERDUE, {"cases": [f"{march['d'].pk}:{march['d'].version}", f"{i.pk}:{i.version}"], "note": "请尽快"}
    )
    assert bulk.status_code == 404
    assert set(Case.objects.filter(pk__in=[i.pk, march["d"].pk]).values_list("supervision_level", flat=True)) == {0}


# ---------------------------------------------------------------- 考核指标


def test_the_table_equals_selectors_indicators_for_a_hand_built_month(client, march):
    street = User.objects.get(username="street_staff")
    client.force_login(street)
    response = client.get(INDICATORS, {**MARCH, "group": "department"})
    assert response.status_code == 200
    report = response.context["report"]
    start, end = at(3, 1, 0), at(4, 1, 0)
    assert (report.start, report.end) == (start, end)  # the last day shown, 03-31, is included
    expected = selectors.indicators(user=street, group="department", start=start, end=end)
    by_name = {row.name: row for row in report.rows}
    assert {r.name: (r.counts, r.values, r.ranks) for r in expected} == {
        name: (r.counts, r.values, r.ranks) for name, r in by_name.items()
    }
    # The hand count: A, B, C for the city management bureau; D for sanitation; F (03-31 23:30) not dispatched.
    city = by_name["区城市管理综合执法局"].counts
    assert city == rules.Counts(
        cases=3,
        dispatched=3,
        closed=2,
        due=3,
        on_time=1,
        reworked=1,
        # A, B and C twice: C returned by the bureau itself and sent back to it; each signed for or returned in time.
        assigned=4,
        returned=1,
        response_due=4,
        responded=4,
        rated=2,
        satisfied=1,
        handling_seconds=48 * 3600,
    )
    assert by_name["区城市管理综合执法局"].values.avg_handling_hours == Decimal("24.0")  # (9.5 + 38.5) / 2
    assert by_name["（未派遣）"].counts.cases == 1 and sum(r.counts.cases for r in report.rows) == 5
    assert report.total == selectors.totals(expected)

    html = response.content.decode()
    assert 'title="按期结案 1 件 / (应结案 3 件 − 缓办 0 件)"' in html and "33.3%" in html
    assert 'title="按时签收 4 件 / 应签收 4 件"' in html and 'title="退单 1 件 / 派单 4 件"' in html
    assert 'title="满意和基本满意 1 件 / 已评价 2 件"' in html
    assert 'title="返工过 0 件 / 已结案 0 件，无可计算的基数"' in html  # sanitation: nothing closed → "—"
    sanitation = next(row for row in response.context["rows"] if row["name"] == "区环境卫生服务中心")
    cells = {cell["key"]: cell for cell in sanitation["cells"]}
    assert cells["rework_rate"]["text"] == "—" and cells["rework_rate"]["rank"] is None
    assert cells["on_time_rate"]["text"] == "0.0%" and cells["on_time_rate"]["rank"] == 2
    total = {cell["key"]: cell for cell in response.context["total"]["cells"]}
    assert total["on_time_rate"]["text"] == "25.0%"  # on time 1 / due 4


def test_the_charts_add_up_to_the_table(client, march):
    client.force_login(User.objects.get(username="street_staff"))
    response = client.get(INDICATORS, {**MARCH, "group": "community", "sort": "close_rate"})
    charts = response.context["charts"]
    assert charts["states"]["groups"] == ["甲一社区", "甲二社区"]
    closed = next(s for s in charts["states"]["series"] if s["name"] == "已结案")
    assert closed["counts"] == [2, 0]
    assert [sum(col) for col in zip(*(s["counts"] for s in charts["states"]["series"]), strict=True)] == [3, 2]
    assert charts["monthly"] == {"months": ["2026年3月"], "counts": [5]}
    assert charts["ranking"]["label"] == "结案率" and charts["ranking"]["names"] == ["甲一社区", "甲二社区"]
    assert charts["ranking"]["values"] == [66.7, 0.0]
    assert 'id="indicators-data"' in response.content.decode()


def test_sorting_by_an_indicator_orders_the_rows_by_its_rank(client, march):
    client.force_login(User.objects.get(username="street_staff"))
    names = lambda params: [r.name for r in client.get(INDICATORS, {**MARCH, **params}).context["report"].rows]  # noqa: E731
    assert names({"group": "department", "sort": "on_time_rate"})[:2] == ["区城市管理综合执法局", "区环境卫生服务中心"]
    assert names({"group": "department", "sort": "return_rate"})[:2] == ["区环境卫生服务中心", "区城市管理综合执法局"]
    assert names({"group": "department", "sort": "bogus"})[:1] == ["区城市管理综合执法局"]
    assert names({"group": "department", "sort": "cases"})[0] == "区城市管理综合执法局"


def test_a_street_worker_never_sees_street_b(client, march):
    h = march["h"]
    client.force_login(User.objects.get(username="street_staff"))
    response = client.get(INDICATORS, {**MARCH, "group": "street"})
    assert [r.name for r in response.context["report"].rows] == ["甲街道"]
    assert "乙" not in response.content.decode()
    assert "乙" not in str(response.context["charts"])
    assert "乙一社区" not in [label for _, label in response.context["form"].fields["region"].choices]
    assert client.get(INDICATORS, {**MARCH, "region": march["h"].community_id}).status_code == 400
    export = client.get(EXPORT, {**MARCH, "group": "community"})
    sheet = load_workbook(BytesIO(export.content))["考核指标"]
    assert "乙一社区" not in [row[0] for row in sheet.iter_rows(values_only=True)]
    # The district sees both streets, and H's case in street 乙.
    client.force_login(User.objects.get(username="district_staff"))
    rows = client.get(INDICATORS, {**MARCH, "group": "street"}).context["report"].rows
    assert sorted(r.name for r in rows) == ["乙街道", "甲街道"] and h.street.name == "乙街道"


def test_a_community_worker_sees_only_their_community(client, march):
    client.force_login(User.objects.get(username="community_worker"))
    response = client.get(INDICATORS, {**MARCH, "group": "community"})
    assert [r.name for r in response.context["report"].rows] == ["甲一社区"]
    assert response.context["report"].rows[0].counts.cases == 3  # A, B, F
    assert response.context["can_supervise"] is False


def test_the_region_filter_narrows_to_a_community(client, march):
    client.force_login(User.objects.get(username="street_staff"))
    response = client.get(INDICATORS, {**MARCH, "group": "department", "region": march["c"].community_id})
    assert {r.name: r.counts.cases for r in response.context["report"].rows} == {
        "区城市管理综合执法局": 1,
        "区环境卫生服务中心": 1,
    }


@pytest.mark.parametrize(
    "params, message",
    [
        ({"period": "custom", "end": "2026-03-31"}, "自定义期间请填写开始日期"),
        ({"period": "custom", "start": "2026-03-01"}, "自定义期间请填写结束日期"),
        ({"start": "2026/03/01", "end": "2026-03-31"}, "开始日期格式不正确，应为“年-月-日”，如2026-01-31"),
        ({"start": "2026-02-30", "end": "2026-03-31"}, "开始日期“2026-02-30”不存在，请重新选择"),
        ({"start": "2026-03-31", "end": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"start": "1999-12-31", "end": "2026-03-01"}, "开始日期须在2000年至2099年之间"),
        ({"period": "next_century"}, "请选择有效的统计期间"),
        ({"group": "grid"}, "请选择有效的统计对象"),
    ],
)
def test_period_errors_are_shown_in_chinese(client, w, params, message):
    client.force_login(w.users["street_staff"])
    for url in (INDICATORS, EXPORT):
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode() and response.context["report"] is None


def test_a_named_period_ignores_the_date_inputs(client, w):
    client.force_login(w.users["street_staff"])
    response = client.get(INDICATORS, {"period": "last_month", "start": "garbage", "end": ""})
    assert response.status_code == 200
    first, last = supervision_rules.period_dates("last_month", timezone.localdate())
    assert (response.context["report"].first, response.context["report"].last) == (first, last)
    assert response.context["dates"] == {"start": first.isoformat(), "end": last.isoformat()}


@pytest.mark.parametrize(
    "period, today, first, last",
    [
        ("this_month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
        ("last_month", date(2026, 1, 5), date(2025, 12, 1), date(2025, 12, 31)),
        ("last_month", date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
        ("this_quarter", date(2026, 11, 23), date(2026, 10, 1), date(2026, 12, 31)),
        ("this_quarter", date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31)),
        ("this_year", date(2026, 7, 1), date(2026, 1, 1), date(2026, 12, 31)),
        ("this_month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_named_periods(period, today, first, last):
    assert supervision_rules.period_dates(period, today) == (first, last)


@pytest.mark.parametrize(
    "today, period",
    [(date(2026, 12, 1), "last_month"), (date(2026, 12, 5), "last_month"), (date(2026, 12, 10), "last_month"),
     (date(2026, 12, 11), "this_month"), (date(2026, 2, 28), "this_month"), (date(2027, 1, 3), "last_month")],
)  # fmt: skip
def test_the_page_opens_on_last_month_in_the_first_days_of_a_month(today, period):
    assert supervision_rules.default_period(today) == period


def test_the_export_has_the_table_s_header_and_rows(client, march):
    client.force_login(User.objects.get(username="street_staff"))
    response = client.get(EXPORT, {**MARCH, "group": "department"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert quote("考核指标_部门_2026-03-01_2026-03-31.xlsx") in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    rows = list(book["考核指标"].iter_rows(values_only=True))
    assert rows[0][:6] == ("部门", "案件数", "响应率（%）", "响应率排名", "按期结案率（%）", "按期结案率排名")
    assert rows[0][14:16] == ("平均处置时长（工作小时）", "平均处置时长排名")
    assert list(rows[0]) == supervision_export.export_header("部门")
    city = next(row for row in rows if row[0] == "区城市管理综合执法局")
    header = list(rows[0])
    cell = dict(zip(header, city, strict=True))
    assert cell["案件数"] == 3 and cell["按期结案率（%）"] == 33.3 and cell["按期结案率排名"] == 1
    assert cell["返工率（%）"] == 50.0 and cell["平均处置时长（工作小时）"] == 24.0
    assert (cell["应结案"], cell["按期结案"], cell["缓办"]) == (3, 1, 0)
    assert cell["处置用时合计（工作小时）"] == 48.0
    assert (cell["派单"], cell["退单"], cell["应签收"], cell["按时签收"], cell["响应率（%）"]) == (4, 1, 4, 4, 100.0)
    sanitation = dict(zip(header, next(row for row in rows if row[0] == "区环境卫生服务中心"), strict=True))
    assert sanitation["返工率（%）"] == "—" and sanitation["返工率排名"] is None
    assert rows[-1][0] == "合计" and rows[-1][1] == 5
    notes = dict(book["说明"].iter_rows(values_only=True))
    assert notes["统计期间"].startswith("2026-03-01 至 2026-03-31（含首尾两日")


# ---------------------------------------------------------------- query counts


def populate(w, count: int) -> None:
    """`count` cases dispatched months ago in street 甲 (overdue now), one in six closed, spread over grids,
    departments and months."""
    handler, grid = w.users["dept_handler"], w.users["grid_worker"]
    grids = [w.grid_a1, w.grid_a1b, w.grid_a2]
    for i in range(count):
        category = "0401" if i % 2 else "0201"
        case = dispatched(w, grids[i % 3] if category == "0201" else w.grid_a1, at(3 + i % 3, 2 + i % 20, 10), category)
        if category == "0401" and i % 3 == 1:
            case = act(handler, case, "accept", case.dispatched_at + timedelta(hours=1))
            case = act(handler, case, "feedback", case.dispatched_at + timedelta(hours=2), note="已处理")
            act(grid, case, "verify", case.dispatched_at + timedelta(hours=3))


def test_the_pages_cost_the_same_queries_at_ten_times_the_cases(client, w, monkeypatch):
    # The overdue column reads the working calendar once per row on the page, so compare full pages.
    monkeypatch.setattr(supervision_views, "PAGE_SIZE", 3)
    client.force_login(w.users["street_staff"])
    half = {"period": "custom", "start": "2026-01-01", "end": "2026-06-30"}
    pages = [
        (OVERDUE, None),
        (OVERDUE, {"tab": "yellow"}),
        (INDICATORS, half),
        (INDICATORS, {**half, "group": "community", "region": w.street_a.pk, "sort": "return_rate"}),
        (EXPORT, half),
    ]
    # A test that flushed the database (the demo's) leaves log rows of its deleted regions, which the first read
    # folds by a recount: read once before counting.
    page_queries(client, INDICATORS, half)
    populate(w, 4)  # three of them overdue: a full page
    small = [page_queries(client, url, params) for url, params in pages]
    populate(w, 36)
    large = [page_queries(client, url, params) for url, params in pages]
    assert large == small
    assert client.get(OVERDUE).context["page"].paginator.count == 33  # seven of the 0401 cases are closed
