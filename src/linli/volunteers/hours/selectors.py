"""Reads of hours, stars, leaderboards and certificates, through the app's scope (volunteers.selectors)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.core.pii import mask_name
from linli.regions.rules import DISTRICT

from .. import rules as vocabulary
from .. import selectors
from ..models import Certificate, Correction, Credit, StarScheme, Volunteer
from . import rules


def scheme_for(region) -> StarScheme | None:
    """The 星级标准 of the district holding `region` (None: the default applies)."""
    return (
        StarScheme.objects.filter(region__path__in=scope.enclosing_paths(region.path)).select_related("region").first()
    )


def thresholds_at(path: str) -> tuple[int, ...]:
    """The star thresholds that apply at `path`: the StarScheme of the district enclosing it (for the whole tree,
    the one scheme if only one district set one), else the default. One query."""
    schemes = (
        StarScheme.objects.all()
        if path == ""
        else StarScheme.objects.filter(region__path__in=scope.enclosing_paths(path))
    )
    found = list(schemes.values_list("thresholds", flat=True)[:2])
    if len(found) == 1 and found[0]:
        return tuple(int(Decimal(str(v))) for v in found[0])
    return vocabulary.DEFAULT_STARS


def thresholds_for(region) -> tuple[int, ...]:
    return thresholds_at(region.path)


def district_of(region):
    if region.level == DISTRICT:
        return region
    return scope.ancestors_or_self(region.path).filter(level=DISTRICT).first()


def districts_seen(user) -> QuerySet:
    """The districts the user's scope lies in or holds: whose 星级标准 the user reads."""
    path = scope.region_path(user)
    if path is None:
        return scope.subtree(None)
    below = scope.subtree(path).filter(level=DISTRICT)
    return below if path == "" else below | scope.ancestors_or_self(path).filter(level=DISTRICT)


def star_districts(user) -> QuerySet:
    """The districts whose 星级标准 the user may set (SET_STAR_LEVELS over the district's office)."""
    if not roles.can(user, roles.VOLUNTEERS, roles.SET_STAR_LEVELS):
        return scope.office_regions(user).none()
    return scope.office_regions(user).filter(level=DISTRICT)


@dataclass(frozen=True)
class Card:
    """志愿者证 as the volunteer (and the staff) read it."""

    volunteer: Volunteer
    hours: Decimal
    stars: int
    to_next: Decimal | None
    thresholds: tuple[int, ...]

    @property
    def star_marks(self) -> str:
        return "★" * self.stars + "☆" * (rules.STARS - self.stars)


def card(volunteer: Volunteer) -> Card:
    thresholds = thresholds_for(volunteer.region)
    return Card(
        volunteer, volunteer.hours, rules.stars(volunteer.hours, thresholds),
        rules.to_next(volunteer.hours, thresholds), thresholds,
    )  # fmt: skip


def history(volunteer: Volunteer) -> QuerySet:
    """The volunteer's confirmed hours, the latest first, with the activity and who confirmed them."""
    return (
        Credit.objects.filter(volunteer=volunteer)
        .select_related("activity", "activity__region", "confirmed_by")
        .order_by("-confirmed_at", "-id")
    )


def corrections(volunteer: Volunteer) -> QuerySet:
    return Correction.objects.filter(credit__volunteer=volunteer).select_related("credit__activity", "by")


def _start(period: str, today: date) -> datetime | None:
    first = rules.period_start(period, today)
    return None if first is None else timezone.make_aware(datetime.combine(first, time.min))


@dataclass(frozen=True)
class Row:
    rank: int
    volunteer_id: int
    number: str
    name: str
    community: str
    hours: Decimal


def leaderboard(*, user, period: str, region_id: int | None = None, today: date | None = None) -> list[Row]:
    """The volunteers of the scope (optionally one region of it) with the most hours in the period, from the
    confirmation time of their hours; all time reads the cumulative hours. Two queries whatever the size."""
    qs = selectors.volunteer_queryset(user)
    if region_id is not None:
        region = scope.get_or_404(scope.user_regions(user), pk=region_id)
        qs = scope.within(qs, region.path, "region")
    start = _start(period, today or timezone.localdate())
    if start is None:
        qs = qs.filter(hours__gt=0).annotate(total=F("hours"))
    else:
        qs = qs.filter(credits__confirmed_at__gte=start).annotate(total=Sum("credits__hours")).filter(total__gt=0)
    top = list(
        qs.order_by("-total", "id").values("pk", "number", "person__name", "region__name", "total")[: rules.BOARD_SIZE]
    )
    ranks = rules.ranks([r["total"] for r in top])
    return [
        Row(rank, r["pk"], r["number"], r["person__name"], r["region__name"], r["total"])
        for rank, r in zip(ranks, top, strict=True)
    ]


def certificate_queryset(user) -> QuerySet:
    """Certificates of the volunteers the user sees."""
    return Certificate.objects.filter(volunteer__in=selectors.volunteer_queryset(user)).select_related(
        "volunteer__person", "volunteer__region", "issued_by", "revoked_by"
    )


def certificate_get(*, user, pk: int) -> Certificate:
    if not roles.can(user, roles.VOLUNTEERS, roles.VIEW_VOLUNTEERS):
        raise PermissionDenied(_("您没有查看志愿者的权限"))
    return scope.get_or_404(certificate_queryset(user), pk=pk)


def certificates_of(volunteer: Volunteer) -> QuerySet:
    return Certificate.objects.filter(volunteer=volunteer).select_related("issued_by")


def own_certificate(*, volunteer: Volunteer, pk: int) -> Certificate:
    return scope.get_or_404(certificates_of(volunteer).select_related("volunteer__person", "volunteer__region"), pk=pk)


@dataclass(frozen=True)
class Verification:
    verdict: str
    certificate: Certificate | None

    @property
    def label(self) -> str:
        return rules.VERDICTS[self.verdict]

    @property
    def masked_name(self) -> str:
        return mask_name(self.certificate.volunteer.person.name) if self.certificate else ""


def verify(code: str) -> Verification:
    """What anyone checking a certificate's code learns: valid, revoked or unknown (a malformed code is unknown)."""
    normalized = rules.normalize_code(code)
    cert = None
    if normalized:
        cert = Certificate.objects.select_related("volunteer__person", "volunteer__region").filter(code=normalized)
        cert = cert.first()
    return Verification(rules.verdict(cert is not None, cert is not None and cert.revoked_at is not None), cert)


def hours_rows(*, user, since: date | None = None, until: date | None = None, region_id: int | None = None):
    """The confirmed hours of the scope's volunteers, one row per activity and volunteer, for the export."""
    qs = Credit.objects.filter(volunteer__in=selectors.volunteer_queryset(user))
    if region_id is not None:
        region = scope.get_or_404(scope.user_regions(user), pk=region_id)
        qs = scope.within(qs, region.path, "volunteer__region")
    if since:
        qs = qs.filter(confirmed_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        qs = qs.filter(confirmed_at__lt=timezone.make_aware(datetime.combine(until, time.max)))
    return qs.select_related("volunteer__person", "volunteer__region", "activity__region").order_by(
        "volunteer__number", "confirmed_at", "id"
    )
