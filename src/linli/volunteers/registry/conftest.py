import pytest

from .tests.place import Place, place_of


@pytest.fixture
def place(world) -> Place:
    return place_of(world)
