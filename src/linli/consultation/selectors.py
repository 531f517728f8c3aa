"""Reads of community consultation: the staff's proposals in their scope; where a resident belongs (the places they
live or own a house in), the proposals of those places, who may take part in a proposal, and a poll's result.

Who takes part: the bound residents (实名认证) whose person lives in the proposal's place, as a notice's audience
(linli.notices: the person's grid, or the house of their household), or owns a house there. An owner who lets their
flat still answers for the building; a tenant who lives there speaks for the household they live in."""

from fractions import Fraction

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.notices import rules as place_rules
from linli.notices import selectors as places
from linli.people.models import Building, HouseOwner, Person
from linli.residents.models import Resident

from . import rules
from .models import Ballot, Comment, Poll, PollOption, Proposal

NOT_RUNNER = gettext_lazy("只有社区、街道和区级工作人员可以受理议题和组织投票")
OWNED = "person__owned_houses"


def check_runner(user) -> None:
    if not roles.can(user, roles.CONSULTATION, roles.RUN_CONSULTATION):
        raise PermissionDenied(NOT_RUNNER)


# ---------------------------------------------------------------- staff


def proposal_queryset(*, user) -> QuerySet:
    """The proposals of the user's scope (404 for others): what a service locks before changing one."""
    check_runner(user)
    return scope.within(Proposal.objects.all(), scope.region_path(user), "region")


def proposal_list(*, user, status: str | None = None) -> QuerySet:
    """The proposals of the user's scope, those awaiting a decision first, then newest first."""
    qs = proposal_queryset(user=user)
    if status:
        qs = qs.filter(status=status)
    waiting = Case(When(status=rules.SUBMITTED, then=Value(0)), default=Value(1))
    return _listed(qs).order_by(waiting, "-created_at", "-id")


def _listed(qs: QuerySet) -> QuerySet:
    visible = Count("comments", filter=Q(comments__hidden_at__isnull=True))
    return qs.select_related("region", "estate", "building__estate", "proposed_by", "poll").annotate(
        comment_count=visible
    )


def proposal_get(*, user, pk: int) -> Proposal:
    return scope.get_or_404(proposal_list(user=user), pk=pk)


def place_label(proposal) -> str:
    """The place in words: 甲一社区, 甲一1号网格, 阳光小区, 阳光小区3号楼."""
    return places.audience_label(proposal)


# ---------------------------------------------------------------- who takes part


def eligible_residents(proposal: Proposal) -> QuerySet:
    """The bound residents who live or own a house in the proposal's place, as they do now."""
    bound = Resident.objects.filter(person__isnull=False)
    if proposal.audience == place_rules.BUILDING:
        owners = bound.filter(**{f"{OWNED}__unit__building_id": proposal.building_id})
    elif proposal.audience == place_rules.ESTATE:
        owners = bound.filter(**{f"{OWNED}__unit__building__estate_id": proposal.estate_id})
    else:
        owners = scope.within(bound, proposal.region.path, f"{OWNED}__grid")
    return bound.filter(Q(pk__in=places.audience_residents(proposal).values("pk")) | Q(pk__in=owners.values("pk")))


def eligible_count(proposal: Proposal) -> int:
    return eligible_residents(proposal).count()


def resident_places(resident: Resident) -> tuple[list[str], set[tuple[int, int]]] | None:
    """Where a bound resident belongs: the grid paths and the (building id, estate id) of where their person lives
    (linli.notices: household, running tenancy) and of each house they own; None before 实名认证."""
    if resident.person_id is None:
        return None
    lived = places.lived_places(resident.person_id)
    if lived is None:
        return None
    grid_path, homes = lived
    owned = HouseOwner.objects.filter(person_id=resident.person_id).values_list(
        "house__grid__path", "house__unit__building_id", "house__unit__building__estate_id"
    )
    grids = [grid_path]
    for path, building_id, estate_id in owned:
        grids.append(path)
        homes.add((building_id, estate_id))
    return list(dict.fromkeys(grids)), homes


def _reaching(resident: Resident) -> Q | None:
    found = resident_places(resident)
    return None if found is None else places.addressed_to(*found)


def resident_proposals(resident: Resident) -> QuerySet:
    """What a resident sees: the proposals in consultation in the places they belong to, and their own proposals
    whatever became of them; newest first."""
    reach = _reaching(resident)
    mine = Q(proposed_by_id=resident.user_id)
    seen = mine if reach is None else mine | (reach & Q(status=rules.ACCEPTED))
    return _listed(Proposal.objects.filter(seen)).order_by("-created_at", "-id")


def resident_proposal_get(*, resident: Resident, pk: int) -> Proposal:
    return scope.get_or_404(resident_proposals(resident), pk=pk)


def takes_part(resident: Resident, proposal: Proposal) -> bool:
    """Whether the resident belongs to the proposal's place (may comment and vote)."""
    reach = _reaching(resident)
    return reach is not None and Proposal.objects.filter(reach, pk=proposal.pk).exists()


def proposal_places(resident: Resident) -> list[tuple[str, int, str]]:
    """(audience, target id, label) of each place a resident may put a proposal to: the community and grid they live
    in, and the estates and buildings they live in or own a house in."""
    found = resident_places(resident)
    if found is None:
        return []
    person = Person.objects.select_related("grid__parent").get(pk=resident.person_id)
    offered = []
    if person.grid.parent_id is not None:
        offered.append((place_rules.COMMUNITY, person.grid.parent_id, person.grid.parent.name))
    offered.append((place_rules.GRID, person.grid_id, person.grid.name))
    buildings = Building.objects.filter(pk__in=[b for b, _ in found[1]]).select_related("estate")
    for building in buildings.order_by("estate__name", "number"):
        offered.append((place_rules.ESTATE, building.estate_id, building.estate.name))
        offered.append((place_rules.BUILDING, building.pk, f"{building.estate.name}{building}"))
    return list(dict.fromkeys(offered))


# ---------------------------------------------------------------- discussion and polls


def comments(proposal: Proposal, *, hidden: bool) -> QuerySet:
    """The discussion, oldest first; with `hidden` (the staff's view) the hidden comments too, with why."""
    qs = Comment.objects.filter(proposal=proposal)
    if hidden:  # staff see who spoke: the resident's registry name
        return qs.select_related("author__resident__person", "hidden_by")
    return qs.filter(hidden_at__isnull=True).select_related("author")


def poll_of(proposal: Proposal) -> Poll | None:
    options = PollOption.objects.annotate(votes=Count("ballots")).order_by("position")
    return Poll.objects.filter(proposal=proposal).prefetch_related(Prefetch("options", queryset=options)).first()


def result(poll: Poll) -> rules.Outcome:
    """The poll's result from its stored ballots (`poll_of` counted them): against the electorate frozen at the close,
    or, while it is open, the residents who may vote now."""
    eligible = poll.eligible if poll.eligible is not None else eligible_count(poll.proposal)
    return rules.outcome(
        [o.votes for o in poll.options.all()], eligible=eligible, quorum_kind=poll.quorum_kind,
        quorum_value=poll.quorum_value, rule=poll.pass_rule,
    )  # fmt: skip


def ballot_of(poll: Poll, resident: Resident) -> Ballot | None:
    return Ballot.objects.filter(poll=poll, resident=resident).select_related("option").first()


def poll_view(poll: Poll | None, *, with_result: bool) -> dict | None:
    """A poll as the pages and the API show it: its options, and, where the reader may see it, the counts and the
    result (the staff always; residents once published)."""
    if poll is None:
        return None
    options = list(poll.options.all())
    view = {
        "id": poll.id, "question": poll.question, "status": poll.status, "opened_at": poll.opened_at,
        "closes_at": poll.closes_at, "quorum_kind": poll.quorum_kind, "quorum_value": poll.quorum_value,
        "pass_rule": poll.pass_rule, "version": poll.version, "status_label": rules.POLL_STATUS_LABELS[poll.status],
        "quorum_label": quorum_text(poll), "pass_label": rules.PASS_LABELS[poll.pass_rule],
        "options": [{"id": o.id, "label": o.label, "votes": o.votes if with_result else None} for o in options],
    }  # fmt: skip
    if with_result:
        outcome = result(poll)
        leading = options[outcome.leading] if outcome.leading is not None else None
        view.update(
            eligible=outcome.eligible, turnout=outcome.turnout, quorum_met=outcome.quorum_met, passed=outcome.passed,
            leading_option_id=leading.id if leading else None, leading_label=leading.label if leading else None,
            turnout_text=rules.percent(outcome.turnout_percent),
        )  # fmt: skip
        for row in view["options"]:
            row["share"] = rules.percent(Fraction(row["votes"] * 100, outcome.turnout) if outcome.turnout else None)
    return view


def quorum_text(poll: Poll) -> str:
    if poll.quorum_kind == rules.SHARE:
        return gettext("参与率不低于%(quorum_value)s%%") % {"quorum_value": poll.quorum_value}
    return gettext("参与人数不少于%(quorum_value)s人") % {"quorum_value": poll.quorum_value}


def staff_detail(proposal: Proposal) -> dict:
    poll = poll_of(proposal)
    return {
        **_base(proposal), "poll": poll_view(poll, with_result=True),
        "comments": list(comments(proposal, hidden=True)), "eligible_now": eligible_count(proposal),
    }  # fmt: skip


def resident_detail(proposal: Proposal, resident: Resident) -> dict:
    poll = poll_of(proposal)
    mine = ballot_of(poll, resident) if poll else None
    published = poll is not None and poll.status == rules.PUBLISHED
    return {
        **_base(proposal), "poll": poll_view(poll, with_result=published),
        "comments": list(comments(proposal, hidden=False)), "takes_part": takes_part(resident, proposal),
        "my_option_id": mine.option_id if mine else None, "my_option": mine.option.label if mine else None,
    }  # fmt: skip


def _base(proposal: Proposal) -> dict:
    fields = ("id", "title", "body", "audience", "status", "by_resident", "reason", "created_at", "version")
    return {
        **{f: getattr(proposal, f) for f in fields}, "place": place_label(proposal),
        "comment_count": proposal.comment_count, "proposal": proposal,
        "status_label": rules.STATUS_LABELS[proposal.status],
    }  # fmt: skip
