"""The demo's progress reports (每月底报送) on the demo plans, with 督办 and 通报.

For every reporting task unit and every period already due: most reports in on time with progress rising towards
100% by the task's deadline and text written for the kind of task; about 10% late (in a few days after the month's
end, so 逾期报送 and still not done) and about 7% missing; some of this month's reports already in. The units of
the demo accounts (community_worker's community, street_staff's street, dept_housing, dept_handler) each miss the
report of the last due period on one task, so 我的任务 has something red for each. The district office sends 督办
to the three units with the most reports not done, and a 通报 naming every late unit of last month on each plan.

Reports of units without an account of their own were handed in on paper (以书面形式报送) and keyed in by the
district office, so district_staff is their `submitted_by`. Reports are bulk-inserted with the fields
progress_services writes; the notices go through progress_services.notice_issue.
"""

import random
from collections import Counter
from datetime import datetime, timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.roles import Role
from linli.campaigns.models import ProgressReport, TaskUnit
from linli.campaigns.plans import rules
from linli.campaigns.progress import selectors as progress_selectors
from linli.campaigns.progress import services as progress_services

LATE_SHARE, MISSING_SHARE = 0.10, 0.07
CURRENT_SHARE = 0.4  # of this period's reports, already in
ACCOUNTS = ("community_worker", "street_staff", "dept_housing", "dept_handler")

# (words in the task's title, what a unit writes about a month of that work)
TEMPLATES = [
    (("排查",), "组织{a}个工作组对辖区{b}个小区开展拉网式排查，登记问题{c}条，已全部录入问题台账并明确责任人。"),
    (
        ("整改", "维修", "遗留"),
        "本月督促整改问题{c}处，已完成{b}处，其余已明确责任人和时限，整改一处销号一处。",
    ),
    (("宣传",), "发放宣传资料{c}份，开展集中宣传{a}次，社区公众号推送专题{b}期，居民知晓率明显提高。"),
    (("业主",), "指导{a}个小区筹备业主大会，完成业主委员会候选人推选{b}个，召开业主座谈会{a}次。"),
    (("招投标", "信用"), "完成{a}个新建项目前期物业招投标备案，更新物业企业和项目经理信用档案{c}份。"),
    (("查处", "违法"), "受理物业管理投诉{c}件，立案查处{a}起，责令{b}家物业服务企业限期整改。"),
    (("环境", "卫生", "垃圾", "公厕"), "组织清理卫生死角{c}处，清运垃圾{b}车，动员志愿者{a}0人次参与集中整治。"),
    (("秩序", "占道", "停放", "广告"), "开展联合整治{a}次，劝导占道经营{c}起，规范停放车辆{b}0辆，拆除破损牌匾{a}块。"),
    (("志愿",), "组织志愿服务活动{a}场，参与志愿者{c}人次，新注册志愿者{b}人。"),
    (("文明", "创建", "测评"), "对照测评标准逐项自查，完善工作台账{a}册，入户抽查居民知晓率达到{p}%。"),
    (("验收",), "对照验收标准开展自查，已完成{b}个小区的初验，整理验收资料{a}卷。"),
]
DEFAULT_TEMPLATE = "按照方案要求推进“{task}”，本月完成阶段性工作{a}项，相关资料已整理归档。"
PROBLEMS = [
    "部分老旧小区无物业管理，整治后容易反弹。",
    "整改资金缺口较大，需区级统筹解决。",
    "个别居民配合度不高，需进一步做好宣传解释。",
    "涉及多个部门，协调推进进度偏慢。",
    "",
    "",
    "",
]


def _content(rng: random.Random, title: str) -> str:
    template = next((t for words, t in TEMPLATES if any(w in title for w in words)), DEFAULT_TEMPLATE)
    return template.format(a=rng.randint(2, 9), b=rng.randint(3, 20), c=rng.randint(12, 120), p=rng.randint(86, 98),
                           task=title)  # fmt: skip


def _on_time(rng: random.Random, due: datetime) -> datetime:
    """In the last week of the period, in office hours."""
    day = due - timedelta(days=rng.randint(1, 7))
    return day.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))


def build(*, rng: random.Random, now: datetime, plans: list) -> list[str]:
    users = {u.username: u for u in User.objects.filter(username__in=(*ACCOUNTS, "district_staff"))}
    office = users.get("district_staff")
    if office is None or not plans:
        return []
    by_region = {u.region_id: u for u in User.objects.filter(role__in=(Role.COMMUNITY_WORKER, Role.STREET_STAFF))}
    by_org = {u.organization_id: u for u in User.objects.filter(organization__isnull=False).order_by("pk")}
    forced_units = [progress_selectors.unit_of(users[name]) for name in ACCOUNTS if name in users]
    reports, not_done = [], Counter()
    statuses = []
    for plan in plans:
        status = progress_selectors.plan_status(plan=plan, now=now)
        statuses.append(status)
        cycle = plan.report_cycle
        forced = _forced(status, forced_units)
        for line in status.lines:
            author = by_org.get(line.organization_id) or by_region.get(line.region_id) or office
            progress = rng.randint(5, 15)
            step = (100 - progress) / max(1, len(line.owed) - 1)
            for i, period in enumerate(line.owed):
                due = status.calendar.due(period, cycle)
                target = min(100, round(progress + step * i + rng.uniform(-step / 3, step / 3)))
                if due > now:  # this period: some reports already in
                    if rng.random() < CURRENT_SHARE and due - timedelta(days=7) < now:
                        submitted = now - timedelta(hours=rng.randint(1, 72))
                    else:
                        continue
                elif (line.task_unit_id, period) in forced:
                    not_done[line.unit_key] += 1
                    continue
                else:
                    draw = rng.random()
                    if draw < MISSING_SHARE:
                        not_done[line.unit_key] += 1
                        continue
                    if draw < MISSING_SHARE + LATE_SHARE:
                        submitted = min(due + timedelta(days=rng.randint(1, 10), hours=rng.randint(9, 17)),
                                        now - timedelta(hours=1))  # fmt: skip
                        not_done[line.unit_key] += 1
                    else:
                        submitted = _on_time(rng, due)
                last = reports[-1].progress if reports and reports[-1].task_unit_id == line.task_unit_id else 0
                reports.append(
                    ProgressReport(
                        task_unit_id=line.task_unit_id,
                        period=period,
                        due_at=due,
                        submitted_at=submitted,
                        submitted_by=author,
                        progress=max(last, target),
                        content=_content(rng, line.task_title),
                        problems=rng.choice(PROBLEMS),
                    )
                )
    ProgressReport.objects.bulk_create(reports, batch_size=1000)
    lines = [f"进度报送 progress reports: {len(reports)}，未按时 not done {sum(not_done.values())}"]
    lines += _notices(statuses, not_done, office, now)
    return lines


def _forced(status: progress_selectors.PlanStatus, units: list) -> set:
    """(task unit id, period): the last due period of one task of each demo account's unit is left unreported; for a
    unit that only leads (and so does not report), one of its responsible units' report is left out instead."""
    due = set(status.due_periods())
    led = TaskUnit.objects.filter(task__plan=status.plan, role=rules.LEAD).select_related(None)
    out = set()
    for unit in units:
        lines = [line for line in status.lines if any(p in due for p in line.owed)]
        owned = [line for line in lines if unit.owns(line)]
        if not owned:
            tasks = {tu.task_id for tu in led if unit.owns(tu)}
            owned = [line for line in lines if line.task_id in tasks]
        if owned:
            period, line = max(((max(p for p in line.owed if p in due), line) for line in owned),
                               key=lambda pl: (pl[0], -pl[1].task_unit_id))  # fmt: skip
            out.add((line.task_unit_id, period))
    return out


def _notices(statuses: list, not_done: Counter, office, now: datetime) -> list[str]:
    """督办 to the three units with the most reports not done (on their latest such task), 通报 of last month."""
    issued_at = now - timedelta(hours=2)
    worst = [key for key, _ in not_done.most_common(3)]
    supervised = 0
    for key in worst:
        for status in statuses:
            fresh = progress_selectors.plan_status(plan=status.plan, now=issued_at)
            due = fresh.due_periods()
            hits = [(p, line) for p in reversed(due) for line in fresh.late(p) if line.unit_key == key]
            if hits:
                period, line = hits[0]
                progress_services.notice_issue(
                    user=office, plan_id=status.plan.pk, kind="supervise", period=period,
                    task_unit_ids=[line.task_unit_id], note="请于3个工作日内补报，并书面说明逾期原因。", now=issued_at,
                )  # fmt: skip
                supervised += 1
                break
    circulars = 0
    for status in statuses:
        fresh = progress_selectors.plan_status(plan=status.plan, now=issued_at)
        due = fresh.due_periods()
        if due and fresh.late(due[-1]):
            progress_services.notice_issue(
                user=office, plan_id=status.plan.pk, kind="circular", period=due[-1], now=issued_at
            )
            circulars += 1
    local = timezone.localtime(issued_at)
    return [f"督办 supervision notices: {supervised}，通报 circulars: {circulars}（{local:%Y-%m-%d}）"]
