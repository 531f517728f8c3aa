"""Reads of the residents' pages: the case a tracking code names, its public timeline, the map's boundaries."""

from django.db.models import Q

from linli.regions.models import Region

from ..models import Attachment, Case, CaseEvent
from .rules import well_formed


def case_by_code(code: str) -> Case | None:
    """The case a (normalised) tracking code names, or None: unknown and malformed codes look the same."""
    if not well_formed(code):
        return None
    related = ("category", "category__parent", "community", "merged_into")
    return Case.objects.select_related(*related).filter(tracking_code=code).first()


def public_timeline(*, case: Case) -> list[CaseEvent]:
    return list(case.events.filter(public=True).order_by("seq"))


def reporter_photos(*, case: Case):
    """The photos a resident sent with their report, the only ones the tracking page shows: staff photos may show
    other people and places, and a case staff registered has no resident's photos."""
    if case.created_by_id is not None:
        return Attachment.objects.none()
    return Attachment.objects.filter(case=case, event__action="receive").order_by("pk")


def territory_geojson() -> dict:
    """Communities and grids with a boundary, as the base layer of the report map: names and shapes only."""
    rows = (
        Region.objects.exclude(boundary=None)
        .filter(Q(level=Region.Level.COMMUNITY) | Q(level=Region.Level.GRID))
        .order_by("path")
        .values("pk", "level", "name", "boundary")
    )
    features = [
        {
            "type": "Feature",
            "geometry": r["boundary"],
            "properties": {
                "id": r["pk"],
                "name": r["name"],
                "kind": "community" if r["level"] == Region.Level.COMMUNITY else "grid",
            },
        }
        for r in rows
    ]
    return {"type": "FeatureCollection", "features": features}
