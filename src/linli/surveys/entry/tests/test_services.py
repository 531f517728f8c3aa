from datetime import timedelta
from uuid import uuid4

import pytest
from django.http import Http404
from django.utils import timezone

from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.surveys import rules
from linli.surveys.entry import services
from linli.surveys.models import FrameUnit, Response
from linli.testing.threads import in_thread, shared_database, simultaneously

from .census import census, short_answers, submission


@pytest.fixture
def c(world):
    return census(world)


def test_an_enumerator_records_a_visit_and_a_stale_version_is_refused(world, c):
    grid = world.users["grid_worker"]
    unit = services.unit_state_set(user=grid, unit_id=c.unit.pk, state=rules.REFUSED, note="户主外出务工，家人不愿登记",
                                   version=1)  # fmt: skip
    assert (unit.state, unit.visited_by, unit.version) == (rules.REFUSED, grid, 2)
    with pytest.raises(Conflict):
        services.unit_state_set(user=grid, unit_id=c.unit.pk, state=rules.VISITED, note="", version=1)
    with pytest.raises(ValidationFailed) as refused:
        services.unit_state_set(user=grid, unit_id=c.unit.pk, state=rules.EMPTY, note="", version=2)
    assert [e.field for e in refused.value.errors] == ["note"]
    unit = services.unit_state_set(user=grid, unit_id=c.unit.pk, state=rules.NOT_VISITED, note="", version=2)
    assert (unit.state, unit.visited_by, unit.visited_at) == (rules.NOT_VISITED, None, None)


def test_only_the_areas_enumerators_enter_it(world, c):
    def state(persona, unit):
        return services.unit_state_set(user=world.users[persona], unit_id=unit.pk, state=rules.VISITED, note="",
                                       version=1)  # fmt: skip

    with pytest.raises(PermissionDenied):
        state("street_staff", c.unit)  # sees the area, is not its enumerator
    with pytest.raises(PermissionDenied):
        state("community_worker", c.unit)
    with pytest.raises(Http404):
        state("grid_worker", c.far)  # another community's area
    with pytest.raises(Http404):
        state("community_worker2", c.unit)
    with pytest.raises(PermissionDenied):
        services.response_submit(user=world.users["street_staff"], unit_id=c.unit.pk, **submission())
    assert state("community_worker2", c.far).state == rules.VISITED


def test_nothing_is_entered_before_the_survey_runs(world):
    c = census(world, state=rules.DRAFT)
    with pytest.raises(DomainError, match="不在进行中"):
        services.response_submit(user=world.users["grid_worker"], unit_id=c.unit.pk, **submission())


def test_a_form_completes_the_household_and_the_same_key_again_answers_the_stored_one(world, c):
    grid = world.users["grid_worker"]
    sent = submission()
    response, created = services.response_submit(user=grid, unit_id=c.unit.pk, **sent)
    assert created and response.entered_by == grid and response.read_back
    unit = FrameUnit.objects.get(pk=c.unit.pk)
    assert (unit.state, unit.visited_by, unit.version) == (rules.DONE, grid, 2)
    again, created = services.response_submit(user=grid, unit_id=c.unit.pk, **sent)
    assert (again.pk, created) == (response.pk, False)
    assert Response.objects.filter(unit=c.unit).count() == 1
    with pytest.raises(Conflict, match="不能重复提交"):
        services.response_submit(user=grid, unit_id=c.unit.pk, **submission())
    with pytest.raises(Conflict, match="提交编号已用于另一份"):
        services.response_submit(user=grid, unit_id=c.unit2.pk, **sent)
    with pytest.raises(ValidationFailed):
        services.unit_state_set(user=grid, unit_id=c.unit.pk, state=rules.VISITED, note="", version=2)


def test_a_resent_form_is_answered_even_after_entry_closed(world, c):
    grid = world.users["grid_worker"]
    sent = submission()
    response, _ = services.response_submit(user=grid, unit_id=c.unit.pk, **sent)
    c.survey.state = rules.FINISHED
    c.survey.save()
    assert services.response_submit(user=grid, unit_id=c.unit.pk, **sent) == (response, False)


def test_a_death_in_the_household_asks_for_the_death_form(world, c):
    grid = world.users["grid_worker"]
    death = submission(role=rules.DEATH, answers={"D1": "王大山", "D2": "1"})
    with pytest.raises(DomainError, match="请先提交本户的普查表短表"):
        services.response_submit(user=grid, unit_id=c.unit.pk, **death)
    services.response_submit(user=grid, unit_id=c.unit.pk, **submission(answers=short_answers(deaths=1)))
    assert FrameUnit.objects.get(pk=c.unit.pk).state == rules.VISITED
    services.response_submit(user=grid, unit_id=c.unit.pk, **death)
    assert FrameUnit.objects.get(pk=c.unit.pk).state == rules.DONE
    services.response_submit(user=grid, unit_id=c.unit2.pk, **submission())
    with pytest.raises(DomainError, match="本户死亡人数"):
        services.response_submit(user=grid, unit_id=c.unit2.pk, **submission(role=rules.DEATH, answers={}))


def test_a_census_form_is_read_back_and_its_answers_checked_by_the_forms_rules(world, c):
    grid = world.users["grid_worker"]
    bad = short_answers()
    del bad["P"][0]["R3"]
    later = timezone.now() + timedelta(hours=1)
    with pytest.raises(ValidationFailed) as refused:
        services.response_submit(user=grid, unit_id=c.unit.pk,
                                 **submission(answers=bad, read_back=False, filled_at=later))  # fmt: skip
    errors = {e.field: e.message for e in refused.value.errors}
    assert set(errors) == {"read_back", "filled_at", "P.1.R3"}
    assert errors["P.1.R3"].startswith("第1行 性别：")
    with pytest.raises(DomainError, match="本户应填普查表短表"):
        services.response_submit(user=grid, unit_id=c.unit.pk, **submission(role=rules.LONG))
    assert not Response.objects.exists()
    assert FrameUnit.objects.get(pk=c.unit.pk).state == rules.NOT_VISITED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_twice_at_once_is_stored_once(tmp_path):
    from linli.testing import factories

    world = factories.world()
    c = census(world)
    grid = world.users["grid_worker"]
    sent = submission(idempotency_key=uuid4())

    def device(_):
        return services.response_submit(user=grid, unit_id=c.unit.pk, **sent)

    with shared_database(tmp_path):
        outcomes = simultaneously(device, 2)
        assert sorted(created for _, created in outcomes) == [False, True]
        assert len({response.pk for response, _ in outcomes}) == 1
        assert in_thread(lambda: Response.objects.filter(unit_id=c.unit.pk).count()) == 1
