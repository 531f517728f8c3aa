"""Reads: what each persona sees, the 物业化率 of any region, the complaint rate, the plans' measured targets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.people.models import Estate
from linli.property import selectors

from .support import complaint

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return {c.name for c in qs}


@pytest.mark.parametrize(
    "persona, seen",
    [
        ("admin", {"安居物业", "乙街物业"}),
        ("district_staff", {"安居物业", "乙街物业"}),
        ("street_staff", {"安居物业"}),  # 乙街物业 belongs to the other street
        ("community_worker", {"安居物业"}),
        ("company_staff", {"安居物业"}),  # its own file only
    ],
)
def test_who_sees_which_companies(p, persona, seen):
    assert names(selectors.company_list(user=p.world.users[persona])) == seen


def test_the_list_counts_estates_served_and_searches(p):
    rows = {c.name: c for c in selectors.company_list(user=p.world.users["admin"], q="安居")}
    assert set(rows) == {"安居物业"} and rows["安居物业"].estates_count == 1


def test_the_property_rate_of_any_region(p):
    Estate.objects.create(region=p.world.community_a2, name="自管院", management=Estate.Management.SELF)
    w = p.world
    assert selectors.management_counts(w.district.path) == {"professional": 1, "self": 1, "none": 1, "all": 3}
    assert selectors.property_rate(w.district.path) == Decimal("33.3")
    assert selectors.property_rate(w.street_a.path) == Decimal("50.0")
    assert selectors.property_rate(w.community_a1.path) == Decimal("100.0")
    assert selectors.property_rate(w.community_b1.path) == Decimal("0.0")
    assert selectors.user_rates(user=w.users["street_staff"])["rate"] == Decimal("50.0")


def test_the_complaint_rate_counts_cases_sent_to_companies_per_hundred_houses(p):
    complaint(p.world, p.a1, p.company)
    complaint(p.world, p.a1, p.company, close=False)
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    # Two complaints, two houses served in 锦绣家园: 100 件/百户.
    assert selectors.complaint_rate(p.world.street_a.path, start, end) == {
        "complaint_rate": Decimal("100.00"), "complaints": 2, "houses": 2,
    }  # fmt: skip
    assert selectors.complaint_rate(p.world.street_b.path, start, end)["complaint_rate"] is None
    assert selectors.company_complaint_rate(p.company, start, end)["complaints"] == 2
    assert selectors.company_complaint_rate(p.other, start, end)["complaint_rate"] is None
    later = end + timedelta(days=30)
    assert selectors.complaint_rate(p.world.street_a.path, end, later)["complaints"] == 0


def test_the_ranking_shows_name_score_grade_best_first(p):
    from linli.property import services

    staff = p.world.users["district_staff"]
    year = timezone.localdate().year
    services.credit_record(user=staff, company_id=p.other.pk, year=year, item="G01", evidence="获市级表彰")
    rows = selectors.ranking(year=year)
    assert rows == [{"name": "乙街物业", "score": Decimal("85.0"), "grade": "AAA"},
                    {"name": "安居物业", "score": Decimal("80.0"), "grade": "AA"}]  # fmt: skip
    assert selectors.grade_counts(rows) == {"AAA": 1, "AA": 1, "A": 0, "B": 0, "C": 0}


def test_the_list_runs_the_same_queries_whatever_the_number_of_companies(p, django_assert_max_num_queries):
    from linli.organizations.models import Organization

    user = p.world.users["district_staff"]
    Organization.objects.bulk_create(
        Organization(kind="company", name=f"物业{i}", region=p.world.district) for i in range(30)
    )
    with django_assert_max_num_queries(3):
        rows = list(selectors.company_list(user=user))
    assert len(rows) == 32 and all(isinstance(selectors.grade_of(r.score), str) for r in rows)


def test_the_file_is_dated_today_by_default(p):
    file = selectors.company_file(p.company)
    assert file["scores"][-1].year == timezone.localdate().year


def test_a_plan_measures_its_property_targets(p):
    from linli.campaigns.models import Plan, Target
    from linli.campaigns.plans.selectors import plan_targets

    complaint(p.world, p.a1, p.company)
    plan = Plan.objects.create(region=p.world.street_a, title="物业管理工作方案", issuer="甲街道办事处",
                               issued_on=timezone.localdate() - timedelta(days=30))  # fmt: skip
    for indicator, comparator, value, measure, unit in (
        ("物业化率", ">=", 100, "property_rate", "%"), ("物业服务投诉率", "<=", 2, "complaint_rate", "件/百户"),
    ):  # fmt: skip
        Target.objects.create(plan=plan, indicator=indicator, comparator=comparator, value=value, unit=unit,
                              measure=measure)  # fmt: skip
    rows = {r.target.measure: (r.actual, r.met) for r in plan_targets(plan)}
    assert rows == {"property_rate": (Decimal("100.0"), True), "complaint_rate": (Decimal("50.00"), False)}
