"""实名认证: bound at once, queued, approved, refused, no match, a second claim, unbinding; the daily limit."""

import pytest
from django.utils import timezone

from linli.core.errors import Conflict, PermissionDenied, TooManyRequests, ValidationFailed
from linli.notifications.models import Message
from linli.people.models import Estate, Household, Person
from linli.residents import rules
from linli.residents.binding import selectors, services
from linli.residents.models import BindingRequest, BindingTry, Resident
from linli.testing import factories

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def person(world):
    estate = Estate.objects.create(region=world.community_a1, name="甲一小区")
    household = Household.objects.create(number="A1-0001", house=factories.house(world.grid_a1, estate, number="101"))
    return factories.person(world.grid_a1, household, name="王秀英", phone=PHONE, female=True)


def _bind(resident, person, name=None, id_number=None):
    return services.bind(user=resident.user, name=name or person.name, id_number=id_number or person.id_number)


def _fresh(resident) -> Resident:
    return Resident.objects.get(pk=resident.pk)


def test_the_phone_on_file_binds_at_once(person):
    r = factories.resident(PHONE)
    request = _bind(r, person, id_number=person.id_number.lower())  # an x typed small
    assert request.status == rules.Status.APPROVED and request.why == rules.Why.NONE and request.decided_by is None
    assert _fresh(r).person_id == person.pk and _fresh(r).bound_at is not None


def test_another_phone_waits_for_the_community_which_approves(world, person):
    r = factories.resident("13900002222")
    request = _bind(r, person)
    assert request.status == rules.Status.PENDING and request.why == rules.Why.PHONE_DIFFERS
    assert _fresh(r).person_id is None
    worker = world.users["community_worker"]
    shown = selectors.binding_view(selectors.binding_get(user=worker, pk=request.pk))
    assert shown["phone_on_file"] == "138****5678" and shown["applicant_phone"] == "139****2222"
    assert shown["id_number"].startswith("210103") and "*" in shown["id_number"]
    services.binding_decide(user=worker, pk=request.pk, approve=True)
    request.refresh_from_db()
    assert request.status == rules.Status.APPROVED and request.decided_by == worker
    assert _fresh(r).person_id == person.pk
    told = Message.objects.get(user=r.user)
    assert (told.title, told.body, told.link) == ("实名认证已通过", "您的实名认证申请已通过。", "/portal/binding/")


def test_a_person_without_a_phone_on_file_waits(person):
    Person.objects.filter(pk=person.pk).update(phone="", phone_hash="")
    assert _bind(factories.resident(PHONE), person).why == rules.Why.NO_PHONE


def test_a_refusal_says_why_and_the_resident_may_try_again(world, person):
    r = factories.resident("13900002222")
    request = _bind(r, person)
    worker = world.users["community_worker"]
    with pytest.raises(ValidationFailed) as exc:
        services.binding_decide(user=worker, pk=request.pk, approve=False, note="")
    assert exc.value.errors[0].field == "note"
    services.binding_decide(user=worker, pk=request.pk, approve=False, note="电话不符，请携带身份证到社区办理")
    state = selectors.binding_state(r.user)
    assert not state.bound and state.pending is None and state.last.note == "电话不符，请携带身份证到社区办理"
    told = Message.objects.get(user=r.user)
    assert told.body == "您的实名认证申请未通过。说明：电话不符，请携带身份证到社区办理"
    with pytest.raises(ValidationFailed, match="提交的数据有误"):
        services.binding_decide(user=worker, pk=request.pk, approve=True)  # decided once
    assert _bind(r, person).status == rules.Status.PENDING


@pytest.mark.parametrize("wrong", ["name", "id_number", "both"])
def test_no_match_gives_one_answer_whichever_is_wrong(person, wrong):
    r = factories.resident(PHONE)
    other_id = factories.resident_id(person.birth_date)
    name = "王秀兰" if wrong in ("name", "both") else person.name
    number = other_id if wrong in ("id_number", "both") else person.id_number
    with pytest.raises(ValidationFailed) as exc:
        services.bind(user=r.user, name=name, id_number=number)
    assert exc.value.detail == services.NO_MATCH
    assert [(e.field, e.message) for e in exc.value.errors] == [("id_number", services.NO_MATCH)]
    assert not BindingRequest.objects.exists() and BindingTry.objects.filter(resident=r).count() == 1


def test_tries_are_limited_per_day_matched_or_not(person):
    r = factories.resident(PHONE)
    for _ in range(rules.BINDING_TRIES_PER_DAY):
        with pytest.raises(ValidationFailed):
            _bind(r, person, name="李四")
    with pytest.raises(TooManyRequests):
        _bind(r, person)  # even the right pair, until tomorrow
    assert _fresh(r).person_id is None


def test_a_blank_form_is_not_a_try(person):
    r = factories.resident(PHONE)
    with pytest.raises(ValidationFailed) as exc:
        services.bind(user=r.user, name=" ", id_number="")
    assert {e.field for e in exc.value.errors} == {"name", "id_number"} and not BindingTry.objects.exists()


def test_a_second_claim_waits_and_once_approved_takes_the_person_over(world, person):
    first = factories.resident(PHONE)
    _bind(first, person)
    second = factories.resident("13900002222")
    request = _bind(second, person)
    assert request.status == rules.Status.PENDING and request.why == rules.Why.CLAIMED
    services.binding_decide(user=world.users["community_worker"], pk=request.pk, approve=True)
    assert _fresh(second).person_id == person.pk and _fresh(first).person_id is None


def test_one_request_at_a_time_and_none_once_bound(person):
    r = factories.resident("13900002222")
    _bind(r, person)
    with pytest.raises(Conflict, match="待社区核实"):
        _bind(r, person)
    services.binding_withdraw(user=r.user)
    assert selectors.binding_state(r.user).last.status == rules.Status.WITHDRAWN
    bound = factories.resident(PHONE)
    _bind(bound, person)
    with pytest.raises(Conflict, match="已完成实名认证"):
        _bind(bound, person)


def test_unbinding_lets_the_person_go_and_withdraws_open_corrections(person):
    r = factories.resident(PHONE)
    _bind(r, person)
    correction = services.correction_request(user=r.user, changes={"employer": "市二医院"}, reason="换了工作")
    services.unbind(user=r.user)
    correction.refresh_from_db()
    assert _fresh(r).person_id is None and correction.status == rules.Status.WITHDRAWN
    with pytest.raises(selectors.NotBound):
        selectors.my_household(r.user)
    with pytest.raises(Conflict):
        services.unbind(user=r.user)


def test_only_the_persons_community_decides_and_those_above_only_see(world, person):
    request = _bind(factories.resident("13900002222"), person)
    for role in ("admin", "district_staff", "street_staff"):
        assert selectors.binding_queue(user=world.users[role]).get() == request
        with pytest.raises(PermissionDenied):
            services.binding_decide(user=world.users[role], pk=request.pk, approve=True)
    with pytest.raises(PermissionDenied):
        selectors.binding_queue(user=world.users["grid_worker"])
    assert not selectors.binding_queue(user=world.users["community_worker2"]).exists()
    with pytest.raises(Exception) as exc:
        services.binding_decide(user=world.users["community_worker2"], pk=request.pk, approve=True)
    assert type(exc.value).__name__ == "Http404"


def test_bindings_made_at_once_are_not_in_the_queue(world, person):
    _bind(factories.resident(PHONE), person)
    assert not selectors.binding_queue(user=world.users["community_worker"], status=rules.Status.APPROVED).exists()


def test_yesterdays_tries_are_forgotten(person):
    r = factories.resident(PHONE)
    for _ in range(rules.BINDING_TRIES_PER_DAY):
        with pytest.raises(ValidationFailed):
            _bind(r, person, name="李四")
    BindingTry.objects.update(at=timezone.now() - rules.TRY_WINDOW)
    assert _bind(r, person).status == rules.Status.APPROVED
    assert BindingTry.objects.count() == 1  # the old ones dropped, today's kept
