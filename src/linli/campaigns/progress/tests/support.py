"""A small campaign for progress tests, on the persona district of linli.testing.factories.

Plan of street 甲 "背街小巷环境整治" (issued, monthly, phases 2026-01-05 … 2026-06-30), task tree:
  一、环境整治 (parent, not reported on)
    1. 小区环境卫生整治  lead 区城市管理综合执法局; responsible 甲一社区, 甲二社区 (due 2026-06-30)
    2. 宣传发动          lead 甲街道 only, so the lead reports (due 2026-03-31)
A second plan of street 乙 names 乙一社区: street 甲's staff never see it.
`NOW` is 2026-04-10 10:00 in Shanghai: January to March are due, April is the current period.
Reports made by `seed_reports`: 甲一 January on time (30%), February late (45%), March missing; 甲二 on time every
month (40, 60, 80); 甲街道 on 宣传发动 January and February on time, March missing.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from linli.campaigns.models import Phase, Plan, ProgressReport, Task, TaskUnit
from linli.campaigns.plans import rules
from linli.campaigns.progress import rules as progress_rules
from linli.regions.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 4, 10, 10, 0, tzinfo=SHANGHAI)
JAN, FEB, MAR, APR, MAY = (date(2026, m, 1) for m in range(1, 6))


def at(m, d, hh=12):
    return datetime(2026, m, d, hh, 0, tzinfo=SHANGHAI)


@dataclass
class Campaign:
    plan: Plan
    other_plan: Plan
    parent: Task
    clean: Task
    publicity: Task
    lead: TaskUnit  # 区城市管理综合执法局 on 小区环境卫生整治 (does not report)
    a1: TaskUnit  # 甲一社区 on 小区环境卫生整治
    a2: TaskUnit
    street: TaskUnit  # 甲街道 on 宣传发动 (lead, reports)
    other_b1: TaskUnit  # 乙一社区 on street 乙's plan


def campaign(w) -> Campaign:
    from linli.organizations.models import Organization

    dept = Organization.objects.get(name="区城市管理综合执法局")
    admin = w.users["admin"]
    plan = Plan.objects.create(
        region=w.street_a,
        title="背街小巷环境整治工作方案",
        issuer="甲街道办事处",
        doc_number="甲街发〔2026〕3号",
        issued_on=date(2026, 1, 5),
        status=rules.ISSUED,
        created_by=admin,
    )
    Phase.objects.create(plan=plan, order=1, name="宣传发动", starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 31))
    Phase.objects.create(plan=plan, order=2, name="组织实施", starts_on=date(2026, 2, 1), ends_on=date(2026, 6, 30))
    parent = Task.objects.create(plan=plan, order=1, title="环境整治")
    clean = Task.objects.create(plan=plan, parent=parent, order=1, title="小区环境卫生整治", due_on=date(2026, 6, 30))
    publicity = Task.objects.create(plan=plan, parent=parent, order=2, title="宣传发动", due_on=date(2026, 3, 31))
    TaskUnit.objects.create(task=parent, role=rules.LEAD, organization=dept)
    lead = TaskUnit.objects.create(task=clean, role=rules.LEAD, organization=dept)
    a1 = TaskUnit.objects.create(task=clean, role=rules.RESPONSIBLE, region=w.community_a1)
    a2 = TaskUnit.objects.create(task=clean, role=rules.RESPONSIBLE, region=w.community_a2)
    street = TaskUnit.objects.create(task=publicity, role=rules.LEAD, region=w.street_a)
    other = Plan.objects.create(
        region=w.street_b, title="乙街道垃圾分类工作方案", issuer="乙街道办事处", issued_on=date(2026, 1, 5),
        status=rules.ISSUED, created_by=admin,
    )  # fmt: skip
    other_task = Task.objects.create(plan=other, order=1, title="垃圾分类入户宣传", due_on=date(2026, 6, 30))
    other_b1 = TaskUnit.objects.create(task=other_task, role=rules.RESPONSIBLE, region=w.community_b1)
    return Campaign(plan, other, parent, clean, publicity, lead, a1, a2, street, other_b1)


def report(
    tu: TaskUnit, period: date, submitted_at: datetime, progress: int, user, content="按计划推进"
) -> ProgressReport:
    return ProgressReport.objects.create(
        task_unit=tu,
        period=period,
        due_at=progress_rules.report_due(period, rules.MONTHLY, SHANGHAI),
        submitted_at=submitted_at,
        submitted_by=user,
        progress=progress,
        content=content,
    )


def seed_reports(w, c: Campaign) -> None:
    cw, cw2, st = w.users["community_worker"], w.users["community_worker2"], w.users["street_staff"]
    report(c.a1, JAN, at(1, 30), 30, cw)
    report(c.a1, FEB, at(3, 5), 45, cw)  # late
    for period, progress in ((JAN, 40), (FEB, 60), (MAR, 80)):
        report(c.a2, period, at(period.month, 25), progress, cw2)
    report(c.street, JAN, at(1, 28), 50, st)
    report(c.street, FEB, at(2, 26), 70, st)


def grow(world, c, n: int) -> None:
    """n more tasks under the plan, each with the two communities responsible and a report from each."""
    first = Task.objects.count()
    for i in range(first, first + n):
        t = Task.objects.create(plan=c.plan, parent=c.parent, order=10 + i, title=f"附加任务{i}")
        for region, user in ((world.community_a1, "community_worker"), (world.community_a2, "community_worker2")):
            tu = TaskUnit.objects.create(task=t, role=rules.RESPONSIBLE, region=region)
            report(tu, MAR, at(3, 20), 30, world.users[user])
    for i in range(first, first + n):  # and units: street 甲's other offices named on one task
        node = Region.objects.create(parent=world.street_a, level=5, code=f"210103001{900 + i}", name=f"新社区{i}",
                                     path=f"210103001{900 + i}")  # fmt: skip
        TaskUnit.objects.create(task=c.clean, role=rules.RESPONSIBLE, region=node)


@dataclass
class DistrictPlan:
    plan: Plan
    task: Task  # lead 甲街道; responsible 甲一社区 and 乙一社区
    a1_report: ProgressReport
    b1_report: ProgressReport  # with an attachment


def district_plan(w) -> DistrictPlan:
    """A plan of the district, which everyone in it sees: street 甲 leads a task carried out by 甲一 and 乙一 (of
    street 乙); each has reported February."""
    from django.core.files.base import ContentFile

    plan = Plan.objects.create(
        region=w.district, title="全区物业管理提升行动方案", issuer="沈河区人民政府办公室", issued_on=date(2026, 1, 5),
        status=rules.ISSUED, created_by=w.users["admin"],
    )  # fmt: skip
    Phase.objects.create(plan=plan, order=1, name="组织实施", starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30))
    task = Task.objects.create(plan=plan, order=1, title="物业服务满意度测评", due_on=date(2026, 6, 30))
    TaskUnit.objects.create(task=task, role=rules.LEAD, region=w.street_a)
    a1 = TaskUnit.objects.create(task=task, role=rules.RESPONSIBLE, region=w.community_a1)
    b1 = TaskUnit.objects.create(task=task, role=rules.RESPONSIBLE, region=w.community_b1)
    a1_report = report(a1, FEB, at(2, 20), 40, w.users["community_worker"], content="甲一：走访120户")
    b1_report = report(b1, FEB, at(2, 21), 35, w.users["admin"], content="乙一：走访98户")
    b1_report.attachment.save("乙一测评表.pdf", ContentFile(b"%PDF-1.4 yi-yi"))
    return DistrictPlan(plan, task, a1_report, b1_report)
