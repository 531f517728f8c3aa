"""更正申请 and 我的家庭: a resident corrects their own record through the community, and sees their household."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.errors import Conflict, ValidationFailed
from linli.notifications.models import Message
from linli.people.models import Estate, Household, Person
from linli.residents import rules
from linli.residents.binding import selectors, services
from linli.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world):
    estate = Estate.objects.create(region=world.community_a1, name="甲一小区")
    household = Household.objects.create(number="A1-0001", house=factories.house(world.grid_a1, estate, number="101"))
    me = factories.person(world.grid_a1, household, name="王秀英", female=True, phone="13812345678",
                          relationship=Person.Relationship.HEAD, employer="市一医院", education="bachelor")  # fmt: skip
    spouse = factories.person(world.grid_a1, household, name="李建国", phone="13700001111",
                              relationship=Person.Relationship.SPOUSE)  # fmt: skip
    household.head = me
    household.save()
    return factories.resident("13812345678", person=me), me, spouse


def test_an_approved_correction_changes_the_registry_with_history_by_the_reviewer(world, family):
    resident, me, _ = family
    request = services.correction_request(
        user=resident.user, changes={"employer": "市二医院", "education": "研究生", "phone": "13900003333"},
        reason="换了工作，读完研究生",
    )  # fmt: skip
    assert [(c.field, c.old, c.new) for c in request.changes] == [
        ("phone", "13812345678", "13900003333"), ("education", "bachelor", "postgraduate"),
        ("employer", "市一医院", "市二医院"),
    ]  # fmt: skip
    worker = world.users["community_worker"]
    shown = selectors.correction_view(selectors.correction_get(user=worker, pk=request.pk))
    assert [(c["label"], c["old"], c["new"], c["now"]) for c in shown["changes"]][:2] == [
        ("联系电话", "138****5678", "139****3333", "138****5678"), ("文化程度", "大学本科", "研究生", "大学本科"),
    ]  # fmt: skip
    services.correction_decide(user=worker, pk=request.pk, approve=True, note="已核实")
    me.refresh_from_db()
    assert (me.employer, me.education, me.phone) == ("市二医院", "postgraduate", "13900003333")
    latest = me.history.latest()
    assert latest.history_user == worker and latest.employer == "市二医院"
    assert selectors.my_correction(resident.user, request.pk).status == rules.Status.APPROVED


def test_a_refused_correction_changes_nothing_and_tells_why(world, family):
    resident, me, _ = family
    request = services.correction_request(user=resident.user, changes={"employer": "市二医院"}, reason="换了工作")
    history = me.history.count()
    services.correction_decide(user=world.users["community_worker"], pk=request.pk, approve=False, note="请提供证明")
    me.refresh_from_db()
    assert me.employer == "市一医院" and me.history.count() == history
    request = selectors.my_correction(resident.user, request.pk)
    assert request.status == rules.Status.REFUSED and request.note == "请提供证明"
    told = Message.objects.get(user=resident.user)
    assert (told.title, told.link) == ("信息更正未通过", f"/portal/corrections/{request.pk}/")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"phone": "12345"}, "phone"),  # checked as the registry checks it
        ({"ethnicity": "火星族"}, "ethnicity"),
        ({"education": "博士后"}, "education"),
        ({"name": "王秀兰"}, "name"),  # not online
        ({"employer": "市一医院"}, "changes"),  # nothing changes
    ],
)
def test_bad_corrections_are_refused_naming_the_field(family, changes, field):
    resident = family[0]
    with pytest.raises(ValidationFailed) as exc:
        services.correction_request(user=resident.user, changes=changes, reason="登记有误")
    assert exc.value.errors[0].field == field


def test_open_corrections_are_bounded_and_withdrawn_ones_stay_decided(family):
    resident = family[0]
    made = [
        services.correction_request(user=resident.user, changes={"employer": f"单位{i}"}, reason="换了工作")
        for i in range(rules.OPEN_CORRECTIONS_MAX)
    ]
    with pytest.raises(Conflict):
        services.correction_request(user=resident.user, changes={"employer": "单位9"}, reason="换了工作")
    services.correction_withdraw(user=resident.user, pk=made[0].pk)
    with pytest.raises(ValidationFailed):
        services.correction_withdraw(user=resident.user, pk=made[0].pk)
    services.correction_request(user=resident.user, changes={"employer": "单位9"}, reason="换了工作")


def test_an_unbound_resident_asks_no_correction():
    resident = factories.resident("13600000000")
    with pytest.raises(selectors.NotBound):
        services.correction_request(user=resident.user, changes={"employer": "x"}, reason="换了工作")


def test_a_resident_never_reaches_another_residents_correction(family, world):
    resident = family[0]
    request = services.correction_request(user=resident.user, changes={"employer": "市二医院"}, reason="换了工作")
    stranger = factories.resident("13600000000", person=factories.person(world.grid_a2, name="赵六"))
    with pytest.raises(Exception) as exc:
        selectors.my_correction(stranger.user, request.pk)
    assert type(exc.value).__name__ == "Http404"


def test_my_household_shows_me_unmasked_and_the_others_masked(family):
    resident, me, spouse = family
    h = selectors.my_household(resident.user)
    assert h.address == "甲一小区 1号楼1单元101" and h.household.number == "A1-0001"
    rows = {m.name: m for m in h.members}
    assert rows["王秀英"].is_self and rows["王秀英"].is_head
    assert (rows["王秀英"].id_number, rows["王秀英"].phone) == (me.id_number, "13812345678")
    assert rows["李建国"].phone == "137****1111" and rows["李建国"].id_number.count("*") == 8
    assert rows["李建国"].relationship == "配偶" and not rows["李建国"].is_self


def test_my_household_costs_the_same_for_a_large_household(family, world):
    resident, me, _ = family

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            selectors.my_household(resident.user)
        return len(ctx.captured_queries)

    few = queries()
    for i in range(10):
        factories.person(world.grid_a1, me.household, name=f"成员{i}", phone="")
    assert queries() == few


def test_a_person_outside_any_household_sees_only_themselves(world):
    me = factories.person(world.grid_a1, name="独居者", current_address="青年大街1号")
    resident = factories.resident("13812345678", person=me)
    h = selectors.my_household(resident.user)
    assert h.household is None and h.address == "青年大街1号" and [m.name for m in h.members] == ["独居者"]
