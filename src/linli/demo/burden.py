"""社区减负 of the demo (004 篇十八).

`build_lists_and_access`: the district's two lists (the 36 default items, then a few edits by the district
office so the history has something to show), and work-access applications in every state, through the services:
a department's and the street's, drafts, waiting for 初审 and for 审批, approved, refused at 初审 and at 审批, and
one withdrawn. 初审 is the district office's (district_staff), 审批 the administrator's: two people.

`build_work`: twelve months of work given to the demo's communities by the district's departments and the street and
district offices — tasks, the reports they owe, survey forms — checked against the lists: early on about half is
outside the lists (much of it asked without an application, some under one approved later or refused), by the end
about one in eight, so the burden report's trend falls as the campaign wants. The rows are the ledger the report
counts (source "demo.history": they stand for work of the past, not for rows of the campaign or survey modules).
Listed work names an item of the district's lists and admitted work an approved application when
`build_lists_and_access` has made them (it runs first); without them the rows name none.
"""

import random
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from linli.accounts.models import User
from linli.burden import rules
from linli.burden.access import rules as access_rules
from linli.burden.access import services
from linli.burden.models import AccessApplication, DutyItem, DutyItemChange, WorkRequest
from linli.organizations.models import Organization
from linli.regions.models import Region


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo document\n", name=name)


def _documents(title: str) -> list:
    return [
        (access_rules.BASIS_DOC, _pdf(f"{title}-政策依据.pdf")),
        (access_rules.PLAN_DOC, _pdf(f"{title}-工作方案.pdf")),
    ]


# (applicant, title, kind, content, basis, reason, how many of the street's communities (0: all), what happens)
APPLICATIONS = [
    ("dept_handler", "沿街商户门前三包责任书签订", "task",
     "协助向辖区沿街商户宣传门前三包责任制并组织签订责任书，每季度报送签订情况",
     "《城市市容和环境卫生管理条例》第十条；区城市管理委员会《关于落实门前三包责任制的通知》",
     "商户分散，需社区熟悉情况的工作人员协助入户", 2, "approved"),
    ("dept_housing", "老旧小区加装电梯意愿摸底", "form",
     "入户了解老旧小区居民加装电梯意愿并填写统计表", "区政府《既有多层住宅增设电梯工作实施意见》",
     "需逐户征求业主意见", 0, "approved"),
    ("dept_sanitation", "垃圾分类桶站值守人员排班表", "report",
     "每周报送各小区垃圾分类桶站值守排班和到岗情况", "区环境卫生服务中心工作安排",
     "", 3, "refused_first"),
    ("dept_heating", "供热收费情况统计", "report",
     "每月统计辖区居民供热费缴纳情况并报送", "供热公司内部考核要求",
     "", 0, "refused"),
    ("street_staff", "辖区重点人群走访台账", "task",
     "按月走访辖区重点人群并建立纸质台账", "街道年度重点工作安排",
     "掌握辖区重点人群动态", 2, "first_passed"),
    ("dept_handler", "违法建设线索摸排", "form",
     "协助排查辖区违法建设线索并填报排查表", "《城乡规划法》第六十四条；区违法建设专项治理方案",
     "线索多在小区内部，需社区协助发现", 1, "submitted"),
    ("dept_housing", "群租房排查登记", "form",
     "协助登记辖区出租房屋居住人数", "区住建局《关于开展群租房专项整治的通知》",
     "", 2, "withdrawn"),
    ("dept_sanitation", "公厕保洁情况周报", "report",
     "每周检查辖区公厕保洁并报送", "区环境卫生服务中心工作安排", "", 1, "draft"),
]  # fmt: skip


def build_lists_and_access(*, now: datetime, seed: int = 2026) -> list[str]:
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("path").first()
    names = {"admin", "district_staff", "street_staff", "dept_handler", "dept_housing", "dept_sanitation",
             "dept_heating"}  # fmt: skip
    users = {u.username: u for u in User.objects.filter(username__in=names).select_related("region")}
    if district is None or not all(users.get(k) for k in ("admin", "district_staff", "street_staff")):
        return ["社区减负 burden: 没有演示账号 no demo accounts"]
    added = services.ensure_default_lists(district)
    staff, approver = users["district_staff"], users["admin"]
    start = now - timedelta(days=120)
    _edit_lists(district, staff, start)
    street = users["street_staff"].region
    communities = list(Region.objects.filter(parent=street, level=Region.Level.COMMUNITY).order_by("path"))
    states = []
    made = AccessApplication.objects.filter(district=district).exists()  # once: a second build adds none
    for i, (who, title, kind, content, basis, reason, count, outcome) in enumerate([] if made else APPLICATIONS):
        user = users.get(who) or users.get("dept_handler") or users["street_staff"]  # a smaller set of accounts
        at = start + timedelta(days=10 + i * 12)
        application = services.application_create(
            user=user, title=title, kind=kind, content=content, basis=basis, reason=reason,
            community_ids=[c.pk for c in communities[:count]], starts_on=at.date() + timedelta(days=20),
            ends_on=at.date() + timedelta(days=385), documents=_documents(title), submit=outcome != "draft", now=at,
        )  # fmt: skip
        AccessApplication.objects.filter(pk=application.pk).update(created_at=at)
        application = _proceed(application, outcome, user, staff, approver, at)
        states.append(application.state)
    summary = "，".join(f"{AccessApplication.State(s).label}{states.count(s)}份" for s in dict.fromkeys(states))
    active = DutyItem.objects.filter(district=district, active=True).count()
    changes = DutyItemChange.objects.filter(item__district=district).count()
    return [
        f"社区工作事项清单 duty lists: {active} 项有效（新载入{added}项，修改记录{changes}条）",
        f"社区工作准入申请 access applications: {len(states)} 份（{summary or '已有，未新增'}）",
    ]


def _edit_lists(district, staff, at: datetime) -> None:
    """A few of the district's own changes: one item reworded, one retired, one added (once: a second build of
    the same database finds them made)."""
    if DutyItemChange.objects.filter(item__district=district).exists():
        return
    item = DutyItem.objects.get(district=district, list="assist", number=16)
    services.item_update(user=staff, item_id=item.pk, version=item.version, category=item.category,
                         title="协助做好消费维权、食品药品安全和安全生产的宣传教育", basis=item.basis,
                         reason="区社区减负工作组审定，文字调整", now=at)  # fmt: skip
    retired = DutyItem.objects.get(district=district, list="assist", number=9)
    services.item_retire(user=staff, item_id=retired.pk, version=retired.version,
                         reason="社保参保登记已由街道社保所办理，不再由社区协助",
                         now=at + timedelta(days=3))  # fmt: skip
    services.item_add(user=staff, district_id=district.pk, list="assist", category="城市管理",
                      title="协助做好生活垃圾分类的宣传和指导",
                      basis="《中华人民共和国固体废物污染环境防治法》第四十九条",
                      reason="区委、区政府批准列入清单", now=at + timedelta(days=5))  # fmt: skip


def _proceed(application, outcome: str, user, staff, approver, at: datetime):
    if outcome in ("draft", "submitted"):
        return application
    if outcome == "withdrawn":
        return services.application_withdraw(user=user, application_id=application.pk, version=None,
                                             now=at + timedelta(days=2))  # fmt: skip
    passed = outcome != "refused_first"
    opinion = "依据充分，确需社区协助，同意报批" if passed else "属于部门自身职责范围，不得转嫁社区"
    application = services.application_first_review(user=staff, application_id=application.pk, version=None,
                                                     passed=passed, opinion=opinion,
                                                     now=at + timedelta(days=5))  # fmt: skip
    if outcome in ("refused_first", "first_passed"):
        return application
    approve = outcome == "approved"
    refusal = "依据为企业内部要求，不属于法定协助事项，不予准入"
    return services.application_decide(
        user=approver, application_id=application.pk, version=None, approve=approve,
        opinion="同意准入，请按工作方案执行，不得另设台账" if approve else refusal,
        now=at + timedelta(days=9),
    )  # fmt: skip


SOURCE = "demo.history"
TASKS = ["燃气安全入户排查", "流动人口信息核查", "创卫迎检环境整治", "消防安全隐患排查", "防汛物资清点",
         "老旧小区改造意见征集", "文明城区创建入户宣传", "扫黄打非进社区宣传", "征兵宣传动员", "禁毒宣传",
         "食品安全宣传周", "垃圾分类督导", "空巢老人走访", "退役军人信息采集", "医保参保动员"]  # fmt: skip
REPORTS = ["月度工作进展报表", "安全生产台账报表", "民情日志汇总表", "创城点位整改报表", "网格事件统计表"]
FORMS = ["居民满意度调查表", "困难群众需求调查表", "房屋使用情况登记表", "志愿者服务意向调查表"]
MONTHS = 12


def _share(month: int) -> float:
    """The share of work outside the lists in month `month` (0 = a year ago): from about a half down to 1 in 8."""
    return 0.5 - (0.5 - 0.12) * month / (MONTHS - 1)


def build_work(*, now: datetime | None = None, seed: int = 19) -> list[str]:
    rng = random.Random(f"{seed}:burden-work")
    now = now or timezone.now()
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("pk").first()
    if district is None:
        return []
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).order_by("path"))
    streets = {s.pk: s for s in Region.objects.filter(level=Region.Level.STREET)}
    departments = list(Organization.objects.filter(kind="department").order_by("pk")[:8])
    items = list(DutyItem.objects.filter(district=district, active=True).order_by("list", "number"))
    approved = list(AccessApplication.objects.filter(district=district, state=rules.APPROVED).order_by("pk"))
    refused = list(AccessApplication.objects.filter(district=district, state=rules.REFUSED).order_by("pk"))
    rows, stamps, n = [], [], 0
    for month in range(MONTHS):
        start = (now - timedelta(days=30 * (MONTHS - month))).replace(hour=9, minute=0, second=0, microsecond=0)
        for community in communities:
            for _ in range(rng.randint(7, 11)):
                kind = rng.choices([rules.TASK, rules.REPORT, rules.FORM], weights=[5, 3, 2])[0]
                title = rng.choice({rules.TASK: TASKS, rules.REPORT: REPORTS, rules.FORM: FORMS}[kind])
                body = rng.choice(departments) if departments and rng.random() < 0.7 else None
                office = None if body else rng.choice([district, streets.get(community.parent_id, district)])
                row = WorkRequest(community=community, organization=body, office=office,
                                  requester=(body or office).name, kind=kind, source=SOURCE, source_id=n,
                                  title=title)  # fmt: skip
                if rng.random() >= _share(month):
                    row.state, row.duty_item = rules.LISTED, rng.choice(items) if items else None
                else:
                    row.state = rng.choices([rules.ADMITTED, rules.HELD, rules.DECLINED], weights=[5, 3, 2])[0]
                    if month < MONTHS - 2 and row.state == rules.HELD:  # older held work was decided meanwhile
                        row.state = rng.choice([rules.ADMITTED, rules.DECLINED])
                    pool = approved if row.state == rules.ADMITTED else refused
                    row.access = rng.choice(pool) if pool and row.state != rules.HELD else None
                at = start + timedelta(days=rng.randrange(28), hours=rng.randrange(8))
                row.decided_at = None if row.state == rules.HELD else at + timedelta(days=rng.randint(0, 20))
                rows.append(row)
                stamps.append(at)
                n += 1
    made = WorkRequest.objects.bulk_create(rows, batch_size=500)
    # created_at is auto_now_add: the days of asking are written after the insert, one UPDATE per day
    by_month: dict[tuple[int, int], list[int]] = {}
    for row, at in zip(made, stamps, strict=True):
        by_month.setdefault((at.year, at.month, at.day), []).append(row.pk)
    for (y, m, d), ids in by_month.items():
        WorkRequest.objects.filter(pk__in=ids).update(created_at=datetime(y, m, d, 10, tzinfo=now.tzinfo))
    unlisted = sum(r.state != rules.LISTED for r in rows)
    return [f"交办社区的工作：{len(rows)} 项（近 {MONTHS} 个月），清单外 {unlisted} 项"]
