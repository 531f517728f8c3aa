"""物业监管 of the demo (SPEC §5, 000 篇1): about thirty property companies with their profiles, project managers
(a few certificates expired), a project on every estate a company serves (the 前期 one chosen as the tender rule
says, some estates on their second company), every estate with a 物业化 status (mostly 专业物业, some 自管, a few
弃管), and credit files whose scores fall in every grade, last year's and this year's. The demo company's (安居)
bad records come from complaints it answered and the community closed, played through the case services.

Runs after the campaigns, which give most estates a company (campaigns._property_companies); the demo company
keeps its estates (its honours depend on them), the others are shared among all companies."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Sum

from linli.accounts.models import User
from linli.cases.models import Case, Category
from linli.cases.services import case_act, case_create
from linli.organizations.models import Organization
from linli.people import rules as people_rules
from linli.people.models import Estate, House
from linli.property import rules, selectors
from linli.property.models import CompanyProfile, CreditRecord, Project, ProjectManager
from linli.regions import rules as region_rules
from linli.regions.models import Region

from . import identity
from .cases import tracking_code

COMPANY_COUNT = 30
BRANDS = (
    "恒达 佳和 鑫源 宏泰 盛景 嘉禾 瑞丰 华庭 金盾 康居 锦程 明珠 德信 龙湖 万宁 天成 "
    "沈水 北陵 和平 泰山 中兴 东方 汇丰 安泰 祥和 乐居 红杉 华府 润泽 福瑞 广厦"
).split()
STREETS = ["青年大街", "北站路", "市府大路", "惠工街"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华",
         "志强", "海燕", "晓东", "春梅"]  # fmt: skip
SELF_SHARE = 0.7  # of the estates without a company: 自管 (the rest 无物业·弃管)
SECOND_COMPANY_SHARE = 0.2  # estates on their second company, the 前期 one's project ended
# This year's records per target grade (base 80): codes of the catalogue; B01 of the demo company from cases.
RECORDS = {
    "AAA": ["G01", "G04"],
    "AA": ["G02", "B02"],
    "A": ["B04", "B01", "G03"],
    "B": ["B06", "B03"],
    "C": ["B07", "B05", "B01"],
}
# One of these more per company, so that scores differ inside a grade without leaving it.
EXTRA = {
    "AAA": [[], ["G03"], ["B02"]],
    "AA": [[], ["G03"]],
    "A": [[], ["G03"], ["B02"]],
    "B": [[], ["G03"], ["B02"]],
    "C": [[], ["B02"], ["B04"]],
}
LAST_YEAR = {"AAA": ["G02", "G03"], "AA": [], "A": ["B02"], "B": ["B04", "B03"], "C": ["B06"]}
COMPLAINTS = [
    "楼道长期堆放杂物，保洁不到位，多次找物业没人管。",
    "小区电梯经常停运，物业维修不及时。",
    "物业未公示收费项目和标准，车位费说涨就涨。",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _companies(rng: random.Random) -> list[Organization]:
    district = Region.objects.get(level=region_rules.DISTRICT)
    existing = list(Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("pk"))
    taken = {c.name for c in existing}
    names = [n for n in (f"沈阳{b}物业服务有限公司" for b in BRANDS) if n not in taken][: COMPANY_COUNT - len(existing)]
    Organization.objects.bulk_create(
        Organization(kind=Organization.Kind.COMPANY, name=name, region=district,
                     credit_code=people_rules.validate_credit_code(identity.credit_code(rng, "91210103")))
        for name in names
    )  # fmt: skip
    return list(Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("pk"))


def _profiles(rng: random.Random, companies: list[Organization], today: date) -> dict[int, list[ProjectManager]]:
    CompanyProfile.objects.bulk_create(
        CompanyProfile(company=c, legal_representative=_name(rng),
                       qualification=rng.choice(["none", "none", "grade1", "grade2", "grade3"]),
                       contact_phone=f"024-{rng.randint(22000000, 89999999)}",
                       address=f"沈河区{rng.choice(STREETS)}{rng.randint(1, 300)}号")
        for c in companies
    )  # fmt: skip
    managers = []
    for c in companies:
        for _ in range(rng.randint(1, 3)):
            valid = today + timedelta(days=rng.randint(-200, 1500))
            managers.append(ProjectManager(
                company=c, name=_name(rng), certificate_kind="物业管理企业经理岗位证书",
                certificate_number=f"WYJL{rng.randint(10**7, 10**8 - 1)}", certificate_valid_until=valid,
            ))  # fmt: skip
    by_company: dict[int, list[ProjectManager]] = {}
    for m in ProjectManager.objects.bulk_create(managers):
        by_company.setdefault(m.company_id, []).append(m)
    return by_company


def _estates(rng: random.Random, companies: list[Organization], demo_company: Organization, home: Region) -> list:
    """Shares the estates among the companies; the demo company keeps its own and serves one in the demo
    community; the estates without a company become 自管 or 弃管."""
    estates = list(Estate.objects.select_related("region").order_by("pk"))
    others = [c for c in companies if c.pk != demo_company.pk]
    if not any(e.property_company_id == demo_company.pk and e.region_id == home.pk for e in estates):
        mine = next(e for e in estates if e.region_id == home.pk)
        mine.property_company, mine.management = demo_company, Estate.Management.PROFESSIONAL
    for e in estates:
        if e.property_company_id not in (None, demo_company.pk):
            e.property_company = rng.choice(others)
        elif e.property_company_id is None:
            e.management = Estate.Management.SELF if rng.random() < SELF_SHARE else Estate.Management.NONE
    Estate.objects.bulk_update(estates, ["property_company", "management"], batch_size=500)
    return estates


def _projects(rng: random.Random, estates: list, companies: list, managers: dict, today: date) -> int:
    rule = selectors.tender_rule()
    areas = dict(House.objects.values("unit__building__estate").annotate(a=Sum("building_area"))
                 .values_list("unit__building__estate", "a"))  # fmt: skip
    projects = []
    for e in estates:
        if e.property_company_id is None:
            continue
        area = Decimal(areas.get(e.pk) or 0)
        start = date(e.built_year or 2005, 1, 1) if (e.built_year or 2005) > 1998 else date(1999, 1, 1)
        first_company = e.property_company_id
        if rng.random() < SECOND_COMPANY_SHARE:
            first_company = rng.choice([c.pk for c in companies if c.pk != e.property_company_id])
        large = area >= rule.public_tender_area
        selection = rules.PUBLIC_TENDER if large else rng.choice([rules.INVITATION, rules.AGREEMENT])
        first = Project(
            company_id=first_company, estate=e, preliminary=True, contract_start=start,
            contract_end=start + timedelta(days=3 * 365), fee=Decimal(rng.choice(["0.60", "0.85", "1.20", "1.50"])),
            selection=selection, invited=rng.randint(3, 5) if selection == rules.INVITATION else None,
            approval="" if large else f"沈河区房产局批复〔{start.year}〕{rng.randint(1, 60)}号", area=area,
        )  # fmt: skip
        if first_company != e.property_company_id:
            first.ended_at = today - timedelta(days=rng.randint(200, 1500))
            projects.append(first)
            first = Project(
                company_id=e.property_company_id, estate=e, preliminary=False, contract_start=first.ended_at,
                contract_end=first.ended_at + timedelta(days=3 * 365), fee=Decimal(rng.choice(["1.10", "1.80"])),
                selection=rng.choice([rules.PUBLIC_TENDER, rules.AGREEMENT]), area=area,
            )  # fmt: skip
        if first.ended_at is None and first.contract_end < today:  # renewed with the same company since
            first.contract_end = today + timedelta(days=rng.randint(90, 1000))
        mine = managers.get(e.property_company_id) or []
        first.manager = rng.choice(mine) if mine else None
        projects.append(first)
    Project.objects.bulk_create(projects)
    return len(projects)


def _complaints(rng: random.Random, company: Organization, home: Region, now: datetime) -> list[Case]:
    """Complaints about the demo company's estate in the demo community: dispatched to it, answered by its staff,
    closed on site by the community worker."""
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "company_staff", "community_worker"])}
    house = (House.objects.filter(unit__building__estate__property_company=company,
                                  unit__building__estate__region=home).order_by("pk").first())  # fmt: skip
    category = Category.objects.get(code="0302")
    closed = []
    for n, text in enumerate(COMPLAINTS):
        at = now - timedelta(days=40 - 9 * n)
        data = {"category_id": category.pk, "description": text, "house_id": house.pk,
                "reporter_name": _name(rng), "reporter_phone": f"139{rng.randint(10**7, 10**8 - 1)}"}  # fmt: skip
        case = case_create(user=users["admin"], channel="hotline", data=data, now=at)
        steps = [("admin", "register", {}), ("admin", "dispatch", {"department_id": company.pk}),
                 ("company_staff", "accept", {}), ("company_staff", "feedback", {"note": "已整改并向业主说明"}),
                 ("community_worker", "verify", {})]  # fmt: skip
        for k, (who, action, params) in enumerate(steps):
            case = case_act(user=users[who], case_id=case.pk, action=action, version=case.version,
                            now=at + timedelta(hours=2 * (k + 1)), **params)  # fmt: skip
        closed.append(case)
    taken = set(Case.objects.exclude(pk__in=[c.pk for c in closed]).values_list("tracking_code", flat=True))
    for case in closed:  # the demo's own random source, so the same seed builds the same codes
        case.tracking_code = tracking_code(rng, taken)
    Case.objects.bulk_update(closed, ["tracking_code"])
    return closed


def _records(rng: random.Random, companies: list, demo_company: Organization, cases: list[Case], now: datetime):
    scheme, staff = selectors.credit_scheme(), User.objects.get(username="district_staff")
    grades = list(RECORDS)
    records = []
    for n, company in enumerate(companies):
        # The demo company's complaints (B01 below) take it from AA down to A.
        grade = "AA" if company.pk == demo_company.pk else grades[n % len(grades)]
        extra = [] if company.pk == demo_company.pk else rng.choice(EXTRA[grade])
        for year, codes in ((now.year - 1, LAST_YEAR[grade]), (now.year, RECORDS[grade] + extra)):
            for code in codes:
                item = scheme.catalogue[code]
                day = date(year, 1, 1) + timedelta(days=rng.randint(0, 300 if year < now.year else
                                                                    max(now.timetuple().tm_yday - 2, 0)))  # fmt: skip
                records.append(CreditRecord(
                    company=company, year=year, item=code, kind=item.kind, label=item.label, points=item.points,
                    evidence=f"{item.label}，经区房产局核查属实。", recorded_on=day, recorded_by=staff,
                ))  # fmt: skip
    for case in cases:  # the demo company's verified complaints, one bad record each
        item = scheme.catalogue["B01"]
        records.append(CreditRecord(
            company=demo_company, year=now.year, item="B01", kind=item.kind, label=item.label, points=item.points,
            evidence=f"业主投诉（{case.number}）经社区核查属实。", case=case, recorded_on=case.updated_at.date(),
            recorded_by=staff,
        ))  # fmt: skip
    CreditRecord.objects.bulk_create(records)
    return len(records)


def build(*, seed: int, now: datetime) -> list[str]:
    rng = random.Random(f"{seed}:property")
    today = now.date()
    demo_company = User.objects.get(username="company_staff").organization
    home = User.objects.get(username="community_worker").region
    companies = _companies(rng)
    managers = _profiles(rng, companies, today)
    estates = _estates(rng, companies, demo_company, home)
    projects = _projects(rng, estates, companies, managers, today)
    cases = _complaints(rng, demo_company, home, now)
    records = _records(rng, companies, demo_company, cases, now)
    counts = selectors.management_counts("")
    grades = selectors.grade_counts(selectors.ranking(year=now.year))
    return [
        f"物业企业 property companies: {len(companies)}，{projects} 个项目 projects，{records} 条诚信记录 records",
        f"物业化 estates: 专业物业 {counts['professional']}，自管 {counts['self']}，弃管 {counts['none']}",
        "信用等级 grades: " + "，".join(f"{g} {n}" for g, n in grades.items()),
    ]
