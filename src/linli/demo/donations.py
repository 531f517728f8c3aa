"""公益捐助 of the demo (004 篇十三: help for families hit by disaster and for vulnerable groups): two drives, both
through the services, so the ledger, its row locks and its approvals are the real ones.

- 甲 community (the demo community worker's): 「3号楼火灾受灾家庭救助」, finished: residents', companies' and anonymous
  receipts in cash, by transfer and in goods (rice, oil, quilts valued at retail price), two beneficiaries from the
  registry with their written consent, disbursements approved by the street office (one refused for missing
  evidence), closed with the balance handed to the community's relief fund.
- The street (the demo street staff's): 「困难家庭温暖过冬」, under way: receipts so far, pledges not yet received,
  one disbursement approved by the district and one awaiting the district's decision.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from linli.accounts.models import User
from linli.donations import services
from linli.people.models import Person

ORGANISATIONS = ["安居物业服务有限公司", "沈河区惠民超市", "盛京银行沈河支行", "沈河区红十字会", "鑫达建材商行",
                 "社区党员志愿服务队", "和平餐饮有限公司"]  # fmt: skip
GOODS = [("大米", "袋", Decimal("60.00")), ("食用油", "桶", Decimal("75.00")), ("棉被", "床", Decimal("180.00")),
         ("羽绒服", "件", Decimal("260.00"))]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英志强丽华海燕国庆玉兰春梅文明德胜桂芳晓东"


def _evidence(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo evidence\n", name=name)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _receipts(rng, user, drive, start: datetime, days: int, count: int) -> None:
    for i in range(count):
        at = start + timedelta(days=rng.randrange(days), hours=9 + rng.randrange(9))
        roll = rng.random()
        kind = "organisation" if roll < 0.2 else "person"
        name = rng.choice(ORGANISATIONS) if kind == "organisation" else _name(rng)
        anonymous = kind == "person" and rng.random() < 0.15
        if roll < 0.25:
            goods, unit, price = rng.choice(GOODS)
            n = rng.choice((5, 10, 20, 30))
            services.receipt_record(user=user, drive_id=drive.pk, donor_name=name, donor_kind=kind,
                                    anonymous=anonymous, method="goods", amount=price * n, goods=f"{goods}{n}{unit}",
                                    valuation="按当地超市零售价", received_on=at.date(), now=at)  # fmt: skip
        else:
            method = "transfer" if kind == "organisation" or rng.random() < 0.4 else "cash"
            amount = Decimal(rng.choice((50, 100, 100, 200, 200, 500, 1000, 2000) if kind == "person" else
                                        (2000, 5000, 10000))) + (Decimal("0.50") if i % 11 == 0 else 0)  # fmt: skip
            services.receipt_record(user=user, drive_id=drive.pk, donor_name=name, donor_kind=kind,
                                    anonymous=anonymous, method=method, amount=amount, received_on=at.date(),
                                    reference=f"DEMO{drive.pk:03d}{i:04d}" if method == "transfer" else "",
                                    now=at)  # fmt: skip


def _beneficiaries(user, drive, persons, needs, consent_on):
    return [
        services.beneficiary_add(
            user=user,
            drive_id=drive.pk,
            name="",
            person_id=p.pk,
            need=need,
            consent_on=consent_on,
            consent_note="本人签署书面同意书",
            today=consent_on,
        )  # fmt: skip
        for p, need in zip(persons, needs, strict=False)
    ]


def _pay(asker, approver, drive, *, fund, amount, purpose, at, beneficiary=None, goods="", approve=True,
         note=""):  # fmt: skip
    d = services.disbursement_ask(user=asker, drive_id=drive.pk, fund=fund, amount=amount, purpose=purpose,
                                  goods=goods, beneficiary_id=beneficiary.pk if beneficiary else None,
                                  evidence=_evidence("发放签收表.pdf"), now=at)  # fmt: skip
    if approver is not None:
        services.disbursement_decide(user=approver, disbursement_id=d.pk, version=d.version, approve=approve,
                                     note=note, now=at + timedelta(hours=20))  # fmt: skip
    return d


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    rng = random.Random(f"{seed}:donations")
    users = {u.username: u for u in User.objects.filter(username__in=(
        "community_worker", "street_staff", "district_staff"))}  # fmt: skip
    worker, street, district = (users.get(k) for k in ("community_worker", "street_staff", "district_staff"))
    if not (worker and street and district):
        return ["公益捐助 donations: 没有演示账号 no demo accounts"]
    candidates = list(Person.objects.filter(grid__parent=worker.region_id).order_by("pk")[:400])
    persons = rng.sample(candidates, min(4, len(candidates)))

    start = now - timedelta(days=60)
    fire = services.drive_create(
        user=worker, region_id=worker.region_id, title="3号楼火灾受灾家庭救助", target=Decimal("30000.00"),
        purpose="3号楼一单元住户家中失火，两户家庭财物损毁严重，生活陷入困难。社区发起募捐，所得款物全部用于两户的"
                "临时生活救助和房屋修缮，收支逐笔公示。",
        starts_on=start.date(), ends_on=(start + timedelta(days=30)).date(),
    )  # fmt: skip
    _receipts(rng, worker, fire, start, 25, 36)
    needs = ["房屋过火，家具家电全部损毁，家中有卧床老人", "厨房及客厅受损，一名子女在读"]
    helped = _beneficiaries(worker, fire, persons[:2], needs, start.date())
    fire.refresh_from_db()
    half = (fire.received_money * Decimal("0.45")).quantize(Decimal("1"))
    for i, b in enumerate(helped):
        _pay(worker, street, fire, fund="money", amount=half, purpose="临时生活救助及房屋修缮补助",
             at=start + timedelta(days=26 + i), beneficiary=b)  # fmt: skip
    fire.refresh_from_db()
    if fire.received_goods:
        _pay(worker, street, fire, fund="goods", amount=fire.received_goods, purpose="发放受赠生活物资",
             goods="受赠的全部米、油、棉被和衣物", at=start + timedelta(days=27),
             beneficiary=helped[0] if helped else None)  # fmt: skip
    _pay(worker, street, fire, fund="money", amount=Decimal("800.00"), purpose="购置临时住所日用品",
         at=start + timedelta(days=28), approve=False, note="未附购物发票，请补充后重新申请")  # fmt: skip
    fire.refresh_from_db()
    services.drive_close(user=worker, drive_id=fire.pk, version=fire.version, now=start + timedelta(days=32),
                         summary=f"两户受灾家庭已领取救助款物。结余资金{fire.balance.money}元转入社区困难群众救助金，"
                                 "在社区公开栏同步公示。")  # fmt: skip

    begin = now - timedelta(days=20)
    winter = services.drive_create(
        user=street, region_id=street.region_id, title="困难家庭温暖过冬", target=Decimal("50000.00"),
        purpose="为街道内低保、低收入和独居高龄老人家庭募集冬季取暖费和棉衣棉被，年底前发放到户。",
        starts_on=begin.date(), ends_on=(now + timedelta(days=40)).date(),
    )  # fmt: skip
    _receipts(rng, street, winter, begin, 19, 28)
    for name in ORGANISATIONS[:2]:
        services.pledge_add(user=street, drive_id=winter.pk, donor_name=name, donor_kind="organisation",
                            anonymous=False, fund="money", amount=Decimal("5000.00"),
                            pledged_on=(now - timedelta(days=3)).date())  # fmt: skip
    helped = _beneficiaries(street, winter, persons[2:4], ["独居高龄老人，低保", "重病致贫，低收入家庭"],
                            begin.date())  # fmt: skip
    _pay(street, district, winter, fund="money", amount=Decimal("3000.00"), purpose="首批取暖费补助",
         at=now - timedelta(days=6), beneficiary=helped[0] if helped else None)  # fmt: skip
    _pay(street, None, winter, fund="money", amount=Decimal("2000.00"), purpose="第二批取暖费补助",
         at=now - timedelta(days=1), beneficiary=helped[-1] if helped else None)  # fmt: skip
    winter.refresh_from_db()
    return [
        f"「{fire.title}」已结项：收到 {fire.balance.received} 元（含物资折价），支出 {fire.balance.disbursed} 元",
        f"「{winter.title}」募集中：余额 {winter.balance.total} 元，1 笔支出待区里审批",
    ]
