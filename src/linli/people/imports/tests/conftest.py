import pytest

from linli.people.models import Estate, Household
from linli.testing import factories


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and export files of the jobs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def estates(world):
    happy = Estate.objects.create(region=world.community_a1, name="幸福里")
    sunny = Estate.objects.create(region=world.community_a2, name="阳光苑")
    return {
        "502": factories.house(world.grid_a1, happy, building="3", unit="1", number="502"),
        "501": factories.house(world.grid_a1b, happy, building="3", unit="1", number="501"),
        "sunny": factories.house(world.grid_a2, sunny, building="1", unit="2", number="101"),
    }


@pytest.fixture
def worker(world):
    return world.users["community_worker"]


@pytest.fixture
def registered(world, estates):
    household = Household.objects.create(number="H100", house=estates["502"])
    person = factories.person(
        world.grid_a1, household=household, name="老住户", phone="13800000000", employer="市一医院"
    )
    Household.objects.filter(pk=household.pk).update(head=person)
    return person
