"""The demo's honours (挂牌, 001 篇7) and rectification findings (整改, 000 篇1), written through the services with
past moments, so every timeline is one the services would have written.

- Honour types and their 摘牌 rules; about fifteen plates granted to estates and communities (applied by the
  community workers and the property company's staff, reviewed by the street, granted by the district), a few
  applications still under review, and one plate taken down by the hourly review because of a real case: a
  疫情防控 case received in a 无疫小区 estate after its grant.
- About forty findings of the property plan: most closed in time (消号), some late, some reworked, some still open
  and a few overdue; the late and reworked ones fall to two units, which the register flags for 问责.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from linli.accounts import roles, scope
from linli.accounts.models import User
from linli.accounts.roles import Role
from linli.campaigns.plans import selectors as plan_selectors
from linli.campaigns.rectification import selectors as rectification_selectors
from linli.campaigns.rectification import services as rectification
from linli.cases import services as case_services
from linli.cases.models import Case, Category
from linli.honours import rules, selectors, services
from linli.honours.models import Honour, HonourType
from linli.people.models import Estate

FINDINGS = (
    ["on_time"] * 20 + ["late"] * 4 + ["rework"] * 4 + ["open"] * 6 + ["overdue"] * 3
)  # the late and reworked ones go to two units only, so exactly those two are called to account
FINDING_CATEGORIES = ["0307", "0305", "0306", "0302", "0802", "0102"]
FINDING_TEXTS = {
    "0307": "{estate}开发遗留问题：小区道路和排水管网未按规划完成，雨后积水严重",
    "0305": "{estate}单元门禁、楼道照明等公共设施损坏未修复",
    "0306": "{estate}顶层多户屋面防水层老化漏雨，属工程质量遗留问题",
    "0302": "{estate}楼道长期堆放杂物，保洁不到位",
    "0802": "{estate}消防通道被私家车和杂物占用",
    "0102": "{estate}院内乱堆乱放建筑垃圾",
}
OWNERS = ["company_staff", "dept_housing", "dept_handler", "dept_sanitation"]
STATEMENT = (
    "本{unit}自开展创建以来，对照创建标准逐项落实：网格化管理全覆盖，台账齐全，重点部位每日消杀，14天以上无新发病例。"
)


def _at(day: datetime, hour: float) -> datetime:
    return datetime.combine(day.date(), time(int(hour), int(hour % 1 * 60)), tzinfo=day.tzinfo)


def _act(user: User, case: Case, action: str, at: datetime, **kw) -> Case:
    case.refresh_from_db()
    return case_services.case_act(user=user, case_id=case.pk, action=action, version=case.version, now=at, **kw)


def build(*, rng: random.Random, now: datetime, plans: list) -> list[str]:
    now = timezone.localtime(now)
    users = {u.username: u for u in User.objects.select_related("region", "organization")}
    services.honour_types_install()
    lines = [f"荣誉类型 honour types: {HonourType.objects.count()}"]
    honoured = _honours(rng, now, users)
    lines += _revoke_one(now, users, honoured)
    if plans:
        # Findings stay out of the honoured estates and communities, so only the one case above takes a plate down.
        paths = [users[w].region.path for w in ("community_worker", "community_worker2")]
        nearby = Estate.objects.filter(scope.region_q(paths[0], "region") | scope.region_q(paths[1], "region"))
        spared = {e.pk for e in honoured} | set(nearby.values_list("pk", flat=True))
        lines += _findings(rng, now, users, plans[0], exclude=spared)
    counts = {s: Honour.objects.filter(status=s).count() for s in rules.STATUS_LABELS}
    lines.append("挂牌 honours: " + "，".join(f"{rules.STATUS_LABELS[s]} {n}" for s, n in counts.items() if n))
    return lines


def _clean(honour_type: HonourType, granted_at: datetime, now: datetime, **unit) -> bool:
    """Whether a plate granted then would still hang now: the year of demo cases must not take it down at once."""
    probe = Honour(honour_type=honour_type, granted_at=granted_at, **unit)
    return rules.first_firing(selectors.rules_of(honour_type), selectors.facts_for(probe), granted_at=granted_at,
                              now=now) is None  # fmt: skip


def _grant(users, honour: Honour, at: datetime, *, decide: bool = True) -> Honour:
    """初审 by the street a day after the application, 认定 by the district two days later (unless `decide` is off)."""
    honour = services.honour_act(user=users["street_staff"] if _in_street(users, honour) else users["admin"],
                                 pk=honour.pk, action="review", version=honour.version, note="材料齐全，同意上报",
                                 now=at + timedelta(days=1))  # fmt: skip
    if not decide:
        return honour
    return services.honour_act(user=users["district_staff"], pk=honour.pk, action="grant", version=honour.version,
                               note="经评估认定，同意授牌", now=at + timedelta(days=3))  # fmt: skip


def _in_street(users, honour: Honour) -> bool:
    return scope.covers(users["street_staff"], honour.region)


def _honours(rng: random.Random, now: datetime, users: dict) -> list[Estate]:
    """Plates for estates of the two demo communities (by their workers) and of the demo company (by its staff),
    and for the two communities themselves; the last few applications are left under review."""
    wuyi, pingan = HonourType.objects.get(code="no-epidemic"), HonourType.objects.get(code="safe-estate")
    applicants = []
    for worker in ("community_worker", "community_worker2"):
        user = users[worker]
        for estate in scope.within(Estate.objects.all(), user.region.path, "region").order_by("pk")[:10]:
            applicants.append((user, estate))
    company = users["company_staff"]
    taken = {e.pk for _, e in applicants}
    for estate in Estate.objects.filter(property_company_id=company.organization_id).exclude(pk__in=taken)[:10]:
        applicants.append((company, estate))
    honoured = []
    for i, (user, estate) in enumerate(applicants):
        honour_type = pingan if i % 4 == 3 else wuyi
        applied = _at(now - timedelta(days=rng.randint(25, 60)), rng.uniform(9, 16))
        if not _clean(honour_type, applied + timedelta(days=3), now, estate=estate):
            continue
        data = {"honour_type_id": honour_type.pk, "estate_id": estate.pk, "statement": STATEMENT.format(unit="小区")}
        honour = services.honour_apply(user=user, data=data, now=applied)
        left = len(applicants) - i
        if left == 1:  # the latest application is still with the street
            continue
        _grant(users, honour, applied, decide=left > 3)
        if left > 3:
            honoured.append(estate)
    for worker, code in (("community_worker", "civilised"), ("community_worker2", "no-pyramid")):
        user, honour_type = users[worker], HonourType.objects.get(code=code)
        applied = _at(now - timedelta(days=rng.randint(25, 60)), 10)
        if _clean(honour_type, applied + timedelta(days=3), now, community=user.region):
            data = {"honour_type_id": honour_type.pk, "community_id": user.region_id,
                    "statement": STATEMENT.format(unit="社区")}  # fmt: skip
            _grant(users, services.honour_apply(user=user, data=data, now=applied), applied)
    return honoured


def _revoke_one(now: datetime, users: dict, honoured: list[Estate]) -> list[str]:
    """A 疫情防控 case reported on the hotline two days ago in the first 无疫小区 estate: the hourly review takes the
    plate down and records the case number."""
    target = (
        Honour.objects.filter(status=rules.GRANTED, honour_type__code="no-epidemic", estate__in=honoured)
        .select_related("estate")
        .order_by("pk")
        .first()
    )
    if target is None:
        return []
    estate = target.estate
    data = {
        "category_id": Category.objects.get(code="0905").pk,
        "description": f"{estate.name}居民核酸检测结果异常，经复核为确诊病例，需立即封控消杀",
        "region_id": estate.region_id,
        "address": estate.address,
        "reporter_name": "刘女士",
    }
    case = case_services.case_create(user=users["district_staff"], channel="hotline", data=data, estate=estate,
                                     now=_at(now - timedelta(days=2), 10.5))  # fmt: skip
    case = _act(users["district_staff"], case, "register", _at(now - timedelta(days=2), 10.75))
    revoked = services.honours_review(now=now)
    return [f"自动摘牌 revoked: {h.unit_name} {h.honour_type.name}（案件 {case.number}）" for h in revoked]


def _findings(rng: random.Random, now: datetime, users: dict, plan, *, exclude: set[int]) -> list[str]:
    """登记造册 by the district, fixed by the owners, accepted (or sent back) by the district."""
    district = users["district_staff"]
    estates = list(Estate.objects.exclude(pk__in=exclude).order_by("pk"))
    company_estates = [e for e in estates if e.property_company_id == users["company_staff"].organization_id]
    categories = {c.code: c for c in Category.objects.filter(code__in=FINDING_CATEGORIES)}
    fates = list(FINDINGS)
    rng.shuffle(fates)
    failed_by = ["company_staff", "dept_housing"]
    for i, fate in enumerate(fates):
        if fate in ("late", "rework", "overdue"):
            persona = failed_by[i % 2]
        else:
            persona = OWNERS[i % len(OWNERS)]
        owner = users[persona]
        by_company = roles.has_role(owner, Role.COMPANY_STAFF) and company_estates
        estate = rng.choice(company_estates if by_company else estates)
        code = rng.choice(FINDING_CATEGORIES)
        if fate == "open":
            start, days = now - timedelta(days=rng.randint(3, 8)), rng.randint(15, 30)
        elif fate == "overdue":
            start, days = now - timedelta(days=rng.randint(35, 50)), rng.randint(10, 15)
        else:
            start, days = now - timedelta(days=rng.randint(45, 110)), rng.randint(10, 20)
        start = _at(start, rng.uniform(9, 11))
        due = (start + timedelta(days=days)).date()
        data = {
            "plan_id": plan.pk, "estate_id": estate.pk, "category_id": categories[code].pk,
            "description": FINDING_TEXTS[code].format(estate=estate.name), "owner_id": owner.organization_id,
            "due_on": due,
        }  # fmt: skip
        case = rectification.finding_register(user=district, data=data, now=start)
        _act(owner, case, "accept", start + timedelta(hours=3))
        deadline = rectification.deadline_end(due)
        if fate in ("open", "overdue"):
            continue
        if fate == "rework":
            _act(owner, case, "feedback", deadline - timedelta(days=6), note="已组织整改，请核查")
            _act(district, case, "rework", deadline - timedelta(days=5), note="现场核查：整改不彻底，仍有问题，返工")
            case = _act(owner, case, "feedback", deadline - timedelta(days=3), note="已按核查意见重新整改")
        elif fate == "late":
            case = _act(owner, case, "feedback", deadline + timedelta(days=rng.randint(2, 6)), note="已整改完毕")
        else:
            case = _act(owner, case, "feedback", deadline - timedelta(days=rng.randint(2, 5)), note="已整改完毕")
        _act(district, case, "verify", case.feedback_at + timedelta(hours=20), note="现场验收合格，予以消号")
    rates = plan_selectors.rectification_rates(plan, now=now)
    flagged = rectification_selectors.accountability(user=district, plan=plan, now=now)
    return [
        f"整改 findings: {rates['findings']}，整改率 {rates['rectification_rate']}%，"
        f"整改及时率 {rates['rectification_on_time']}%",
        "问责 accountability: " + "、".join(f"{u.name}（{u.failed}件）" for u in flagged),
    ]
