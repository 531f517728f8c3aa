"""Volunteers registered and certificates issued at the same moment get distinct numbers, in order (threads, each
on its own connection; SQLite on a file, PostgreSQL as it is)."""

import pytest

from linli.testing import factories
from linli.testing.threads import in_thread, shared_database, simultaneously
from linli.volunteers.hours import services as hours
from linli.volunteers.models import Certificate, Volunteer
from linli.volunteers.registry import services

from .place import credit

COUNT = 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_volunteers_registered_at_once_get_distinct_numbers_in_order(world, tmp_path):
    persons = [factories.person(world.grid_a1, name=f"同时{i}", phone=f"1360000{i:04d}") for i in range(COUNT)]
    worker = world.users["community_worker"]

    def register(i):
        return services.volunteer_register(user=worker, person_id=persons[i].pk, skills=[], availability=[],
                                           paper_consent=True).number  # fmt: skip

    with shared_database(tmp_path):
        numbers = simultaneously(register, COUNT)
        stored = in_thread(lambda: sorted(Volunteer.objects.values_list("number", flat=True)))
    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(numbers) == stored and [int(n[-5:]) for n in stored] == list(range(1, COUNT + 1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_certificates_issued_at_once_get_distinct_serials(world, tmp_path):
    worker = world.users["community_worker"]
    person = factories.person(world.grid_a1, name="张志愿", phone="13600009999")
    volunteer = services.volunteer_register(user=worker, person_id=person.pk, skills=[], availability=[],
                                            paper_consent=True)  # fmt: skip
    credit(volunteer, "10")
    with shared_database(tmp_path):
        serials = simultaneously(lambda i: hours.certificate_issue(user=worker, volunteer_id=volunteer.pk).serial,
                                 COUNT)  # fmt: skip
        stored = in_thread(lambda: sorted(Certificate.objects.values_list("serial", flat=True)))
    assert all(isinstance(s, str) for s in serials), serials
    assert sorted(serials) == stored and [int(s[-6:]) for s in stored] == list(range(1, COUNT + 1))
