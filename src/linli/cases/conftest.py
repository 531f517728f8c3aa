import pytest

from linli.testing import factories


@pytest.fixture
def w(world):
    """The persona district with the standard case catalogue installed."""
    factories.install_case_catalogue(world)
    return world
