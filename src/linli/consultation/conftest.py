import pytest

from .tests.town import Town, town_of


@pytest.fixture
def town(world) -> Town:
    return town_of(world)
