from datetime import date

import pytest
from django.http import Http404

from linli.audit.models import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.people import services
from linli.people.models import Estate, Household, Person
from linli.people.selectors import PersonFilter, person_get, person_list
from linli.testing import factories


@pytest.fixture
def household(world):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    house = factories.house(world.grid_a1, estate, number="101")
    return Household.objects.create(number="H0001", house=house)


def valid(**over):
    number = factories.resident_id(date(1990, 3, 7), female=True)
    return {
        "name": "李秀英",
        "id_number": number,
        "phone": "13912345678",
        "ethnicity": "汉",
        "residence_type": "户籍人口",
        "relationship": "户主",
        **over,
    }


def test_it_creates_a_person_with_derived_birth_date_and_gender(world, household):
    p = services.person_create(user=world.users["community_worker"], data=valid(household_id=household.pk))
    assert (p.birth_date, p.gender, p.ethnicity, p.grid_id) == (date(1990, 3, 7), "F", "汉族", world.grid_a1.pk)
    household.refresh_from_db()
    assert household.head_id == p.pk
    assert p.history.count() == 1 and p.history.first().history_user == world.users["community_worker"]


def test_it_rejects_a_wrong_check_digit_and_changes_nothing(world, household):
    data = valid(household_id=household.pk)
    data["id_number"] = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(user=world.users["community_worker"], data=data)
    assert [(e.field, e.message) for e in exc.value.errors] == [("id_number", "身份证号码校验位不正确")]
    assert Person.objects.count() == 0


def test_it_rejects_a_gender_contradicting_the_id_number(world, household):
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(user=world.users["community_worker"], data=valid(household_id=household.pk, gender="男"))
    assert exc.value.errors[0].field == "gender"


def test_a_community_worker_cannot_place_a_person_in_another_community(world, household):
    with pytest.raises(Http404):
        services.person_create(user=world.users["community_worker2"], data=valid(household_id=household.pk))


def test_a_department_handler_cannot_edit_the_registry(world, household):
    with pytest.raises(PermissionDenied):
        services.person_create(user=world.users["dept_handler"], data=valid(household_id=household.pk))


def test_a_stale_version_answers_conflict(world, household):
    worker = world.users["community_worker"]
    p = services.person_create(user=worker, data=valid(household_id=household.pk))
    services.person_update(user=worker, pk=p.pk, version=1, data={"employer": "市一医院"})
    with pytest.raises(Conflict):
        services.person_update(user=worker, pk=p.pk, version=1, data={"employer": "区二中"})
    assert Person.objects.get(pk=p.pk).employer == "市一医院"


def test_exact_lookup_by_id_number_uses_the_hash(world, household):
    worker = world.users["street_staff"]
    data = valid(household_id=household.pk)
    services.person_create(user=worker, data=data)
    assert [p.name for p in person_list(user=worker, filters=PersonFilter(id_number=data["id_number"].lower()))] == [
        "李秀英"
    ]
    assert (
        person_list(user=world.users["community_worker2"], filters=PersonFilter(id_number=data["id_number"])).count()
        == 0
    )


def test_reveal_needs_the_permission_and_is_audited(world, household):
    p = services.person_create(user=world.users["street_staff"], data=valid(household_id=household.pk))
    with pytest.raises(PermissionDenied):
        services.person_reveal(user=world.users["community_worker"], pk=p.pk, purpose="走访核实")
    revealed = services.person_reveal(user=world.users["street_staff"], pk=p.pk, purpose="走访核实")
    assert revealed["id_number"] == p.id_number
    entry = AuditEntry.objects.get(action="view_pii")
    assert (entry.actor, entry.object_ids, entry.purpose) == (world.users["street_staff"], [p.pk], "走访核实")


def test_an_out_of_scope_person_is_not_found(world, household):
    p = services.person_create(user=world.users["community_worker"], data=valid(household_id=household.pk))
    with pytest.raises(Http404):
        person_get(user=world.users["community_worker2"], pk=p.pk)
    assert person_get(user=world.users["street_staff"], pk=p.pk) == p


def test_age_filter_is_inclusive(world, household):
    worker = world.users["community_worker"]
    services.person_create(user=worker, data=valid(household_id=household.pk))  # born 1990-03-07
    today = date(2026, 3, 7)
    assert person_list(user=worker, filters=PersonFilter(age_min=36, age_max=36), today=today).count() == 1
    assert person_list(user=worker, filters=PersonFilter(age_min=37), today=today).count() == 0
    assert person_list(user=worker, filters=PersonFilter(age_max=35), today=date(2026, 3, 6)).count() == 1
