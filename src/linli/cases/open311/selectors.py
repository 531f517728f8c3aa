"""Reads for Open311 clients, who are not users and have no region: the service catalogue, and the cases that the
public reported themselves. Cases taken in by staff (hotline, window, patrol, inspection) are never listed, so a
caller's or a neighbour's complaint recorded at the front desk does not become public by way of this API."""

from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from .. import rules
from ..models import Case, CaseEvent, Category

PUBLIC_CHANNELS = (Case.Channel.ONLINE, Case.Channel.OPEN311)
OPEN, CLOSED = "open", "closed"


def services() -> QuerySet:
    """The minor categories a request may be filed under: exactly those services.case_create accepts."""
    return (
        Category.objects.filter(active=True, parent__isnull=False)
        .select_related("parent")
        .order_by("parent__sort", "parent__code", "sort", "code")
    )


def service_get(code: str) -> Category | None:
    return services().filter(code=code).first()


def status_of(state: str) -> str:
    return OPEN if state in rules.UNRESOLVED else CLOSED


def public_requests(
    *,
    numbers: list[str] | None = None,
    codes: list[str] | None = None,
    statuses: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet:
    """Publicly reported cases, newest first, each annotated with its latest public timeline entry (the action and
    its note), which is what the reporter's tracking page shows too."""
    latest = CaseEvent.objects.filter(case=OuterRef("pk"), public=True).order_by("-seq")
    qs = Case.objects.filter(channel__in=PUBLIC_CHANNELS)
    if numbers is not None:
        qs = qs.filter(number__in=numbers)
    if codes:
        qs = qs.filter(category__code__in=codes)
    if statuses and set(statuses) != {OPEN, CLOSED}:
        qs = qs.filter(state__in=rules.UNRESOLVED) if OPEN in statuses else qs.exclude(state__in=rules.UNRESOLVED)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    return (
        qs.select_related("category", "lead_department")
        .annotate(
            public_action=Subquery(latest.values("action")[:1]),
            public_note=Subquery(latest.values("note")[:1]),
            public_at=Subquery(latest.values("at")[:1]),
        )
        .order_by("-received_at", "-id")
    )


def requests_since(key, since: datetime) -> int:
    """Requests a client filed from `since` on, for its rate limit."""
    return Case.objects.filter(open311_key=key, received_at__gte=since).count()
