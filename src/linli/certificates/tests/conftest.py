from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from linli.certificates import services
from linli.certificates.models import Matter
from linli.testing import factories


def pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4 scanned", name=name)


def files() -> dict:
    return {"id_card": [pdf("身份证.pdf")], "hukou": [pdf("户口本.pdf")], "support": [pdf("租赁合同.pdf")]}


def fields(matter: Matter | None, **extra) -> dict:
    return {"matter_id": matter.pk if matter else None, "requester": "沈河区某小学",
            "article": "《居住证暂行条例》第九条", "purpose": "子女入学", "reason": "办理子女入学需证明实际居住",
            "promised": True, **files(), **extra}  # fmt: skip


@dataclass
class Place:
    residence: Matter
    person_a: object  # 甲一社区
    person_b: object  # 乙一社区
    resident_a: object  # bound to person_a
    resident_b: object


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def place(world) -> Place:
    services.ensure_default_matters(district=world.district)
    a = factories.person(world.grid_a1, name="王小明", phone="13800000011")
    b = factories.person(world.grid_b1, name="李四海", phone="13800000012")
    return Place(Matter.objects.get(district=world.district, code="residence"), a, b,
                 factories.resident("13800000011", a), factories.resident("13800000012", b))  # fmt: skip


def window(world, place, person=None, user="community_worker", **extra):
    person = person or place.person_a
    return services.window_apply(user=world.users[user], id_number=person.id_number,
                                 **fields(place.residence, **extra))  # fmt: skip
