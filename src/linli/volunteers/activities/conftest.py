import pytest

from .tests.crew import Crew, crew_of


@pytest.fixture
def crew(world) -> Crew:
    return crew_of(world)
