from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from linli.donations import services


def evidence(name: str = "签收表.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4 signed list", name=name)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def drive(world):
    """甲一社区's drive for a family whose home burned, run by its community worker."""
    return services.drive_create(
        user=world.users["community_worker"], region_id=world.community_a1.pk, title="帮扶火灾受困家庭",
        purpose="为甲一社区3号楼火灾受困家庭募集生活救助资金和物资", target=Decimal("20000"),
        starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31),
    )  # fmt: skip


def receive(world, drive, amount: str, method: str = "cash", **extra):
    fields = {"donor_name": "张三丰", "donor_kind": "person", "anonymous": False, "received_on": date(2026, 11, 5)}
    if method == "goods":
        fields.update(goods="大米50袋", valuation="按超市零售价")
    return services.receipt_record(user=world.users["community_worker"], drive_id=drive.pk, method=method,
                                   amount=Decimal(amount), **{**fields, **extra})  # fmt: skip


def ask(world, drive, amount: str, fund: str = "money", user: str = "community_worker", **extra):
    fields = {"purpose": "发放生活救助金", "goods": "大米50袋" if fund == "goods" else ""}
    return services.disbursement_ask(user=world.users[user], drive_id=drive.pk, fund=fund, amount=Decimal(amount),
                                     evidence=evidence(), **{**fields, **extra})  # fmt: skip
