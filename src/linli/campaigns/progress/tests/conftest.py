import pytest
from django.utils import timezone

from .support import NOW, campaign, seed_reports


@pytest.fixture
def c(world, monkeypatch, settings, tmp_path):
    """The campaign of support.py with its reports, at NOW, files stored in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    camp = campaign(world)
    seed_reports(world, camp)
    return camp
