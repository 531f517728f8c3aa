"""Reads of owners' committees and 红色物业: committees, Party organisations and cross-office holdings of the user's
region scope, the estate page (its company, committee, complaints), the owners a committee may be chosen from, the
红色物业 figures, and the committees whose re-election reminder is due."""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles, scope
from linli.cases import rules as case_rules
from linli.cases.selectors import case_queryset
from linli.core.errors import PermissionDenied
from linli.organizations.models import Organization
from linli.people.models import Estate, HouseOwner, Person
from linli.property.selectors import may_read_companies
from linli.votes.selectors import estate_votes

from . import rules
from .models import Committee, CommitteeMember, CommitteeReminder, CrossOffice, PartyOrganization

NOT_READER = _("只有社区、街道和区级工作人员可以查看业主委员会和红色物业")
NOT_EDITOR = _("业主委员会和党组织由小区所在社区的工作人员登记")
ESTATE_OWNERS = "house__unit__building__estate"  # HouseOwner → the estate the owned house lies in
RECENT_CASES = 5


def check_reader(user) -> None:
    if not roles.can(user, roles.COMMITTEES, roles.VIEW_COMMITTEES):
        raise PermissionDenied(NOT_READER)


def check_editor(user) -> None:
    check_reader(user)
    if not roles.can(user, roles.COMMITTEES, roles.EDIT_COMMITTEES):
        raise PermissionDenied(NOT_EDITOR)


def may_edit(user) -> bool:
    return roles.can(user, roles.COMMITTEES, roles.EDIT_COMMITTEES)


# ---------------------------------------------------------------- estates


def estate_queryset(*, user) -> QuerySet:
    check_reader(user)
    return scope.within(Estate.objects.all(), scope.region_path(user), "region")


def estate_get(*, user, pk: int) -> Estate:
    return scope.get_or_404(estate_queryset(user=user).select_related("region", "property_company"), pk=pk)


def estate_owners(estate_id: int) -> QuerySet:
    """The persons registered as owners of a house in the estate: who may sit on its committee."""
    owning = HouseOwner.objects.filter(person=OuterRef("pk"), **{f"{ESTATE_OWNERS}_id": estate_id})
    return Person.objects.filter(Exists(owning)).order_by("name", "pk")


def owner_ids(estate_id: int, person_ids: list[int]) -> set[int]:
    """Those of `person_ids` who own a house in the estate."""
    owning = HouseOwner.objects.filter(person_id__in=person_ids, **{f"{ESTATE_OWNERS}_id": estate_id})
    return set(owning.values_list("person_id", flat=True))


@dataclass
class Complaints:
    """The cases of an estate the user sees: counts by state (in the lifecycle's order) and the latest few."""

    total: int
    open: int
    by_state: list[tuple[str, int]]
    recent: list


def estate_complaints(*, user, estate: Estate) -> Complaints:
    # A report names the house it is about; a rectification finding (整改) names the estate itself.
    cases = case_queryset(user=user).filter(Q(estate=estate) | Q(house__unit__building__estate=estate))
    counts = dict(cases.order_by().values_list("state").annotate(n=Count("pk")))
    by_state = [(label, counts[state]) for state, label in case_rules.STATE_LABELS.items() if counts.get(state)]
    recent = list(cases.select_related("category").order_by("-received_at", "-id")[:RECENT_CASES])
    open_ = sum(n for state, n in counts.items() if state in case_rules.OPEN_STATES)
    return Complaints(sum(counts.values()), open_, by_state, recent)


@dataclass
class EstatePage:
    """What the estate page shows, for the page and its API alike."""

    estate: Estate
    committee: Committee | None  # the current one
    history: list[Committee]  # earlier terms
    complaints: Complaints
    votes: list  # votes.models.Vote, latest first
    company_link: bool  # the user may open the company's file


def estate_page(*, user, pk: int) -> EstatePage:
    estate = estate_get(user=user, pk=pk)
    terms = estate_committees(user=user, estate=estate)
    current = terms[0] if terms and terms[0].ended_on is None else None
    return EstatePage(
        estate=estate,
        committee=current,
        history=[c for c in terms if c is not current],
        complaints=estate_complaints(user=user, estate=estate),
        votes=estate_votes(user=user, estate_id=estate.pk),
        company_link=may_read_companies(user),
    )


# ---------------------------------------------------------------- committees


def committee_queryset(*, user) -> QuerySet:
    """The committees of the user's scope (every term): what a service locks before changing one."""
    check_reader(user)
    return scope.within(Committee.objects.all(), scope.region_path(user), "region")


# 主任, 副主任, then 委员, as a committee is listed.
ROLE_ORDER = Case(*(When(role=r, then=Value(i)) for i, r in enumerate(rules.MEMBER_ROLES)))
MEMBERS = Prefetch("members", queryset=CommitteeMember.objects.select_related("person").order_by(ROLE_ORDER, "pk"))


def committee_list(*, user, current: bool = True, estate_id: int | None = None) -> QuerySet:
    """Committees of the scope, by community and estate; the current ones only unless `current` is False. Each with
    `member_count`, `party_members` and `has_party_org`."""
    qs = committee_queryset(user=user)
    if current:
        qs = qs.filter(ended_on__isnull=True)
    if estate_id is not None:
        qs = qs.filter(estate_id=estate_id)
    party = PartyOrganization.objects.filter(committee=OuterRef("pk"))
    return (
        qs.select_related("estate", "region")
        .annotate(
            member_count=Count("members"),
            party_members=Count("members", filter=Q(members__party_member=True)),
            has_party_org=Exists(party),
        )
        .order_by("region__path", "estate__name", "-formed_on", "-id")
    )


def committee_get(*, user, pk: int) -> Committee:
    return scope.get_or_404(committee_list(user=user, current=False).prefetch_related(MEMBERS), pk=pk)


def estate_committees(*, user, estate: Estate) -> list[Committee]:
    """An estate's committees, the current one first, then earlier terms."""
    return list(committee_list(user=user, current=False, estate_id=estate.pk).prefetch_related(MEMBERS))


def estate_choices(*, user) -> QuerySet:
    """The estates a user may form a committee for: those of their community."""
    check_editor(user)
    return estate_queryset(user=user).select_related("region").order_by("region__path", "name")


# ---------------------------------------------------------------- 红色物业


def party_list(*, user) -> QuerySet:
    check_reader(user)
    qs = scope.within(PartyOrganization.objects.all(), scope.region_path(user), "region")
    return qs.select_related("region", "organization", "committee__estate").order_by("region__path", "host", "name")


def party_get(*, user, pk: int) -> PartyOrganization:
    return scope.get_or_404(party_list(user=user), pk=pk)


def cross_office_list(*, user) -> QuerySet:
    check_reader(user)
    qs = scope.within(CrossOffice.objects.all(), scope.region_path(user), "region")
    return qs.select_related("region", "organization", "committee__estate").order_by("region__path", "-since", "pk")


def company_choices(*, user) -> QuerySet:
    """The property companies managing an estate of the user's scope: hosts a Party organisation may name."""
    estates = estate_queryset(user=user).filter(property_company=OuterRef("pk"))
    return Organization.objects.filter(kind=Organization.Kind.COMPANY).filter(Exists(estates)).order_by("name")


@dataclass
class Figures:
    """红色物业 at a glance for the scope: how many estates have a committee, how many committees a Party
    organisation, how many members are Party members, and the cross-office holdings."""

    estates: int
    committees: int
    with_party_org: int
    members: int
    party_members: int
    cross_offices: int
    companies_with_party_org: int

    @property
    def committee_share(self) -> Fraction | None:
        return rules.share(self.committees, self.estates)

    @property
    def party_org_share(self) -> Fraction | None:
        return rules.share(self.with_party_org, self.committees)

    @property
    def party_member_share(self) -> Fraction | None:
        return rules.share(self.party_members, self.members)


def figures(*, user) -> Figures:
    current = committee_list(user=user).order_by()
    members = CommitteeMember.objects.filter(committee__in=current.values("pk"))
    party = party_list(user=user).order_by()
    return Figures(
        estates=estate_queryset(user=user).count(),
        committees=current.count(),
        with_party_org=current.filter(Exists(party.filter(committee=OuterRef("pk")))).count(),
        members=members.count(),
        party_members=members.filter(party_member=True).count(),
        cross_offices=cross_office_list(user=user).count(),
        companies_with_party_org=party.filter(host=rules.COMPANY).values("organization").distinct().count(),
    )


# ---------------------------------------------------------------- re-election reminders


def near_end(*, user, today: date) -> list[tuple[Committee, int]]:
    """(committee, months) for the current committees of the scope whose first reminder has fallen due, the term
    ending soonest first: the list's 换届提醒."""
    qs = committee_list(user=user).filter(term_ends__lte=_window_end(today)).order_by("term_ends", "pk")
    return [(c, m) for c in qs if (m := rules.reminder_due(c.term_ends, today)) is not None]


def _window_end(today: date) -> date:
    """The latest end of term whose first reminder is due on `today`: six months ahead (a superset at month ends,
    which rules.reminder_due then decides exactly)."""
    return rules.months_before(today, -max(rules.REMINDER_MONTHS))


def reminders_due(today: date) -> list[tuple[Committee, int]]:
    """(committee, months) for every current committee whose reminder threshold is reached and not yet sent."""
    sent = {(c, m) for c, m in CommitteeReminder.objects.values_list("committee_id", "months")}
    due = []
    candidates = Committee.objects.filter(ended_on__isnull=True).select_related("estate", "region")
    for committee in candidates.filter(term_ends__lte=_window_end(today)):
        months = rules.reminder_due(committee.term_ends, today)
        if months is not None and (committee.pk, months) not in sent:
            due.append((committee, months))
    return due


def community_editors(region_id: int) -> list:
    """The active workers of a community office who may record its committees: whom a reminder tells."""
    users = get_user_model().objects.filter(region_id=region_id, organization=None, is_active=True).order_by("pk")
    return [u for u in users if may_edit(u)]
