"""The demo's campaign work (SPEC §4): two plans from the seeds, their task trees and progress reports,
rectification findings, honours and one completed assessment round.

Each part lives in its own module and returns the lines it wants printed; plans come first because every other
part refers to them. The plans are written through the services (so they pass the same validation as the pages):
- 《沈河区依法加强居民小区物业管理工作方案》 from 000 篇1, its six targets, leading group, three phases and chapters;
- 《沈河区2026年创建全国文明城市工作方案》 from 003 篇3 (任务分解为九大类21项) with the targets of 001 篇13.
"""

import random
from datetime import date, datetime
from decimal import Decimal

from linli.accounts.models import User
from linli.campaigns.plans import services
from linli.cases.models import Case
from linli.organizations.models import Organization
from linli.people import rules as people_rules
from linli.people.models import Estate
from linli.regions import rules as region_rules
from linli.regions.models import Region

from . import assessment, honours, identity, progress
from . import cases as demo_cases

# Companies that take over the estates the first three do not manage; with them about 85% of estates have one.
MORE_COMPANIES = [
    ("沈阳恒信物业管理有限公司", "91210103"),
    ("沈阳和美家园物业服务有限公司", "91210103"),
    ("辽宁金地物业服务有限公司", "91210100"),
]
MANAGED_SHARE = 0.85


def build_campaigns(*, seed: int, now: datetime) -> list[str]:
    rng = random.Random(f"{seed}:campaigns")
    lines = [_property_companies(rng)]
    plans = build_plans(now=now)
    for plan in plans:
        lines.append(f"工作方案 plan: {plan.title}（{plan.doc_number}），{plan.tasks.count()} 项任务 tasks")
    # The other parts follow in this order, each as build(rng=..., now=..., plans=...):
    # progress → honours/rectification → assessment.
    lines += progress.build(rng=random.Random(f"{seed}:progress"), now=now, plans=plans)
    last_case = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    lines += honours.build(rng=random.Random(f"{seed}:honours"), now=now, plans=plans)
    _stable_tracking_codes(random.Random(f"{seed}:tracking"), after=last_case)
    lines += assessment.build(rng=random.Random(f"{seed}:assessment"), now=now, plans=plans)
    return lines


def _stable_tracking_codes(rng: random.Random, *, after: int) -> None:
    """The findings and complaints above went through case_create, which draws tracking codes from the system's
    random source; the demo gives them codes from its seed instead, so the same seed builds the same data."""
    taken = set(Case.objects.values_list("tracking_code", flat=True))
    created = list(Case.objects.filter(pk__gt=after).order_by("pk"))
    for case in created:
        case.tracking_code = demo_cases.tracking_code(rng, taken)
    Case.objects.bulk_update(created, ["tracking_code"], batch_size=500)


def _property_companies(rng: random.Random) -> str:
    """物业化率 means something: most estates get a property company, the existing ones first."""
    district = Region.objects.get(level=region_rules.DISTRICT)
    Organization.objects.bulk_create(
        Organization(
            kind=Organization.Kind.COMPANY,
            name=name,
            region=district,
            credit_code=people_rules.validate_credit_code(identity.credit_code(rng, prefix)),
        )  # fmt: skip
        for name, prefix in MORE_COMPANIES
    )
    companies = list(Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("pk"))
    estates = list(Estate.objects.order_by("pk"))
    for estate in estates:
        if estate.property_company_id is None and rng.random() < MANAGED_SHARE:
            estate.property_company = rng.choice(companies)
            estate.management = Estate.Management.PROFESSIONAL
    Estate.objects.bulk_update(estates, ["property_company", "management"], batch_size=500)
    managed = sum(e.property_company_id is not None for e in estates)
    return f"物业服务企业 property companies: {len(companies)}，{managed}/{len(estates)} 个小区有物业 managed estates"


def _year(now: datetime) -> int:
    """The plans run through a calendar year that has already begun months ago, so reports are due."""
    return now.year if now.month >= 4 else now.year - 1


def _units():
    district = Region.objects.get(level=region_rules.DISTRICT)
    departments = {o.name: f"org:{o.pk}" for o in Organization.objects.filter(kind=Organization.Kind.DEPARTMENT)}
    streets = list(Region.objects.filter(level=region_rules.STREET).order_by("path"))
    communities = list(Region.objects.filter(level=region_rules.COMMUNITY).order_by("path"))
    return district, departments, streets, communities


def build_plans(*, now: datetime) -> list:
    """The two demo plans, issued, with their task trees; the property plan first."""
    staff = User.objects.get(username="district_staff")
    district, departments, streets, communities = _units()
    y = _year(now)
    property_plan = _property_plan(staff, district, departments, streets, communities, y)
    civility_plan = _civility_plan(staff, district, departments, streets, communities, y)
    return [property_plan, civility_plan]


def _issue(staff, plan, reported: dict[str, str]):
    for target in plan.targets.filter(measure="reported"):
        if target.indicator in reported:
            plan.refresh_from_db()
            services.target_report(user=staff, target=target, version=plan.version, value=reported[target.indicator])
    plan.refresh_from_db()
    return services.plan_issue(user=staff, plan=plan, version=plan.version)


def _t(indicator, comparator, value, measure="reported", description=""):
    return {"indicator": indicator, "comparator": comparator, "value": Decimal(value), "unit": "%",
            "measure": measure, "description": description}  # fmt: skip


PROPERTY_SECTIONS = [
    ("工作内容", "（一）全力解决开发建设遗留问题。"
     "开发建设单位作为行为主体要切实承担起责任，对住宅小区存在的问题逐个建立"
     "整改档案，制定整改措施，整改合格后再行消号。\n（二）加大对物业市场的监管力度，规范物业管理行为。全面推行前期物业"
     "管理招投标机制，严格物业服务企业资质审查，建立物业服务企业诚信档案和项目经理信用档案。\n（三）规范业主大会和业主"
     "委员会，充分调动街道、社区的积极性，依法成立业主大会、业主委员会。\n（四）建立区、街道、社区职责明确的责任体系，"
     "具备物业管理条件的住宅小区由物业服务企业实行专业化管理。\n（五）采取多种形式，加大对物业管理法规的宣传工作。"),
    ("职责分工", "规范物业管理工作坚持“条块结合、区域负责”的原则。"
     "区领导小组全面负责监督、指导；领导小组办公室具体负责日常"
     "指导、协调和监督检查；区住房和城乡建设局为住宅小区物业管理的行政主管部门，会同相关部门抓好整改工作；区城市管理综合"
     "执法局、公安分局负责对物业管理行为的查处；各街道办事处为物业管理工作的责任主体，制定具体整改方案并组织实施。"),
    ("保障措施", "（一）提高认识，明确责任，实行“一把手”负责制，层层落实责任。"
     "\n（二）密切配合，抓好整改，对整改不及时或"
     "不彻底的依规查处。\n（三）加强宣传，营造氛围。\n（四）强化管理，巩固成果，避免类似问题再次发生。"),
]  # fmt: skip


def _property_plan(staff, district, departments, streets, communities, y):
    data = {
        "region_id": district.pk,
        "title": "沈河区依法加强居民小区物业管理工作方案",
        "issuer": "沈河区人民政府办公室",
        "doc_number": f"沈河政办发〔{y}〕8号",
        "issued_on": date(y, 2, 20),
        "preamble": "为进一步规范物业管理活动，"
        "切实维护业主和物业服务企业的合法权益，努力提高物业管理水平，根据《物业管理"
        "条例》及有关法律、法规，结合我区物业管理工作实际，特制定本方案。",
        "guiding_idea": "以《物业管理条例》为依据，以规范管理、提高物业服务水平为宗旨，进一步加强居民小区物业管理工作，"
        "推动我区物业管理健康发展。",
        "scope": "对全区实行物业管理的住宅小区进行排查，根据排查结果进行清理整顿，进一步规范物业管理行为。",
        "office": "领导小组办公室设在区住房和城乡建设局，负责日常的组织协调。"
        "各街道也要成立相应的组织机构，抓好具体的组织实施。",
        "requirements": "各单位、各部门要明确分工，落实责任，相互配合，加强检查验收，切实提高我区物业管理水平。",
        "report_cycle": "monthly",
        "targets": [
            _t("开发遗留问题整改率", ">=", 90, "rectification_rate", "年底前整改率达到90%"),
            _t("房屋维修及时率", ">=", 90, "rectification_on_time", "存在工程质量问题的房屋及时维修"),
            _t("新建住宅小区招投标率", "=", 100),
            _t("物业企业经理持证率", "=", 100),
            _t("物业化率", ">=", 100, "property_rate", "具备物业管理条件的住宅小区"),
            _t("物业服务投诉率", "<=", 2, "complaint_rate", "派给物业企业的投诉事件，每百户"),
            _t("业主大会成立率", ">=", 80, description="具备条件的住宅小区成立业主大会和业主委员会"),
        ],
        "group": [
            {"duty": "leader", "name": "邢凯", "title": "区政府副区长"},
            {"duty": "deputy", "name": "王铁", "title": "区政府办公室副主任"},
            *(
                {"duty": "member", "unit": name}
                for name in (
                    "区住房和城乡建设局",
                    "区城市管理综合执法局",
                    "公安分局",
                    "区市场监督管理局",
                    "区民政局",
                    "各街道办事处",
                )
            ),
            {"duty": "office", "name": "李明", "title": "区住房和城乡建设局副局长"},
        ],  # fmt: skip
        "phases": [
            {
                "name": "排查阶段",
                "starts_on": date(y, 3, 1),
                "ends_on": date(y, 4, 30),
                "description": "对开发建设遗留问题、物业管理和住宅小区存在的问题"
                "进行一次拉网式排查，登记造册，建立管理档案。",
            },
            {
                "name": "整改完善阶段",
                "starts_on": date(y, 5, 1),
                "ends_on": date(y, 10, 31),
                "description": "各街道对排查出的问题认真分析，制定整改措施，报区领导小组审查后按责任分工组织整改。",
            },
            {
                "name": "验收阶段",
                "starts_on": date(y, 11, 1),
                "ends_on": date(y, 12, 31),
                "description": "领导小组成员单位按照工作内容和标准，对整改后的物业企业和住宅小区逐个审核，确保达标。",
            },
        ],  # fmt: skip
        "sections": [{"heading": h, "body": b} for h, b in PROPERTY_SECTIONS],
    }
    plan = services.plan_create(user=staff, data=data)
    housing, enforcement = departments["区住房和城乡建设局"], departments["区城市管理综合执法局"]
    all_streets = [f"region:{s.pk}" for s in streets]

    def task(title, lead, responsible, due, parent=None, **extra):
        return services.task_create(user=staff, plan=plan, data={
            "title": title, "lead_units": lead, "responsible_units": responsible, "due_on": due,
            "parent_id": parent.pk if parent else None, **extra})  # fmt: skip

    survey = task("拉网式排查，登记造册", [housing], all_streets, date(y, 4, 30),
                  deliverables="排查登记表、问题台账", direct_person="李明", handler="赵军")  # fmt: skip
    task("住宅小区开发建设遗留问题排查", [housing], all_streets, date(y, 4, 15), survey,
         content="对工程质量、配套设施、规划变更等遗留问题逐小区排查。")  # fmt: skip
    task("物业服务企业和项目经理信用档案建立", [housing], [], date(y, 4, 30), survey)
    fix = task("开发建设遗留问题整改", [housing], all_streets, date(y, 10, 31),
               deliverables="整改档案、消号记录", direct_person="李明", handler="孙丽")  # fmt: skip
    task("存在工程质量问题房屋的维修落实", [housing], all_streets, date(y, 9, 30), fix)
    task("物业管理违法违规行为查处", [enforcement], [departments.get("公安分局", enforcement)], date(y, 10, 31), fix)
    task("推行前期物业管理招投标", [housing], [], date(y, 8, 31), content="新建住宅小区100%实行招投标。")
    task("组建业主大会和业主委员会", all_streets[:1], [f"region:{c.pk}" for c in communities],
                  date(y, 11, 30), deliverables="业主大会成立情况统计表")  # fmt: skip
    task("物业管理法规宣传", [housing], all_streets, date(y, 12, 15), content="分阶段、有步骤宣传《物业管理条例》。")
    task("验收审核，确保达标", [housing], all_streets, date(y, 12, 31), deliverables="验收报告")
    return _issue(staff, plan, {"新建住宅小区招投标率": "100", "物业企业经理持证率": "96.5", "业主大会成立率": "72"})


CIVILITY_TASKS = [
    ("公共环境", "区环境卫生服务中心", [
        ("主次干道环境卫生整治", "道路无暴露垃圾、无积存污水，果皮箱等设施完好。", 5),
        ("背街小巷及老旧小区环境整治", "背街小巷路面平整、无乱堆乱放，老旧小区楼道无堆物。", 7),
        ("公厕及垃圾收运设施提升", "公厕标志醒目、有人管理、无异味，垃圾日产日清。", 6),
    ]),
    ("公共秩序", "区城市管理综合执法局", [
        ("占道经营与乱堆乱放整治", "主要街路无占道经营、出店经营。", 5),
        ("交通秩序与机动车停放管理", "机动车、非机动车有序停放，交通标志标线清晰。", 8),
        ("户外广告牌匾规范", "户外广告内容健康、登记规范，无破损牌匾。", 6),
    ]),
    ("社区环境", "区住房和城乡建设局", [
        ("文明社区创建", "社区有创建方案、有台账，居民知晓率达到90%以上。", 9),
        ("小区物业服务规范", "物业服务质价相符，投诉处理有记录。", 7),
        ("楼道堆物清理", "楼道、消防通道无堆物，消防设施完好。", 6),
    ]),
    ("志愿服务", "区民政局", [
        ("社区志愿服务站点建设", "每个社区有志愿服务站，有标识、有制度、有记录。", 5),
        ("学雷锋志愿服务常态化", "注册志愿者占常住人口比例达到13%以上。", 10),
    ]),
    ("公益广告", "区城市管理综合执法局", [
        ("社会主义核心价值观公益广告全覆盖", "主要街路、社区、窗口单位公益广告全覆盖、常更新。", 4),
        ("创城宣传氛围营造", "宣传牌、提示牌、微信等形式宣传创城知识，做到应知应会。", 4),
    ]),
    ("窗口服务", "区市场监督管理局", [
        ("政务服务窗口规范化", "服务标准明确，公开收费项目、收费标准、办事制度。", 6),
        ("便民服务中心文明服务", "工作人员着装统一、服务规范，有投诉处理记录。", 6),
    ]),
    ("市场秩序", "区市场监督管理局", [
        ("农贸市场环境整治", "划行归市、无场外摊，专职保洁人员随场保洁。", 7),
        ("“六小”行业无证照经营清理", "重点清理食杂店和餐饮店无证照经营。", 8),
    ]),
    ("未成年人思想道德建设", "区民政局", [
        ("社区未成年人活动场所建设", "社区有未成年人活动场所，定期开展活动。", 9),
        ("校园周边环境治理", "校园周边200米内无网吧、无流动摊点。", 9),
    ]),
    ("创建资料", "区人力资源和社会保障局", [
        ("创建档案资料收集整理", "文件、图片、总结等资料按测评体系分类整理，及时报送创建办。", 10),
        ("测评迎检材料准备", "汇报材料、档案材料规范整理成册。", 11),
    ]),
]  # fmt: skip


def _civility_plan(staff, district, departments, streets, communities, y):
    data = {
        "region_id": district.pk,
        "title": f"沈河区{y}年创建全国文明城市工作方案",
        "issuer": "沈河区精神文明建设委员会办公室",
        "doc_number": f"沈河文明办发〔{y}〕2号",
        "issued_on": date(y, 3, 5),
        "preamble": "为确保创建全国文明城市目标任务的完成，根据市创建全国文明城市三年行动计划要求，结合我区实际，"
        "把创文任务分解为九大类21项工作，分别由各牵头单位和责任单位按照创建目标和时间节点要求做好协调落实，特制定本方案。",
        "guiding_idea": "以提高城市文明程度为着力点，全面开展达标创建工作，确保以最好的状态迎接测评。",
        "scope": "全区各街道、社区及区直各部门；实地考察的范围主要是建成区。",
        "office": "创建工作领导小组下设办公室（区创文办），负责创建工作的组织、检查、协调等相关事宜。",
        "requirements": "（一）高度重视，营造氛围，做到“一把手”亲自抓、分管领导具体抓。\n（二）紧盯目标，对标创建，"
        "按测评标准和时间节点细化分解。\n（三）加强联动，强化责任。区创文办会同督查室加强协调督办，不定期开展明察暗访和"
        "督导通报工作，对被市级通报、测评中较大失分、两次以上整改不力的单位和个人，按照相关规定进行责任追究。",
        "report_cycle": "monthly",
        "targets": [
            _t("社会保险基金征缴率", ">", 95, description="企业养老、机关事业养老、失业、医疗、工伤、生育保险"),
            _t("城市登记失业人员再就业率", ">", 70),
            _t("12345诉求结案率", ">=", 95, "case_close_rate"),
            _t("诉求按期处置率", ">=", 90, "case_on_time_rate"),
            _t("群众满意率", ">=", 90, "case_satisfaction"),
        ],
        "group": [
            {"duty": "leader", "name": "张延青", "title": "区委副书记、区长"},
            {"duty": "deputy", "name": "尤艳侠", "title": "区委常委、宣传部部长"},
            {"duty": "deputy", "name": "何富銮", "title": "区政府副区长"},
            {"duty": "member", "unit": "区直各部门、各街道办事处主要负责人"},
            {"duty": "office", "name": "徐继飞", "title": "区文明办主任"},
        ],
        "phases": [
            {
                "name": "宣传发动",
                "starts_on": date(y, 3, 5),
                "ends_on": date(y, 3, 31),
                "description": "成立机构，制定实施方案，分解任务，召开动员大会。",
            },
            {
                "name": "自查自纠",
                "starts_on": date(y, 4, 1),
                "ends_on": date(y, 5, 31),
                "description": "各责任单位对照测评标准自查，查漏补缺。",
            },
            {
                "name": "整改提高",
                "starts_on": date(y, 6, 1),
                "ends_on": date(y, 8, 31),
                "description": "针对薄弱环节集中整治，难点问题突击整改。",
            },
            {
                "name": "迎检验收",
                "starts_on": date(y, 9, 1),
                "ends_on": date(y, 10, 31),
                "description": "全面督导检查，做好迎接测评的各项工作。",
            },
            {
                "name": "总结表彰",
                "starts_on": date(y, 11, 1),
                "ends_on": date(y, 12, 20),
                "description": "总结经验，表彰先进，建立长效机制。",
            },
        ],  # fmt: skip
    }
    plan = services.plan_create(user=staff, data=data)
    street_keys = [f"region:{s.pk}" for s in streets]
    community_keys = [f"region:{c.pk}" for c in communities]
    for n, (category, lead, items) in enumerate(CIVILITY_TASKS):
        lead_key = departments[lead]
        parent = services.task_create(user=staff, plan=plan, data={
            "title": category, "lead_units": [lead_key], "weight": len(items)})  # fmt: skip
        for i, (title, standard, month) in enumerate(items):
            # Community-level items fall to the communities, the rest to the streets; the lead department also reports.
            responsible = community_keys if category in ("社区环境", "志愿服务") else street_keys
            if (n + i) % 3 == 0:
                responsible = responsible[: max(2, len(responsible) // 2)]
            services.task_create(user=staff, plan=plan, data={
                "title": title, "content": standard, "parent_id": parent.pk, "lead_units": [lead_key],
                "responsible_units": responsible, "due_on": date(y, month, 28),
                "deliverables": "工作台账、图片资料"})  # fmt: skip
    return _issue(staff, plan, {"社会保险基金征缴率": "96.8", "城市登记失业人员再就业率": "68.5"})
