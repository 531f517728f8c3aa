"""Writes of owners' votes: set-up (community workers of the estate's community: roles.VOTES), opening (which
freezes the electorate), ballots from the portal, from paper or by proxy, closing (the result stored), publishing
(公示), the recount, and an estate's silent-owner clause. Out-of-scope votes and estates answer 404."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import scope
from linli.core.dates import month_day
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.notifications.services import notify

from . import rules, selectors
from .models import Ballot, EstateClause, Vote, Voter

ALREADY_CAST = gettext_lazy("该业主已经投过票，每位业主只有一票，投出后不能更改")
NOT_AN_OWNER = gettext_lazy("您不是本次表决登记的业主，不能投票")


def _content_errors(*, title: str, motion: str, item: str, opens_on: date, closes_on: date) -> list[FieldError]:
    errors = []
    if not title.strip():
        errors.append(FieldError("title", gettext("请填写表决事项")))
    if not motion.strip():
        errors.append(FieldError("motion", gettext("请填写议案内容")))
    if item not in rules.ITEMS:
        errors.append(FieldError("item", gettext("请选择民法典第二百七十八条所列的事项")))
    if closes_on < opens_on:
        errors.append(FieldError("closes_on", gettext("投票截止日期不能早于开始日期")))
    return errors


@transaction.atomic
def vote_create(*, user, estate_id: int, title: str, motion: str, item: str, opens_on: date, closes_on: date) -> Vote:
    """A draft vote of an estate in the user's community."""
    estate = scope.get_or_404(selectors.run_estates(user=user), pk=estate_id)
    errors = _content_errors(title=title, motion=motion, item=item, opens_on=opens_on, closes_on=closes_on)
    if errors:
        raise ValidationFailed(errors)
    return Vote.objects.create(
        estate=estate, region_id=estate.region_id, title=title.strip(), motion=motion.strip(), item=item,
        opens_on=opens_on, closes_on=closes_on, created_by=user,
    )  # fmt: skip


def _locked(*, user, vote_id: int, version: int | None, action: str) -> Vote:
    selectors.check_runner(user)
    vote = scope.get_or_404(selectors.vote_queryset(user=user).select_for_update(), pk=vote_id)
    if version is not None and vote.version != version:
        raise Conflict()
    if not rules.may(action, vote.state):
        raise Conflict(rules.REFUSED[action])
    return vote


def _advance(vote: Vote, action: str, fields: list[str]) -> None:
    vote.state = rules.TRANSITIONS[action][1]
    vote.version += 1
    vote.save(update_fields=["state", "version", *fields])


@transaction.atomic
def vote_open(*, user, vote_id: int, version: int | None, now: datetime | None = None) -> Vote:
    """Opens the vote and freezes its electorate from the register as it is now, with the estate's clause: later
    changes of owners or areas do not change a running vote."""
    vote = _locked(user=user, vote_id=vote_id, version=version, action="open")
    units = selectors.registered_units(vote.estate_id)
    if not units:
        raise Conflict(gettext("该小区在房屋档案中没有登记房屋，无法确定表决的业主"))
    if missing := rules.missing_area(units):
        names = "、".join(u.label for u in missing[:5])
        raise Conflict(
            gettext("%(len)s 套房屋既无专有部分面积也无建筑面积（%(names)s…），请先在房屋档案中补录")
            % {"len": len(missing), "names": names}
        )
    electorate = rules.electorate(units)
    made = Voter.objects.bulk_create(
        Voter(vote=vote, key=v.key, area=v.area, fallback=v.fallback, units=[
            {"house": u.house_id, "label": u.label, "area": str(rules.unit_area(u)[0]),
             "fallback": rules.unit_area(u)[1]} for u in v.units])
        for v in electorate
    )  # fmt: skip
    links = [
        Voter.persons.through(voter_id=row.pk, person_id=person)
        for row, v in zip(made, electorate, strict=True)
        for person in v.owner_ids
    ]
    Voter.persons.through.objects.bulk_create(links)
    clause = selectors.clause_of(vote.estate_id)
    vote.silent = clause.silent if clause else rules.SILENT_NONE
    vote.total_area = sum((v.area for v in electorate), 0)
    vote.total_owners = len(electorate)
    vote.opened_at = now or timezone.now()
    _advance(vote, "open", ["silent", "total_area", "total_owners", "opened_at"])
    context = {"title": vote.title, "estate": vote.estate.name, "closes": month_day(vote.closes_on)}
    _tell_owners(vote, "votes.opened", context)
    return vote


def subject(vote_id: int) -> str:
    """What the messages about a vote are about: the owner opening the vote marks them read."""
    return f"votes.vote:{vote_id}"


def _tell_owners(vote: Vote, template: str, context: dict) -> None:
    link = reverse("votes_portal:detail", args=[vote.pk])
    notify(selectors.electorate_users(vote), template, context, link=link, subject=subject(vote.pk))


@transaction.atomic
def vote_close(*, user, vote_id: int, version: int | None, now: datetime | None = None) -> Vote:
    """Closes the vote: no ballot is taken after this, and the result is stored for the recount to compare."""
    vote = _locked(user=user, vote_id=vote_id, version=version, action="close")
    vote.result = rules.summary(selectors.tally(vote))
    vote.closed_at = now or timezone.now()
    _advance(vote, "close", ["result", "closed_at"])
    return vote


@transaction.atomic
def vote_publish(*, user, vote_id: int, version: int | None, now: datetime | None = None) -> Vote:
    """公示: the result shown to the owners in the portal, each threshold with its numbers."""
    vote = _locked(user=user, vote_id=vote_id, version=version, action="publish")
    vote.published_at = now or timezone.now()
    _advance(vote, "publish", ["published_at"])
    verdict = rules.shown(selectors.tally(vote))["verdict"]
    _tell_owners(vote, "votes.published", {"title": vote.title, "estate": vote.estate.name, "verdict": verdict})
    return vote


def vote_recount(*, user, vote_id: int) -> tuple[rules.Result, bool]:
    """The result recomputed from the stored ballots, and whether it matches the one stored at close."""
    vote = selectors.vote_get(user=user, pk=vote_id)
    result = selectors.tally(vote)
    return result, vote.result is None or vote.result == rules.summary(result)


def _cast(vote_id: int, voter: Voter, **fields) -> Ballot:
    try:
        with transaction.atomic():
            return Ballot.objects.create(vote_id=vote_id, voter=voter, **fields)
    except IntegrityError:
        # Another ballot for this owner committed first (a joint owner, or the same owner twice).
        raise Conflict(ALREADY_CAST) from None


def _open_vote(qs, pk: int, today: date) -> Vote:
    """The vote, locked against a close running at the same time (a ballot lands before the close or not at all);
    `qs` decides who may see it (a resident's votes are DISTINCT, which a lock cannot take, hence two steps)."""
    scope.get_or_404(qs, pk=pk)
    vote = Vote.objects.select_for_update().get(pk=pk)
    if vote.state != rules.OPEN or not vote.opens_on <= today <= vote.closes_on:
        raise Conflict(rules.REFUSED["cast"])
    return vote


def _choice(choice: str) -> None:
    if choice not in rules.CHOICES:
        raise ValidationFailed([FieldError("choice", gettext("请选择同意、反对或弃权"))])


@transaction.atomic
def ballot_cast(*, resident, vote_id: int, voter_id: int, choice: str, now: datetime | None = None) -> Ballot:
    """An owner's ballot from the portal, for one of the owners they belong to (their units, or jointly owned)."""
    _choice(choice)
    now = now or timezone.now()
    vote = _open_vote(selectors.resident_votes(resident), vote_id, timezone.localdate(now))
    voter = Voter.objects.filter(vote=vote, pk=voter_id, persons=resident.person_id).first()
    if voter is None:
        raise PermissionDenied(NOT_AN_OWNER)
    if Ballot.objects.filter(voter=voter).exists():
        raise Conflict(ALREADY_CAST)
    return _cast(vote.pk, voter, choice=choice, channel=rules.PORTAL, person_id=resident.person_id, cast_at=now)


@transaction.atomic
def ballot_enter(
    *, user, vote_id: int, voter_id: int, choice: str, channel: str, scan=None, proxy_name: str = "",
    proxy_document: str = "", now: datetime | None = None,
) -> Ballot:  # fmt: skip
    """A ballot the staff enter: a paper ballot (its scan attached) or one cast by a proxy (the proxy named, and
    the power of attorney described or its scan attached)."""
    selectors.check_runner(user)
    _choice(choice)
    errors = []
    if channel == rules.PAPER and not scan:
        errors.append(FieldError("scan", gettext("纸质表决票须上传扫描件")))
    elif channel == rules.PROXY and not proxy_name.strip():
        errors.append(FieldError("proxy_name", gettext("委托投票须填写代理人姓名")))
    elif channel not in (rules.PAPER, rules.PROXY):
        errors.append(FieldError("channel", gettext("工作人员只能录入纸质表决票或委托投票")))
    if errors:
        raise ValidationFailed(errors)
    now = now or timezone.now()
    vote = _open_vote(selectors.vote_queryset(user=user), vote_id, timezone.localdate(now))
    voter = scope.get_or_404(Voter.objects.filter(vote=vote), pk=voter_id)
    if Ballot.objects.filter(voter=voter).exists():
        raise Conflict(ALREADY_CAST)
    return _cast(
        vote.pk, voter, choice=choice, channel=channel, scan=scan or "", proxy_name=proxy_name.strip(),
        proxy_document=proxy_document.strip(), entered_by=user, cast_at=now,
    )  # fmt: skip


@transaction.atomic
def clause_set(*, user, estate_id: int, silent: str, source: str = "") -> EstateClause:
    """Records the estate's silent-owner clause; votes already open keep the one frozen with them."""
    estate = scope.get_or_404(selectors.run_estates(user=user), pk=estate_id)
    if silent not in rules.SILENT_RULES:
        raise ValidationFailed([FieldError("silent", gettext("请选择未投票业主的计票规定"))])
    if silent != rules.SILENT_NONE and not source.strip():
        raise ValidationFailed([FieldError("source", gettext("请注明规定出自管理规约或议事规则的哪一条"))])
    clause, _ = EstateClause.objects.update_or_create(
        estate=estate, defaults={"silent": silent, "source": source.strip(), "recorded_by": user}
    )
    return clause
