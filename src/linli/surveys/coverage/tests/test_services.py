"""覆盖核查 services: the lists of a census from its returned forms and the registry at the standard moment, kept
across recomputations, applied to the registry through the people services, or dismissed with a reason."""

from datetime import date

import pytest

from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.people.models import Person
from linli.surveys.coverage import rules, services
from linli.surveys.models import Finding
from linli.testing import factories

from .town import enumerate_town, person_now, returned, town


@pytest.fixture
def census(world):
    t = town(world)
    enumerate_town(t)
    return t


def listed(survey) -> set:
    return {(f.kind, f.unit.household.number[:4], f.person.name if f.person else f.data["name"])
            for f in Finding.objects.filter(survey=survey).select_related("unit__household", "person")}  # fmt: skip


def compute(world, t):
    return services.findings_compute(user=world.users["street_staff"], survey_id=t.survey.pk)


def test_each_list_holds_what_the_forms_and_the_registry_disagree_on(world, census):
    counts = compute(world, census)
    assert listed(census.survey) == {
        (rules.SEPARATED, "H101", "张三"),  # 户口在其他乡镇, registered here
        (rules.DEREGISTER, "H101", "张老汉"),  # reported dead on the death form
        (rules.MISSED, "H101", "张外出"),  # registered, not found
        (rules.NO_HUKOU, "H101", "张小宝"),  # 户口待定
        (rules.SEPARATED, "H101", "刘洋"),  # enumerated at 张家, registered at 李家 (written "刘 洋", "1995年2月")
        (rules.UNREGISTERED, "H102", "孙客人"),
        (rules.MISSED, "H102", "赵租客"),  # floating, moved away
    }
    assert {kind: c["total"] for kind, c in counts.items()} == {
        rules.MISSED: 2, rules.UNREGISTERED: 1, rules.SEPARATED: 2, rules.NO_HUKOU: 1, rules.DEREGISTER: 1}  # fmt: skip
    unregistered = Finding.objects.get(kind=rules.UNREGISTERED)
    assert unregistered.data["ethnicity"] == "回族"  # the option's label, as the registry keeps it
    assert "id_number" not in unregistered.data


def test_the_registry_is_read_as_of_the_standard_moment(world, census):
    # Registered after the moment: the census did not count them, and 孙客人 stays 未登记 at that moment.
    factories.person(census.households["wang"].grid, census.households["wang"], name="孙客人", birth=date(1985, 11, 2))
    compute(world, census)
    assert (rules.UNREGISTERED, "H102", "孙客人") in listed(census.survey)


def test_recomputing_keeps_decisions_and_drops_what_is_no_longer_found(world, census):
    user = world.users["street_staff"]
    compute(world, census)
    missed = Finding.objects.get(kind=rules.MISSED, person=census.persons["zhang_away"])
    services.finding_dismiss(user=user, survey_id=census.survey.pk, finding_id=missed.pk, version=missed.version,
                             reason="本人在外读书，普查员漏查，已补登")  # fmt: skip
    # The enumerator finds 赵租客 after all: his 漏登 goes; the dismissal stays.
    wang = census.survey.frame.frame_units.get(household=census.households["wang"]).responses.get()
    wang.answers["P"].append({"R1": "赵租客", "R2": "9", "R3": "1", "R4": "1999-09", "R5": "01", "R6": "4"})
    wang.save()
    compute(world, census)
    assert not Finding.objects.filter(person=census.persons["wang_tenant"]).exists()
    kept = Finding.objects.get(pk=missed.pk)
    assert (kept.state, kept.note, kept.reviewed_by) == (rules.DISMISSED, "本人在外读书，普查员漏查，已补登", user)
    assert Finding.objects.filter(survey=census.survey).count() == 6


def apply(world, finding, role="street_staff", version=None, **extra):
    version = finding.version if version is None else version
    return services.finding_apply(user=world.users[role], survey_id=finding.survey_id, finding_id=finding.pk,
                                  version=version, **extra)  # fmt: skip


def test_applying_corrects_the_registry_through_its_services(world, census):
    compute(world, census)
    by = {(f.kind, f.person_id or f.data["name"]): f for f in Finding.objects.all()}
    p = census.persons

    apply(world, by[(rules.SEPARATED, p["zhang_san"].pk)])
    assert person_now(p["zhang_san"]).residence_type == "separated"

    apply(world, by[(rules.SEPARATED, p["liu_yang"].pk)])
    moved = person_now(p["liu_yang"])
    assert (moved.household, moved.residence_type) == (census.households["zhang"], "floating")

    apply(world, by[(rules.DEREGISTER, p["zhang_old"].pk)])
    assert person_now(p["zhang_old"]).household is None

    apply(world, by[(rules.MISSED, p["zhang_away"].pk)])
    assert person_now(p["zhang_away"]).residence_type == "separated"

    apply(world, by[(rules.MISSED, p["wang_tenant"].pk)])
    assert person_now(p["wang_tenant"]).household is None

    no_id = by[(rules.UNREGISTERED, "孙客人")]
    with pytest.raises(ValidationFailed) as refused:
        apply(world, no_id)
    assert refused.value.errors[0].field == "id_number"
    number = factories.resident_id(date(1985, 11, 2))
    applied = apply(world, no_id, id_number=number)
    added = Person.objects.get(pk=applied.person_id)
    assert (added.name, added.household, added.birth_date, added.ethnicity, added.residence_type) == (
        "孙客人", census.households["wang"], date(1985, 11, 2), "回族", "floating")  # fmt: skip
    assert number not in str(Finding.objects.get(pk=applied.pk).data)

    done = Finding.objects.get(pk=no_id.pk)
    assert (done.state, done.reviewed_by, done.note) == (rules.APPLIED, world.users["street_staff"], "登记为本户成员")
    # Every correction went through people.services: the registry's history names who made it.
    assert person_now(p["zhang_san"]).history.first().history_user == world.users["street_staff"]


def test_a_decided_finding_is_not_decided_again_and_a_stale_version_answers_409(world, census):
    compute(world, census)
    finding = Finding.objects.get(kind=rules.SEPARATED, person=census.persons["zhang_san"])
    with pytest.raises(Conflict):
        apply(world, finding, version=finding.version + 1)
    apply(world, finding)
    finding.refresh_from_db()
    with pytest.raises(DomainError, match="已更正"):
        services.finding_dismiss(user=world.users["street_staff"], survey_id=census.survey.pk, finding_id=finding.pk,
                                 version=finding.version, reason="重复")  # fmt: skip


def test_dismissing_needs_a_reason(world, census):
    compute(world, census)
    finding = Finding.objects.filter(state=rules.PENDING).first()
    with pytest.raises(ValidationFailed) as refused:
        services.finding_dismiss(user=world.users["street_staff"], survey_id=census.survey.pk, finding_id=finding.pk,
                                 version=finding.version, reason=" ")  # fmt: skip
    assert refused.value.errors[0].field == "reason"


def test_only_the_surveys_runners_compute_and_apply(world, census):
    compute(world, census)
    finding = Finding.objects.get(kind=rules.SEPARATED, person=census.persons["zhang_san"])
    # A community worker sees its street's census but does not run it.
    with pytest.raises(PermissionDenied):
        services.findings_compute(user=world.users["community_worker"], survey_id=census.survey.pk)
    with pytest.raises(PermissionDenied):
        apply(world, finding, role="community_worker")
    assert person_now(census.persons["zhang_san"]).residence_type == "registered"


def test_a_survey_without_a_frame_has_nothing_to_check(world):
    t = town(world)
    t.survey.frame.delete()
    with pytest.raises(DomainError, match="调查名录未冻结"):
        services.findings_compute(user=world.users["street_staff"], survey_id=t.survey.pk)


def test_a_unit_survey_has_no_coverage_check(world, census):
    census.survey.kind = "units"
    census.survey.registered_before = date(2026, 1, 1)
    census.survey.save()
    with pytest.raises(DomainError, match="只适用于人口普查"):
        compute(world, census)


def test_a_household_not_yet_enumerated_is_not_missed(world):
    t = town(world)
    returned(t.units["li"], [{"R1": "李四", "R3": "1", "R4": "1975-01", "R6": "1"},
                             {"R1": "刘洋", "R3": "1", "R4": "1995-02", "R6": "1"}])  # fmt: skip
    assert compute(world, t)[rules.MISSED]["total"] == 0


def test_recomputing_what_did_not_change_leaves_the_reviewers_version(world, census):
    compute(world, census)
    before = dict(Finding.objects.values_list("key", "version"))
    compute(world, census)
    assert dict(Finding.objects.values_list("key", "version")) == before


def test_a_household_found_empty_is_compared_without_a_form(world):
    t = town(world)
    t.units["wang"].state = "empty"
    t.units["wang"].save()
    compute(world, t)
    assert listed(t.survey) == {(rules.MISSED, "H102", "王芳"), (rules.DEREGISTER, "H102", "赵租客")}
