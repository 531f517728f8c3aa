"""{% map_config %}: what map.js needs on a page (the tile service, the base map and search endpoints)."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script

register = template.Library()


@register.simple_tag
def map_config():
    tiles = settings.MAP_TILES
    config = {
        "tiles": {k: v for k, v in tiles.items() if k != "hosts"} if tiles else None,
        "base": reverse("api-v1:maps_base"),
        "search": reverse("api-v1:maps_search"),
        # Leaflet finds its marker images by a path read from its CSS, which the hashed file names break.
        "icons": {
            "iconUrl": static("linli/vendor/leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("linli/vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("linli/vendor/leaflet/images/marker-shadow.png"),
        },
    }
    return json_script(config, "map-config")
