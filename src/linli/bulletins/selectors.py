"""Reads of bulletins and scoring schemes. Bulletins are read where indicators are (roles.VIEW_INDICATORS): in the
reader's subtree and above it, since a 通报 is sent down to the units it ranks."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from linli.accounts import roles, scope
from linli.cases import access
from linli.regions import rules as region_rules
from linli.regions.selectors import region_list

from . import rules
from .models import Bulletin, ScoringScheme


def check_reader(user) -> None:
    """Bulletins and schemes are read by those who read indicators."""
    access.check_indicator_viewer(user)


def may_read(user) -> bool:
    return roles.can(user, roles.CASES, roles.VIEW_INDICATORS)


def bulletin_list(*, user) -> QuerySet:
    check_reader(user)
    path = scope.region_path(user)
    if path is None:
        return Bulletin.objects.none()
    return Bulletin.objects.filter(scope.subtree_or_above_q(path, "region")).select_related("region")


def bulletin_get(*, user, pk: int) -> Bulletin:
    return scope.get_or_404(bulletin_list(user=user), pk=pk)


def unit_staff(bulletin: Bulletin) -> dict[int, list]:
    """Who is told of a bulletin, by the unit ranked: the staff of each department, or those attached to each
    street's or community's office itself (not its grids)."""
    unit_ids = list(bulletin.entries.exclude(unit_id=None).values_list("unit_id", flat=True))
    by_org = bulletin.group == "department"
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    if by_org:
        users = users.filter(organization_id__in=unit_ids)
    else:
        users = users.filter(organization=None, region_id__in=unit_ids)
    staff: dict[int, list] = {}
    for user in users:
        staff.setdefault(user.organization_id if by_org else user.region_id, []).append(user)
    return staff


def entries(bulletin: Bulletin) -> list:
    return list(bulletin.entries.all())


def scheme_row(region) -> ScoringScheme | None:
    """The scheme applying to `region`: its own or its nearest ancestor's; None where the default applies."""
    return (
        ScoringScheme.objects.filter(region__in=scope.ancestors_or_self(region.path))
        .select_related("region")
        .order_by("-region__level")
        .first()
    )


def as_scheme(row: ScoringScheme | None) -> rules.Scheme:
    if row is None:
        return rules.DEFAULT_SCHEME
    return rules.Scheme(
        weights={k: Decimal(str(v)) for k, v in row.weights.items()},
        deductions={k: Decimal(str(v)) for k, v in row.deductions.items()},
        floor=row.floor,
        caps={k: Decimal(str(v)) for k, v in row.caps.items()},
    )


def scheme_json(scheme: rules.Scheme) -> dict:
    """A scheme as stored with a bulletin and answered by the API (numbers as text, exactly)."""
    return {
        "weights": {k: str(v) for k, v in scheme.weights.items()},
        "deductions": {k: str(v) for k, v in scheme.deductions.items()},
        "floor": str(scheme.floor),
        "caps": {k: str(v) for k, v in scheme.caps.items()},
    }


# Bulletins and schemes belong to the offices that assess units below them: streets and the levels above.
ISSUING_LEVELS = (region_rules.PROVINCE, region_rules.CITY, region_rules.DISTRICT, region_rules.STREET)


def issuing_regions(*, user) -> QuerySet:
    """The regions a user may issue a bulletin for or set a scheme of: the offices in their scope."""
    return region_list(user=user).filter(level__in=ISSUING_LEVELS)
