"""The residents' pages' fixtures: uploads in a directory of the test's own, a territory drawn on the map."""

import pytest

from linli.cases.models import Category

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[123.0, 41.0], [123.1, 41.0], [123.1, 41.1], [123.0, 41.1], [123.0, 41.0]]],
}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def territory(w):
    """The persona district with one grid drawn on the map, so points inside it resolve to 甲一1号网格."""
    w.grid_a1.boundary = SQUARE
    w.grid_a1.save()
    w.category = Category.objects.get(code="0401")
    return w
