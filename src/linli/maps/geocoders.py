"""Geocoders: an address typed by a user → places with a point. The class in settings.LINLI_GEOCODER answers;
the registry's own search is the default, so the demo and offline installations need no outside service."""

from dataclasses import replace
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from . import rules, selectors
from .rules import Place


class Geocoder:
    """A geocoder answers in its own coordinate system (`system`); `search` hands back WGS-84 points."""

    system = rules.WGS84

    def find(self, text: str, *, user, limit: int) -> list[Place]:
        raise NotImplementedError

    def search(self, text: str, *, user, limit: int = 10) -> list[Place]:
        places = self.find(text, user=user, limit=limit)
        if rules.same_datum(self.system, rules.WGS84):
            return places
        converted = []
        for p in places:
            if p.lon is None or p.lat is None:
                converted.append(p)
                continue
            lon, lat = rules.convert(p.lon, p.lat, self.system, rules.WGS84)
            converted.append(replace(p, lon=lon, lat=lat))
        return converted


class RegistryGeocoder(Geocoder):
    """Estates, buildings and (for staff with the registry in scope) houses of the registry."""

    def find(self, text: str, *, user, limit: int) -> list[Place]:
        return selectors.registry_places(text, user=user, limit=limit)


@cache
def _configured(path: str) -> Geocoder:
    return import_string(path)()


def geocoder() -> Geocoder:
    return _configured(settings.LINLI_GEOCODER)
