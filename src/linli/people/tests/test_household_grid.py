"""A household's grid is its house's (models.Household.grid): kept through every change of house or grid."""

from linli.people import services
from linli.people.models import Estate, Household
from linli.testing import factories


def test_a_households_grid_follows_its_house_when_created_moved_and_regridded(world):
    admin = world.users["admin"]
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    first = factories.house(world.grid_a1, estate, number="101")
    second = factories.house(world.grid_a1b, estate, number="102")

    household = services.household_create(user=admin, data={"number": "H1", "house_id": first.pk})
    assert Household.objects.get(pk=household.pk).grid_id == world.grid_a1.pk
    member = factories.person(world.grid_a1, household)

    services.household_update(user=admin, pk=household.pk, version=1, data={"house_id": second.pk})
    household.refresh_from_db()
    member.refresh_from_db()
    assert household.grid_id == member.grid_id == world.grid_a1b.pk

    services.house_update(user=admin, pk=second.pk, version=second.version, data={"grid_id": world.grid_a1.pk})
    household.refresh_from_db()
    member.refresh_from_db()
    assert household.grid_id == member.grid_id == world.grid_a1.pk
    assert [h.grid_id for h in household.history.order_by("history_id")] == [
        world.grid_a1.pk,
        world.grid_a1b.pk,
    ]  # the house's change of grid is a queryset update, as for its residents: no history row


def test_a_household_saved_with_its_house_alone_takes_the_houses_grid(world):
    estate = Estate.objects.create(region=world.community_b1, name="乙小区")
    house = factories.house(world.grid_b1, estate, number="201")
    household = Household.objects.create(number="H2", house=house)
    assert Household.objects.get(pk=household.pk).grid_id == world.grid_b1.pk
    household.house = factories.house(world.grid_a1, estate, number="202")
    household.save()
    assert Household.objects.get(pk=household.pk).grid_id == world.grid_a1.pk


def test_the_bulk_insert_writes_the_grid_it_is_given(world):
    estate = Estate.objects.create(region=world.community_a2, name="阳光苑")
    house = factories.house(world.grid_a2, estate, number="301")
    rows = [{"number": "H3", "kind": "family", "house_id": house.pk, "grid_id": house.grid_id}]
    (household,) = services.households_insert_batch(user=None, rows=rows)
    assert Household.objects.get(pk=household.pk).grid_id == world.grid_a2.pk
    assert household.history.get().grid_id == world.grid_a2.pk
