"""Reads of owners' votes: the staff's votes in their scope (roles.VOTES), a vote's progress and result from its
stored ballots; a resident's votes (those whose frozen electorate names their person) and their own ballot."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.people.models import Estate, House, HouseOwner

from . import rules
from .models import Ballot, EstateClause, Vote, Voter

CENT = Decimal("0.01")
NOT_VIEWER = gettext_lazy("只有社区、街道和区级工作人员可以查看业主大会表决")
NOT_RUNNER = gettext_lazy("只有小区所在社区的工作人员可以组织业主大会表决")


def check_viewer(user) -> None:
    if not roles.can(user, roles.VOTES, roles.VIEW_VOTES):
        raise PermissionDenied(NOT_VIEWER)


def check_runner(user) -> None:
    if not roles.can(user, roles.VOTES, roles.RUN_VOTES):
        raise PermissionDenied(NOT_RUNNER)


def may_run(user) -> bool:
    return roles.can(user, roles.VOTES, roles.RUN_VOTES)


def estate_votes(*, user, estate_id: int, limit: int = 10) -> list[Vote]:
    """An estate's latest votes for its page; none for a user who may not see votes."""
    if not roles.can(user, roles.VOTES, roles.VIEW_VOTES):
        return []
    return list(vote_list(user=user).filter(estate_id=estate_id)[:limit])


# ---------------------------------------------------------------- staff


def vote_queryset(*, user) -> QuerySet:
    """The votes of estates in the user's scope (404 for others)."""
    check_viewer(user)
    return scope.within(Vote.objects.all(), scope.region_path(user), "region")


def vote_list(*, user, state: str | None = None) -> QuerySet:
    qs = vote_queryset(user=user)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("estate", "region").annotate(ballot_count=Count("ballots")).order_by("-opens_on", "-id")


def vote_get(*, user, pk: int) -> Vote:
    return scope.get_or_404(vote_list(user=user), pk=pk)


def run_estates(*, user) -> QuerySet:
    """The estates the user may organise votes in."""
    check_runner(user)
    return scope.within(Estate.objects.all(), scope.region_path(user), "region").order_by("region__path", "name")


def clause_of(estate_id: int) -> EstateClause | None:
    return EstateClause.objects.filter(estate_id=estate_id).first()


def registered_units(estate_id: int) -> list[rules.UnitRow]:
    """The estate's exclusive units as the register has them now, with their owners' ids: two queries."""
    owners: dict[int, set[int]] = {}
    for house_id, person_id in HouseOwner.objects.filter(house__unit__building__estate_id=estate_id).values_list(
        "house_id", "person_id"
    ):
        owners.setdefault(house_id, set()).add(person_id)
    houses = House.objects.filter(unit__building__estate_id=estate_id).values_list(
        "pk", "unit__building__number", "unit__number", "number", "exclusive_area", "building_area"
    )
    return [
        rules.UnitRow(
            pk,
            _("%(building)s号楼%(unit)s单元%(number)s") % {"building": building, "unit": unit, "number": number},
            exclusive,
            built,
            frozenset(owners.get(pk, ())),
        )
        for pk, building, unit, number, exclusive, built in houses
    ]


def progress(vote: Vote) -> dict:
    """Ballots cast so far: area and count, against the frozen totals (one query)."""
    sums = Ballot.objects.filter(vote=vote).aggregate(area=Sum("voter__area"), owners=Count("pk"))
    # SQLite's SUM drops trailing zeros; areas are kept to the hundredth.
    area, owners = (sums["area"] or Decimal(0)).quantize(CENT), sums["owners"]
    area_share = rules.Threshold("", "", area, vote.total_area, rules.TWO_THIRDS, False)
    owner_share = rules.Threshold("", "", owners, vote.total_owners, rules.TWO_THIRDS, False)
    return {
        "area": area, "owners": owners, "area_share": area_share.share, "owner_share": owner_share.share,
        "area_percent": rules.percent(area_share.share), "owner_percent": rules.percent(owner_share.share),
        "area_met": area_share.met, "owners_met": owner_share.met,
    }  # fmt: skip


def tally(vote: Vote) -> rules.Result:
    """The result recomputed from the stored ballots and the frozen electorate."""
    casts = [rules.Cast(area, choice) for area, choice in Ballot.objects.filter(vote=vote).values_list(
        "voter__area", "choice")]  # fmt: skip
    return rules.tally(item=vote.item, silent=vote.silent, total_area=vote.total_area, total_owners=vote.total_owners,
                       casts=casts)  # fmt: skip


def voters(vote: Vote) -> QuerySet:
    return Voter.objects.filter(vote=vote).select_related("ballot").prefetch_related("persons")


def not_voted(vote: Vote) -> QuerySet:
    return Voter.objects.filter(vote=vote, ballot__isnull=True)


# ---------------------------------------------------------------- residents


def owns_a_house(resident) -> bool:
    """Whether the portal offers the resident owners' votes: their person owns a registered unit (one query)."""
    return resident.person_id is not None and HouseOwner.objects.filter(person_id=resident.person_id).exists()


def electorate_users(vote: Vote) -> QuerySet:
    """The portal accounts of the owners in a vote's frozen electorate (bound residents whose person is one)."""
    persons = Voter.persons.through.objects.filter(voter__vote=vote).values("person_id")
    return get_user_model().objects.filter(resident__person__in=persons)


def resident_votes(resident) -> QuerySet:
    """The votes whose frozen electorate names the resident's person, newest first (drafts are not shown)."""
    if resident.person_id is None:
        return Vote.objects.none()
    return (
        Vote.objects.filter(voters__persons=resident.person_id)
        .exclude(state=rules.DRAFT)
        .select_related("estate")
        .distinct()
        .order_by("-opens_on", "-id")
    )


def resident_vote_get(*, resident, pk: int) -> Vote:
    return scope.get_or_404(resident_votes(resident), pk=pk)


def resident_voters(*, resident, vote: Vote) -> list[Voter]:
    """The owners the resident belongs to in this vote (their own units, and any jointly owned), with ballots."""
    return list(voters(vote).filter(persons=resident.person_id))


def open_today(vote: Vote) -> bool:
    today = timezone.localdate()
    return vote.state == rules.OPEN and vote.opens_on <= today <= vote.closes_on
