import pytest

from .tests.support import Place, place


@pytest.fixture
def p(world) -> Place:
    return place(world)
