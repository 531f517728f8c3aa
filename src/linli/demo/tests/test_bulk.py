"""The bulk path (COPY on PostgreSQL, executemany on SQLite) writes the rows the import's path writes, history
included, and nothing the registry's validation refuses."""

import pytest

from linli.core.errors import ValidationFailed
from linli.demo import build, cases, housing, population
from linli.demo.identity import IdAllocator
from linli.people.models import Household, Person, PersonTag
from linli.regions.models import Region

from .test_build import SMALL


def _history() -> list[tuple]:
    """The history rows of the registry by what they say, not by ids or times."""
    id_number = {p.pk: p.id_number for p in Person.objects.only("id_number")}
    code = dict(Region.objects.values_list("pk", "code"))
    rows = [
        ("P", h.history_type, h.id_number, h.name, h.phone, h.birth_date, h.relationship, h.version)
        for h in Person.history.all()
    ]
    rows += [
        ("F", h.history_type, h.number, h.kind, h.note, code[h.grid_id], id_number.get(h.head_id), h.version)
        for h in Household.history.all()
    ]
    rows += [("T", h.history_type, id_number[h.person_id], h.tag_id, h.grade) for h in PersonTag.history.all()]
    return sorted(rows, key=repr)


def test_the_bulk_path_writes_what_the_import_path_writes(db, monkeypatch):
    # Chunks of 100 cases: the year is played in several worker processes, as a large district's is.
    monkeypatch.setattr(cases, "CHUNK", 100)
    build.build(seed=7, scale=SMALL, parallel=True, campaigns_too=False, bulk_load=True)
    bulk, bulk_history = build.fingerprint(), _history()
    build.reset()
    build.build(seed=7, scale=SMALL, parallel=False, campaigns_too=False, bulk_load=False)
    assert build.fingerprint() == bulk
    assert _history() == bulk_history
    kinds = {h[1] for h in bulk_history if h[0] == "F"}
    assert kinds == {"+", "~"}  # created without a head, then the head set, as an import does


def test_a_person_the_registry_refuses_stops_the_build_and_leaves_nothing(db, monkeypatch):
    resident = IdAllocator.resident

    def wrong_check_digit(self, prefix, birth, male):
        number = resident(self, prefix, birth, male)
        return number[:-1] + ("1" if number[-1] == "0" else "0")

    monkeypatch.setattr(IdAllocator, "resident", wrong_check_digit)
    with pytest.raises(ValueError, match="fails validation.*id_number"):
        build.build(seed=7, scale=SMALL, parallel=False, campaigns_too=False)
    assert not Region.objects.exists() and not Person.objects.exists()


def test_a_house_or_household_the_registry_refuses_stops_the_build(db, monkeypatch):
    area = housing._area

    def exclusive_too_large(rng, style):
        building, _ = area(rng, style)
        return building, building + 1

    monkeypatch.setattr(housing, "_area", exclusive_too_large)
    with pytest.raises(ValueError, match="fails validation.*exclusive_area"):
        build.build(seed=7, scale=SMALL, parallel=False, campaigns_too=False)
    monkeypatch.setattr(housing, "_area", area)
    populate = population.populate_community

    def one_without_number(ctx, **kwargs):
        result = populate(ctx, **kwargs)
        result.households[-1].number = ""
        return result

    monkeypatch.setattr(population, "populate_community", one_without_number)
    with pytest.raises(ValidationFailed) as refused:
        build.build(seed=7, scale=SMALL, parallel=False, campaigns_too=False)
    assert [e.message for e in refused.value.errors] == ["户号不能为空"]
    assert not Person.objects.exists()
