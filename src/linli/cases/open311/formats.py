"""The two GeoReport v2 encodings: JSON, and schemaless XML mapped from it by the Spark convention (a list becomes
repeated child elements named after its container, `true`/`false` for booleans, an empty element for null)."""

import xml.etree.ElementTree as ET
from datetime import datetime

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from linli.core.text import printable

FORMATS = ("json", "xml")
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# Container element → element of each item, as in the specification's examples.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
}


def w3c(value: datetime | None) -> str | None:
    """2026-01-05T09:30:00+08:00: the W3C profile of ISO 8601 with the offset the specification requires."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        # Without the characters XML 1.0 cannot carry even escaped: a stray one stored in a description must not
        # break the whole document.
        element.text = printable(str(value))


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(
            data, safe=False, status=status, content_type=JSON_TYPE, json_dumps_params={"ensure_ascii": False}
        )
    element = ET.Element(root)
    _fill(element, data)
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body.encode(), status=status, content_type=XML_TYPE)


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The specification's error document; the code of each error is the HTTP status."""
    return render(fmt, "errors", [{"code": status, "description": d} for d in descriptions], status)
