"""Fixtures of the rectification and honours tests: the persona district with the case catalogue, an issued
district plan (000 篇1's property clean-up), and two estates, one in 甲一 served by 安居物业 and one in 乙一."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from linli.campaigns.models import Plan
from linli.campaigns.rectification import services
from linli.cases.models import Category
from linli.organizations.models import Organization
from linli.people.models import Estate
from linli.testing import factories


@dataclass
class RW:
    w: factories.World
    plan: Plan
    estate_a1: Estate
    estate_b1: Estate
    dept: Organization
    company: Organization

    @property
    def users(self):
        return self.w.users

    def category(self, code: str = "0307") -> Category:
        return Category.objects.get(code=code)

    def finding_data(self, estate=None, **extra) -> dict:
        return {
            "plan_id": self.plan.pk,
            "estate_id": (estate or self.estate_a1).pk,
            "category_id": self.category().pk,
            "description": "3号楼屋面防水层老化，顶层住户漏雨",
            "owner_id": self.company.pk,
            "due_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            **extra,
        }

    def url_values(self) -> dict:
        return {"plan": self.plan.pk}

    def register(self, persona="district_staff", now: datetime | None = None, **extra):
        return services.finding_register(user=self.users[persona], data=self.finding_data(**extra), now=now)


def make(world) -> RW:
    factories.install_case_catalogue(world)
    plan = Plan.objects.create(
        region=world.district, title="依法加强居民小区物业管理工作方案", issuer="沈河区人民政府办公室",
        issued_on=date(2026, 1, 10), status="issued",
    )  # fmt: skip
    company = Organization.objects.get(name="安居物业")
    dept = Organization.objects.get(name="区住房和城乡建设局")
    a1 = Estate.objects.create(region=world.community_a1, name="锦绣家园", property_company=company,
                               management=Estate.Management.PROFESSIONAL,
                               latitude="41.790000", longitude="123.420000")  # fmt: skip
    b1 = Estate.objects.create(region=world.community_b1, name="乙一花园", latitude="41.800000", longitude="123.450000")
    return RW(world, plan, a1, b1, dept, company)
