"""Fixtures of the work tests: the persona district with a few items on its lists and an access application, rows
written directly for speed (the browser journey, linli/tests/browser/test_burden_journey.py, goes through the
services)."""

from dataclasses import dataclass

import pytest

from linli.burden import rules as burden_rules
from linli.burden.models import AccessApplication, DutyItem


@dataclass
class Lists:
    duty: DutyItem  # 社区依法履行职责事项
    assist: DutyItem  # 社区依法协助政府工作事项
    retired: DutyItem


def lists_for(district) -> Lists:
    duty, assist, retired = DutyItem.objects.bulk_create([
        DutyItem(district=district, list=burden_rules.DUTIES, number=1, category="基层党建",
                 title="协助做好社区党组织建设", basis="《中国共产党支部工作条例（试行）》"),
        DutyItem(district=district, list=burden_rules.ASSIST, number=1, category="社会保障",
                 title="协助开展城乡居民基本养老保险参保登记", basis="《中华人民共和国社会保险法》"),
        DutyItem(district=district, list=burden_rules.ASSIST, number=2, title="已停用的事项", active=False),
    ])  # fmt: skip
    return Lists(duty, assist, retired)


def application(world, *, state=burden_rules.APPROVED, communities=(), title="燃气安全入户排查") -> AccessApplication:
    app = AccessApplication.objects.create(
        district=world.district, organization=world.users["dept_handler"].organization, title=title,
        content="入户排查燃气隐患", basis="《城镇燃气管理条例》", state=state, applicant=world.users["dept_handler"],
    )  # fmt: skip
    app.communities.set(communities)
    return app


@pytest.fixture
def lists(world) -> Lists:
    return lists_for(world.district)
