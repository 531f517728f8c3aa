"""Fixtures of campaign tests: a district plan drawn up through the services, with a small task tree."""

from datetime import date
from decimal import Decimal

import pytest

from linli.campaigns.plans import services
from linli.organizations.models import Organization


def plan_data(region, **extra) -> dict:
    """A plan as a seed holds it (000 篇1, cut down): two targets, a leading group, three phases, a section."""
    return {
        "region_id": region.pk,
        "title": "依法加强居民小区物业管理工作方案",
        "issuer": "沈河区人民政府办公室",
        "doc_number": "沈河政办发〔2026〕8号",
        "issued_on": date(2026, 1, 10),
        "guiding_idea": "以《物业管理条例》为依据，规范管理、提高物业服务水平。",
        "report_cycle": "monthly",
        "targets": [
            {"indicator": "物业化率", "comparator": ">=", "value": Decimal(100), "measure": "property_rate"},
            {"indicator": "业主大会成立率", "comparator": ">=", "value": Decimal(80), "measure": "reported"},
        ],
        "group": [
            {"duty": "leader", "name": "邢凯", "title": "副区长"},
            {"duty": "member", "unit": "区住房和城乡建设局"},
        ],
        "phases": [
            {"name": "排查阶段", "starts_on": date(2026, 1, 10), "ends_on": date(2026, 3, 31)},
            {"name": "整改完善阶段", "starts_on": date(2026, 4, 1), "ends_on": date(2026, 9, 30)},
            {"name": "验收阶段", "starts_on": date(2026, 10, 1), "ends_on": date(2026, 12, 31)},
        ],
        "sections": [{"heading": "保障措施", "body": "（一）提高认识，明确责任。"}],
        **extra,
    }


@pytest.fixture
def plan(world):
    """A district plan by district_staff, still a draft, with tasks 1 (lead: the department) → 1.1 (甲一社区), 1.2
    (甲二社区) and 2 (乙一社区)."""
    staff = world.users["district_staff"]
    p = services.plan_create(user=staff, data=plan_data(world.district))
    dept = Organization.objects.get(name="区城市管理综合执法局")

    def task(title, unit, **extra):
        return services.task_create(user=staff, plan=p, data={"title": title, **unit, **extra})

    t1 = task("全面排查", {"lead_units": [f"org:{dept.pk}"]})
    a1 = {"responsible_units": [f"region:{world.community_a1.pk}"]}
    task("甲一排查", a1, parent_id=t1.pk, due_on=date(2026, 3, 31))
    task("甲二排查", {"responsible_units": [f"region:{world.community_a2.pk}"]}, parent_id=t1.pk)
    task("乙一排查", {"responsible_units": [f"region:{world.community_b1.pk}"]})
    p.refresh_from_db()
    return p
