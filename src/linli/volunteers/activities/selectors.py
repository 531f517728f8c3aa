"""Reads of volunteer activities: the lists an office or an organiser sees (scope from volunteers.selectors), an
activity's sign-ups and waiting list, the portal's lists (near the resident, by date), a volunteer's own sign-ups
with their waiting position. Each a fixed number of queries whatever the size."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.regions import rules as region_rules

from .. import rules
from .. import selectors as scoped
from ..models import Activity, Credit, SignUp, Team


def check_viewer(user) -> None:
    """The staff API and pages: offices with VIEW_VOLUNTEERS only (residents organise in the portal)."""
    if not roles.can(user, roles.VOLUNTEERS, roles.VIEW_VOLUNTEERS):
        raise PermissionDenied(_("您没有查看志愿服务活动的权限"))


def users_of(user_ids) -> list:
    """The portal accounts (active users) of these ids, None and repeats left out."""
    ids = {pk for pk in user_ids if pk}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True)) if ids else []


def activity_list(user, *, state: str | None = None) -> QuerySet:
    qs = scoped.activity_queryset(user).select_related("region", "team")
    if state in rules.ACTIVITY_STATES:
        qs = qs.filter(state=state)
    return qs.annotate(waiting=_waiting_count()).order_by("-starts_at", "-id")


def _waiting_count():
    waiting = SignUp.objects.filter(activity=OuterRef("pk"), state=rules.WAITING).order_by()
    counted = waiting.values("activity").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def roster(activity: Activity) -> dict:
    """The activity's confirmed sign-ups and its waiting list (sign-up order), with each volunteer's person and any
    credit: two queries."""
    rows = list(
        activity.signups.exclude(state=rules.WITHDRAWN).select_related("volunteer__person", "credit").order_by("id")
    )
    return {
        "confirmed": [s for s in rows if s.state == rules.CONFIRMED],
        "waiting": [s for s in rows if s.state == rules.WAITING],
        "checked_in": sum(1 for s in rows if s.checked_in_at),
    }


def credits(activity: Activity) -> QuerySet:
    return Credit.objects.filter(activity=activity).select_related("volunteer__person").order_by("id")


def organiser_teams(user) -> QuerySet:
    """The teams a user may organise for: an office's within its scope, a resident's the ones they lead."""
    own = scoped.own_volunteer(user)
    if own is not None and not scoped.team_queryset(user).exists():
        return Team.objects.filter(leader=own, active=True).select_related("region")
    return scoped.team_queryset(user).filter(active=True).select_related("region")


def organiser_regions(user) -> QuerySet:
    return scope.office_regions(user).filter(level__lt=region_rules.GRID).order_by("path")


# ---- portal


def portal_list(*, near_path: str | None = None, day: date | None = None, now: datetime | None = None) -> QuerySet:
    """The published activities still to come, soonest first: near the resident (those of the street the resident
    lives in, and of the district above), or on one day."""
    now = now or timezone.now()
    qs = (
        scoped.portal_activities()
        .filter(state=rules.OPEN, ends_at__gte=now)
        .select_related("region", "team")
        .annotate(free=F("max_people") - F("taken"))
    )
    if near_path:
        qs = qs.filter(scope.subtree_or_above_q(near_path, "region"))
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
    return qs.order_by("starts_at", "id")


def near_path(resident) -> str | None:
    """The path of the street the resident lives in (their person's grid's street), None when not known."""
    person = getattr(resident, "person", None)
    grid = getattr(person, "grid", None) if person is not None else None
    if grid is None:
        return None
    street = scope.ancestors_or_self(grid.path).filter(level=region_rules.STREET).values_list("path", flat=True)
    return street.first() or grid.path


def portal_get(pk: int) -> Activity:
    return scope.get_or_404(scoped.portal_activities().select_related("region", "team"), pk=pk)


def _position():
    ahead = SignUp.objects.filter(activity=OuterRef("activity"), state=rules.WAITING, id__lt=OuterRef("id")).order_by()
    counted = ahead.values("activity").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)) + 1


def my_signups(volunteer) -> QuerySet:
    """A volunteer's sign-ups, newest activity first, each with its waiting position (1 = next to get a place)."""
    if volunteer is None:
        return SignUp.objects.none()
    return (
        SignUp.objects.filter(volunteer=volunteer)
        .select_related("activity", "credit")
        .annotate(position=_position())
        .order_by("-activity__starts_at", "-id")
    )


def my_live_signup(volunteer, activity: Activity) -> SignUp | None:
    if volunteer is None:
        return None
    return (
        SignUp.objects.filter(volunteer=volunteer, activity=activity)
        .exclude(state=rules.WITHDRAWN)
        .annotate(position=_position())
        .first()
    )


def organised_by(user) -> QuerySet:
    """The activities the user is the named organiser of (a resident team leader's "我组织的活动")."""
    return Activity.objects.filter(organiser=user).select_related("team").order_by("-starts_at", "-id")


def counts(qs: QuerySet) -> dict:
    return qs.aggregate(open=Count("id", filter=Q(state=rules.OPEN)), all=Count("id"))
