import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and export files of the jobs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
