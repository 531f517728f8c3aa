"""Reads of the residents' pages: the case a tracking code names, its public timeline and progress, a signed-in
resident's reports, the map's boundaries."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from shapely import prepared
from shapely.geometry import Point, shape

from linli.accounts import roles, scope
from linli.people.models import Estate
from linli.regions.models import Region

from .. import rules
from ..models import Attachment, Case, CaseEvent
from .rules import STATE_HINTS, expectation, public_entries, rateable, well_formed


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


def progress(*, case: Case) -> dict:
    """What the reporter is shown of a case (the tracking page, 我的反映): its state in plain words, the public
    timeline newest first, when to expect it solved, whether it may be rated now, and the reporter's photos."""
    events = public_timeline(case=case)
    return {
        "case": case,
        "state_label": rules.STATE_LABELS[case.state],
        "state_hint": STATE_HINTS.get(case.state, ""),
        "reject_note": next((e.note for e in reversed(events) if e.action == "reject"), ""),
        "entries": list(reversed(public_entries(events))),
        "rateable": rateable(case.state, case.rating),
        "rating_label": rules.RATING_LABELS.get(case.rating, ""),
        "can_reopen": case.reopen_count < rules.MAX_REOPENS,
        "expected": expectation(
            case.state,
            due_at=case.due_at,
            resume_on=case.resume_on,
            handle_limit=case.category.handle_limit,
            handle_unit=case.category.handle_unit,
        ),
        "photos": list(reporter_photos(case=case)),
    }


def account_phone(user) -> str:
    """The phone of a signed-in resident's portal account, which their reports are filed with ("" for anyone else).
    The account (residents.Resident) is reached through its link to the user: the portal sits above the case engine,
    which imports nothing of it."""
    return user.resident.phone if roles.is_resident(user) else ""


def reported_by(*, account_id: int, phone_hash: str) -> QuerySet:
    """A resident's reports: those filed from their account and every case reported with their phone number, by
    whatever channel (a hotline call as well), newest first. Both columns are indexed, so the OR is two index scans."""
    found = (
        Q(reporter_account_id=account_id) | Q(reporter_phone_hash=phone_hash)
        if phone_hash
        else Q(reporter_account_id=account_id)
    )
    return Case.objects.filter(found).select_related("category", "category__parent").order_by("-received_at", "-id")


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


def report_places() -> list[tuple[str, list[tuple[str, str, float, float]]]]:
    """The places a resident may set the report's location by without the map: per community (its name), the
    community itself when it has a boundary and its estates (小区) whose point (or outline) lies inside the territory
    the map shows, each as (value, label, latitude, longitude). A community's point is one surely inside its
    boundary; cases.places finds the grid or community from it as from a point set on the map. Estates without a
    place on the map are left out (the address search says so of them too)."""
    regions = list(
        Region.objects.filter(level__in=(Region.Level.COMMUNITY, Region.Level.GRID))
        .order_by("path")
        .values("pk", "level", "name", "path", "boundary")
    )
    territory = [prepared.prep(shape(r["boundary"])) for r in regions if r["boundary"]]
    communities = [r for r in regions if r["level"] == Region.Level.COMMUNITY]
    estates = Estate.objects.order_by("name").values("pk", "name", "latitude", "longitude", "outline", "region__path")
    community_at = {c["path"]: c for c in communities}
    by_community: dict[int, list] = {c["pk"]: [] for c in communities}
    for e in estates:
        if e["latitude"] is not None and e["longitude"] is not None:
            point = Point(float(e["longitude"]), float(e["latitude"]))
        elif e["outline"]:
            point = shape(e["outline"]).representative_point()
        else:
            continue
        home = next((community_at[p] for p in scope.enclosing_paths(e["region__path"]) if p in community_at), None)
        if home and any(t.covers(point) for t in territory):
            by_community[home["pk"]].append((f"e{e['pk']}", e["name"], point.y, point.x))
    groups = []
    for c in communities:
        items = by_community[c["pk"]]
        if c["boundary"]:
            inside = shape(c["boundary"]).representative_point()
            label = _("%(c)s（社区内其他地点）") % {"c": c["name"]} if items else c["name"]
            items = [*items, (f"c{c['pk']}", label, inside.y, inside.x)]
        if items:
            groups.append((c["name"], items))
    return groups
