"""Reads of honours, always in the user's scope: region staff see the honours of units in their subtree, property
company staff those of the estates their company serves; the public list needs no login."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from linli.accounts.roles import (
    APPLY_FOR_COMMUNITY,
    APPLY_FOR_ESTATE_OF_COMPANY,
    DECIDER,
    HONOURS,
    REVIEWER,
    Role,
    can,
    capabilities,
    effective_role,
    has_role,
)
from linli.accounts.scope import covers, get_or_404, region_path, user_regions, within
from linli.cases import rules as case_rules
from linli.cases.models import Case
from linli.people.models import Estate
from linli.regions.models import Region
from linli.regions.selectors import region_list

from . import rules
from .models import Honour, HonourType

RELATED = ("honour_type", "estate", "community", "region", "revocation_case")


def honour_queryset(*, user) -> QuerySet:
    qs = Honour.objects.all()
    if effective_role(user) is None:
        return qs.none()
    if has_role(user, Role.COMPANY_STAFF):
        if not user.organization_id:
            return qs.none()
        return qs.filter(estate__property_company_id=user.organization_id)
    if has_role(user, Role.DEPT_HANDLER):
        return qs.none()
    return within(qs, region_path(user), "region")


@dataclass
class HonourFilter:
    honour_type: int | None = None
    status: str | None = None
    q: str | None = None  # a unit's name or a plate number


def honour_list(*, user, filters: HonourFilter | None = None) -> QuerySet:
    f = filters or HonourFilter()
    qs = honour_queryset(user=user)
    if f.honour_type:
        qs = qs.filter(honour_type_id=f.honour_type)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(estate__name__contains=term) | Q(community__name__contains=term) | Q(number=term))
    return qs.select_related(*RELATED)


def honour_get(*, user, pk: int) -> Honour:
    return get_or_404(honour_queryset(user=user).select_related(*RELATED, "applicant", "reviewed_by", "decided_by"),
                      pk=pk)  # fmt: skip


def honour_detail(*, user, pk: int) -> Honour:
    """One honour with the `steps` the user may take on it now and whether its plate is `current` today."""
    honour = honour_get(user=user, pk=pk)
    honour.steps = actions_for(user=user, honour=honour)
    honour.current = rules.is_current(honour.status, honour.valid_until, timezone.localdate())
    return honour


def awaiting_count(*, user) -> int | None:
    """How many applications wait for the user's step: 初审 for a street, 认定 for the district; None for those who
    take neither."""
    caps = capabilities(user, HONOURS)
    if REVIEWER in caps:
        waiting = rules.APPLIED
    elif DECIDER in caps:
        waiting = rules.REVIEWED
    else:
        return None
    return honour_queryset(user=user).filter(status=waiting).count()


def honour_types(*, active_only: bool = False) -> QuerySet:
    qs = HonourType.objects.prefetch_related("rules__categories")
    return qs.filter(active=True) if active_only else qs


def caps_for(user, honour: Honour) -> frozenset[str]:
    """What the user may do on this honour: their role's capabilities, if the unit is theirs to act on (a company's
    estates for its staff; the subtree for everyone else)."""
    if has_role(user, Role.COMPANY_STAFF):
        theirs = bool(honour.estate_id) and honour.estate.property_company_id == user.organization_id
    else:
        theirs = covers(user, honour.region)
    return capabilities(user, HONOURS) if theirs else frozenset()


def actions_for(*, user, honour: Honour) -> list[rules.Step]:
    return rules.available(honour.status, caps_for(user, honour))


# ---------------------------------------------------------------- what an applicant may apply for


def estates_to_apply_for(*, user) -> QuerySet:
    """The estates the user may apply for: those its company serves for a company's staff, otherwise those of the
    user's subtree."""
    qs = Estate.objects.select_related("region").order_by("name")
    if can(user, HONOURS, APPLY_FOR_ESTATE_OF_COMPANY):
        return qs.filter(property_company_id=user.organization_id)
    return within(qs, region_path(user), "region")


def communities_to_apply_for(*, user) -> QuerySet:
    """The communities a community worker may apply for (their own); none for anyone else."""
    if not can(user, HONOURS, APPLY_FOR_COMMUNITY):
        return Region.objects.none()
    return user_regions(user, Region.objects.filter(level=Region.Level.COMMUNITY))


# ---------------------------------------------------------------- public


def public_current(*, today: date | None = None) -> QuerySet:
    """Plates on the wall today: granted and within validity."""
    today = today or timezone.localdate()
    return (
        Honour.objects.filter(status=rules.GRANTED, valid_until__gte=today)
        .select_related("honour_type", "estate", "community", "region__parent")
        .order_by("honour_type__sort", "region__path", "id")
    )


def public_revoked() -> QuerySet:
    """Plates taken down (摘牌), the latest first, with the reason."""
    return (
        Honour.objects.filter(status=rules.REVOKED)
        .select_related("honour_type", "estate", "community", "region__parent", "revocation_case")
        .order_by("-revoked_at", "-id")
    )


# ---------------------------------------------------------------- the map

MAP_LIMIT = 1000


def _centre(boundary) -> tuple[float, float] | None:
    """(lat, lng) of a GeoJSON polygon's outer ring, as the mean of its corners: good enough for a marker."""
    try:
        ring = boundary["coordinates"][0]
        return sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring)
    except (TypeError, KeyError, IndexError, ZeroDivisionError):
        return None


def map_points(honours, *, public: bool) -> list[dict]:
    """Markers for honours with a place: an estate's point, or the middle of a community's boundary."""
    points = []
    for h in honours:
        if h.estate_id and h.estate.latitude is not None:
            lat, lng = float(h.estate.latitude), float(h.estate.longitude)
        elif h.community_id and (centre := _centre(h.community.boundary)):
            lat, lng = centre
        else:
            continue
        points.append({
            "lat": lat, "lng": lng, "name": h.unit_name, "type": h.honour_type.name, "status": h.status,
            "number": h.number, "reason": h.revocation_reason,
            "url": "" if public else reverse("honours:detail", args=[h.pk]),
        })  # fmt: skip
    return points


def community_outlines(communities) -> dict:
    """The communities' boundaries under the markers: without a tile server they are the only landmarks."""
    features = [
        {"type": "Feature", "geometry": c.boundary, "properties": {"name": c.name}} for c in communities if c.boundary
    ]
    return {"type": "FeatureCollection", "features": features}


def honour_map(*, user) -> dict:
    """The staff map: the granted and revoked plates in the user's scope (the latest MAP_LIMIT) over the outlines of
    the communities of their subtree."""
    honours = honour_list(user=user).filter(status__in=(rules.GRANTED, rules.REVOKED)).order_by("-id")[:MAP_LIMIT]
    communities = region_list(user=user, level=Region.Level.COMMUNITY)
    return {"points": map_points(honours, public=False), "outlines": community_outlines(communities)}


def public_map(honours) -> dict:
    """The public map of the plates listed (a page of the public list) over every community's outline."""
    communities = Region.objects.filter(level=Region.Level.COMMUNITY).only("name", "boundary")
    return {"points": map_points(honours, public=True), "outlines": community_outlines(communities)}


# ---------------------------------------------------------------- facts for the revocation rules


def unit_cases_q(honour: Honour) -> Q:
    """Cases touching the honoured unit: for an estate, those filed on it or on one of its houses; for a
    community, those placed in it."""
    if honour.estate_id:
        return Q(estate_id=honour.estate_id) | Q(house__unit__building__estate_id=honour.estate_id)
    return Q(community_id=honour.community_id)


def facts_for(honour: Honour) -> list[rules.CaseFact]:
    """The cases the rules look at: received since the grant, or findings whose deadline fell after it."""
    since = honour.granted_at
    qs = (
        Case.objects.filter(unit_cases_q(honour))
        .filter(Q(received_at__gte=since) | Q(kind=case_rules.RECTIFICATION, due_at__gte=since))
        .select_related("category")
        .order_by("received_at", "id")
    )
    return [
        rules.CaseFact(
            case_id=c.pk,
            number=c.number,
            kind=c.kind,
            category_id=c.category_id,
            major_id=c.category.parent_id,
            state=c.state,
            received_at=c.received_at,
            closed_at=c.closed_at,
            due_at=c.due_at,
            feedback_at=c.feedback_at,
            category_name=c.category.name,
        )
        for c in qs
    ]


def rules_of(honour_type: HonourType) -> list[rules.Rule]:
    """The type's rules as pure data (uses the prefetched categories when there)."""
    return [rules.Rule(r.kind, frozenset(c.pk for c in r.categories.all())) for r in honour_type.rules.all()]
