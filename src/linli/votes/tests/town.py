"""Where the votes' tests happen: 阳光小区 in 甲一社区 (grid 甲一1) and 乙一小区 out of the street's reach.

阳光小区's register: 1-101 and 1-102 owned by 业主一 (one buyer, two units: one owner); 1-201 jointly by 业主二 and
业主三 (one owner); 1-202 unsold (the developer: one owner); 1-301 owned by 业主四, whose register lacks the
exclusive area (its building area counts). So 4 owners holding 76.20 × 4 + 89.50 = 394.30 ㎡.
Residents: `one`, `two`, `three`, `four` are bound to those owners; `tenant` lives there owning nothing; `far` owns a
unit in 乙一小区.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from linli.people.models import Estate, HouseOwner
from linli.residents.models import Resident
from linli.testing import factories
from linli.votes import services

TOTAL_AREA = "394.30"


@dataclass
class Town:
    world: object
    estate: Estate
    far_estate: Estate
    houses: dict
    residents: dict[str, Resident]

    @property
    def worker(self):
        return self.world.users["community_worker"]

    def vote(self, *, item: str = "4", open_: bool = True, title: str = "续聘物业服务企业"):
        today = timezone.localdate()
        vote = services.vote_create(user=self.worker, estate_id=self.estate.pk, title=title, motion="议案全文",
                                    item=item, opens_on=today, closes_on=today + timedelta(days=14))  # fmt: skip
        if open_:
            vote = services.vote_open(user=self.worker, vote_id=vote.pk, version=vote.version)
        return vote


def town_of(world) -> Town:
    estate = Estate.objects.create(region=world.community_a1, name="阳光小区")
    far_estate = Estate.objects.create(region=world.community_b1, name="乙一小区")
    houses = {n: factories.house(world.grid_a1, estate, number=n) for n in ("101", "102", "201", "202", "301")}
    houses["301"].exclusive_area = None
    houses["301"].save(update_fields=["exclusive_area"])
    persons = {k: factories.person(world.grid_a1, name=f"业主{k}", phone=f"1390000{i:04d}")
               for i, k in enumerate(("一", "二", "三", "四", "租客", "远"))}  # fmt: skip
    for number, owner in (("101", "一"), ("102", "一"), ("201", "二"), ("201", "三"), ("301", "四")):
        HouseOwner.objects.create(house=houses[number], person=persons[owner], since=date(2020, 1, 1))
    far_house = factories.house(world.grid_b1, far_estate, number="101")
    HouseOwner.objects.create(house=far_house, person=persons["远"])
    keys = {"one": "一", "two": "二", "three": "三", "four": "四", "tenant": "租客", "far": "远"}
    residents = {key: factories.resident(f"1381111{i:04d}", persons[p]) for i, (key, p) in enumerate(keys.items())}
    return Town(world, estate, far_estate, houses, residents)
