import pytest

from linli.core import factories


@pytest.fixture
def world(db):
    """The persona district of linli.core.factories."""
    return factories.world()
