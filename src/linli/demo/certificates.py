"""居委会证明 of the demo (004 篇十八): each district's default list of 15 matters, and a year of certificates across
the communities — about 500 issued (some revoked since), some refused at review, some asked outside the list and
refused as asked (无犯罪记录, 婚姻状况 … with who issues them), a few withdrawn. Written in bulk (a year of rows), with
the same serials, codes and wording the services give; the few still waiting for the demo community worker go through
the services, with their scanned evidence, so the window's queue has real applications in it."""

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.core.files.base import ContentFile

from linli.accounts.models import User
from linli.certificates import rules, selectors, services
from linli.certificates.models import Application, Certificate, Matter
from linli.people.models import Person
from linli.regions.models import Region

ISSUED = 500
WEIGHTS = {"residence": 40, "subsistence": 8, "destitute": 2, "temporary_aid": 4, "medical_aid": 4, "housing_aid": 4,
           "disaster": 1, "student_aid": 8, "conscription": 5, "military_family": 2, "voter": 3, "correction": 1,
           "volunteering": 12, "guardian": 1, "mediation": 5}  # fmt: skip
REQUESTERS = {
    "residence": ("沈河区某小学", "《居住证暂行条例》第九条"),
    "student_aid": ("辽宁某大学学生资助中心", "《学生资助资金管理办法》"),
    "conscription": ("区人民武装部", "《征兵政治考核工作规定》第十条"),
    "volunteering": ("某中学", "《志愿服务条例》第十九条"),
}
DEFAULT_REQUESTER = ("街道社会保障服务所", "《社会救助暂行办法》")
PURPOSES = ["子女入学", "办理居住证", "申请救助", "申请助学金", "应征入伍", "评优评先", "办理补贴"]
OUTSIDE = ["无犯罪记录证明", "婚姻状况证明", "亲属关系证明", "健在证明", "房产证丢失证明", "收入证明"]
REVOKE = ["申请人提供的租赁合同系伪造", "证明内容有误，已重新出具", "申请人冒用他人身份"]
REFUSE = ["要求单位未能提供具体法律条款", "经入户核实，申请人不在本社区实际居住", "佐证材料与申请事项不符"]


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(rules.CODE_ALPHABET) for _ in range(rules.CODE_LENGTH))


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo scan\n", name=name)


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    rng = random.Random(f"{seed}:certificates")
    if Application.objects.exists():
        return ["居委会证明：已有证明申请，跳过"]
    for district in Region.objects.filter(level=Region.Level.DISTRICT):
        services.ensure_default_matters(district=district)
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).order_by("path"))
    matters = {(m.district_id, m.code): m for m in Matter.objects.all()}
    district_of = {c.pk: selectors.district_of(c).pk for c in communities}
    workers = {u.region_id: u for u in User.objects.filter(region__in=communities).order_by("pk")}
    fallback = User.objects.filter(username="community_worker").first() or User.objects.order_by("pk").first()
    people = defaultdict(list)
    for pk, grid_parent in Person.objects.filter(grid__parent__in=communities).values_list("pk", "grid__parent")[
        :40000
    ]:
        people[grid_parent].append(pk)
    places = [c for c in communities if people[c.pk]]
    if not places or fallback is None:
        return ["居委会证明：没有社区居民，跳过"]
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    apps, certs, seq = [], [], defaultdict(int)
    total = round(ISSUED * 1.15)
    times = sorted(now - timedelta(days=rng.uniform(1, 365)) for _ in range(total))
    for at in times:
        community = rng.choice(places)
        person = rng.choice(people[community.pk])
        worker = workers.get(community.pk, fallback)
        roll = rng.random()
        if roll < 0.04:  # asked outside the list: refused as asked
            asked = rng.choice(OUTSIDE)
            apps.append(Application(community=community, person_id=person, asked=asked, via=rules.PORTAL,
                                    state=rules.REFUSED, decision_note=rules.outside_answer(asked), decided_at=at,
                                    created_by=worker, created_at=at))  # fmt: skip
            continue
        matter = matters[district_of[community.pk], rng.choices(codes, weights)[0]]
        requester, article = REQUESTERS.get(matter.code, DEFAULT_REQUESTER)
        decided = at + timedelta(hours=rng.uniform(0.2, 30))
        state = rules.REFUSED if roll < 0.10 else rules.WITHDRAWN if roll < 0.11 else rules.ISSUED
        app = Application(community=community, person_id=person, matter=matter, asked=matter.name,
                          via=rules.PORTAL if rng.random() < 0.35 else rules.WINDOW, requester=requester,
                          article=article, purpose=rng.choice(PURPOSES), reason=f"{requester}要求出具{matter.name}",
                          promised_at=at, state=state, decided_at=decided,
                          decided_by=None if state == rules.WITHDRAWN else worker,
                          decision_note=rng.choice(REFUSE) if state == rules.REFUSED else "",
                          created_by=worker, created_at=at, version=2)  # fmt: skip
        apps.append(app)
        if state == rules.ISSUED:
            seq[community.pk, decided.year] += 1
            serial = rules.serial(community.code, decided.year, seq[community.pk, decided.year])
            revoked = decided + timedelta(days=rng.uniform(1, 20)) if rng.random() < 0.04 else None
            certs.append(
                (
                    app,
                    Certificate(
                        community=community,
                        serial=serial,
                        code=_code(rng),
                        title=matter.name,
                        statement=matter.wording,
                        issued_by=worker,
                        issued_at=decided,
                        revoked_at=revoked if revoked and revoked < now else None,
                        revoked_by=worker if revoked and revoked < now else None,
                        revoke_reason=rng.choice(REVOKE) if revoked and revoked < now else "",
                    ),
                )
            )
    Application.objects.bulk_create(apps, batch_size=500)
    for app, cert in certs:
        cert.application = app
    Certificate.objects.bulk_create([c for _, c in certs], batch_size=500)
    waiting = _waiting(rng, now)
    revoked = sum(1 for _, c in certs if c.revoked_at)
    refused = sum(1 for a in apps if a.state == rules.REFUSED)
    return [f"居委会证明：{len(certs)}份已出具（{revoked}份已作废），{refused}件不予出具，{waiting}件待审核"]


def _waiting(rng: random.Random, now: datetime) -> int:
    """A few applications in the demo community worker's queue, through the services, with their scans."""
    worker = User.objects.filter(username="community_worker").select_related("region").first()
    if worker is None or worker.region is None:
        return 0
    persons = list(Person.objects.filter(grid__parent=worker.region).order_by("pk")[:200])
    matter = Matter.objects.filter(code="residence", active=True).order_by("pk").first()
    n = 0
    for person in rng.sample(persons, min(6, len(persons))):
        services.window_apply(
            user=worker, id_number=person.id_number, matter_id=matter.pk, requester="沈河区某小学",
            article="《居住证暂行条例》第九条", purpose="子女入学", reason="办理子女入学需证明实际居住", promised=True,
            id_card=[_pdf("身份证.pdf")], hukou=[_pdf("户口本.pdf")], support=[_pdf("房屋租赁合同.pdf")],
            now=now - timedelta(hours=rng.uniform(1, 48)),
        )  # fmt: skip
        n += 1
    return n
