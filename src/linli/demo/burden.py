"""社区减负 of the demo (004 篇十八).

Part A, `build_lists_and_access`: the district's two lists (the 36 default items, then a few edits by the district
office so the history has something to show), and work-access applications in every state, through the services:
a department's and the street's, drafts, waiting for 初审 and for 审批, approved, refused at 初审 and at 审批, and
one withdrawn. 初审 is the district office's (district_staff), 审批 the administrator's: two people."""

from datetime import datetime, timedelta

from django.core.files.base import ContentFile

from linli.accounts.models import User
from linli.burden.access import rules, services
from linli.burden.models import AccessApplication, DutyItem, DutyItemChange
from linli.regions.models import Region


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo document\n", name=name)


def _documents(title: str) -> list:
    return [(rules.BASIS_DOC, _pdf(f"{title}-政策依据.pdf")), (rules.PLAN_DOC, _pdf(f"{title}-工作方案.pdf"))]


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
