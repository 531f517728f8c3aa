"""A plan for document tests, built with the ORM from the seeds (000 篇1, 001 篇6 and 篇13): targets, a leading
group, phases, a section, typed numbering in the text, and a three-level task tree with units of both kinds."""

from datetime import date
from decimal import Decimal

from linli.campaigns.models import GroupMember, Phase, Plan, PlanSection, Target, Task, TaskUnit
from linli.organizations.models import Organization

REQUIREMENTS = (
    "（一）统一思想，提高认识，高度重视创建工作。各单位负责人要高度重视，精心组织，周密安排。\n"
    "（二）加强组织领导，明确工作责任。一是细化分解到单位；二是具体到个人。"
)


def housing_department(world) -> Organization:
    return Organization.objects.get_or_create(
        kind="department", name="区住房和城乡建设局", defaults={"region": world.district}
    )[0]


def seed_plan(world, *, region=None, title="关于依法加强居民小区物业管理的工作方案") -> Plan:
    region = region or world.district
    plan = Plan.objects.create(
        region=region,
        title=title,
        issuer="沈河区人民政府办公室",
        doc_number="沈河政办发〔2026〕12号",
        issued_on=date(2026, 11, 23),
        preamble="为进一步规范物业管理活动，切实维护业主和物业服务企业的合法权益，结合我区实际，特制定本方案。",
        guiding_idea="以《物业管理条例》为依据，以规范管理、提高物业服务水平为宗旨，推动我区物业管理健康发展。",
        scope="对全区实行物业管理的住宅小区进行排查。",
        office="领导小组办公室设在区住房和城乡建设局，负责日常的组织协调。",
        requirements=REQUIREMENTS,
    )
    Target.objects.create(plan=plan, order=1, indicator="整改率", comparator=">=", value=Decimal("90"))
    Target.objects.create(plan=plan, order=2, indicator="物业化率", comparator="=", value=Decimal("100"))
    Target.objects.create(plan=plan, order=3, indicator="社会保险基金征缴率", comparator=">", value=Decimal("95"))
    GroupMember.objects.create(plan=plan, order=1, duty="leader", name="邢凯", title="副区长")
    GroupMember.objects.create(plan=plan, order=2, duty="deputy", name="王铁", title="区住房和城乡建设局局长")
    GroupMember.objects.create(plan=plan, order=3, duty="member", unit="区住房和城乡建设局")
    GroupMember.objects.create(plan=plan, order=4, duty="member", unit="区城市管理综合执法局")
    Phase.objects.create(
        plan=plan, order=1, name="排查", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 30), description="拉网排查。"
    )
    Phase.objects.create(
        plan=plan, order=2, name="整改完善阶段", starts_on=date(2026, 5, 1), ends_on=date(2026, 10, 31)
    )
    Phase.objects.create(plan=plan, order=3, name="验收", starts_on=date(2026, 11, 1), ends_on=date(2027, 1, 15))
    PlanSection.objects.create(plan=plan, order=1, heading="保障措施", body="（一）提高认识，明确责任。一是层层落实。")

    housing = housing_department(world)
    enforcement = Organization.objects.get(name="区城市管理综合执法局")

    def task(title, parent=None, order=0, lead=(), responsible=(), **extra):
        t = Task.objects.create(plan=plan, parent=parent, order=order, title=title, **extra)
        for unit in lead:
            TaskUnit.objects.create(task=t, role="lead", **_unit(unit))
        for unit in responsible:
            TaskUnit.objects.create(task=t, role="responsible", **_unit(unit))
        return t

    t1 = task("（一）全力解决开发建设遗留问题", order=1, lead=[housing], content="逐个建立整改档案，合格后消号。")
    task(
        "建立整改档案",
        t1,
        1,
        responsible=[world.street_a, world.street_b],
        direct_person="赵东风",
        handler="杜辉",
        due_on=date(2026, 5, 30),
        deliverables="整改台账",
    )
    t12 = task("房屋维修责任落实到单位、到个人", t1, 2, lead=[housing], responsible=[world.community_a1])
    task("维修及时率达到90%以上", t12, 1, responsible=[world.community_a1], due_on=date(2026, 12, 31))
    t2 = task("规范物业管理行为", order=2, lead=[enforcement], responsible=[housing])
    task("一是加强招投标的监督和指导", t2, 1, content="新建住宅小区实行招投标制度。")
    return plan


def _unit(unit) -> dict:
    return {"organization": unit} if isinstance(unit, Organization) else {"region": unit}
