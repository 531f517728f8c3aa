from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "linli.maps"
    verbose_name = _("地图与地址")

    def ready(self):
        checks.register(geocoder_setting)


def geocoder_setting(app_configs=None, **kwargs) -> list[checks.Error]:
    """LINLI_GEOCODER names a Geocoder: refused at start rather than by the first address search."""
    from .geocoders import Geocoder, geocoder  # it reads models: not importable before the apps are ready

    try:
        ok = isinstance(geocoder(), Geocoder)
    except (ImportError, TypeError):
        ok = False
    if ok:
        return []
    return [checks.Error(f"LINLI_GEOCODER={settings.LINLI_GEOCODER!r} is not a linli.maps Geocoder", id="maps.E001")]
