"""Writes of community consultation: a resident's proposal, a worker's (put straight into consultation), accepting
or declining, comments and hiding one, a poll's set-up, a vote, closing and publishing. Staff actions check the
CONSULTATION capability and the user's scope (404 outside it); residents' actions that they belong to the
proposal's place."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import scope
from linli.core.dates import month_day
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.notices import rules as place_rules
from linli.notices import selectors as places
from linli.notifications.services import notify
from linli.people.models import Building, Estate

from . import rules, selectors
from .models import Ballot, Comment, Poll, PollOption, Proposal

NOT_TAKING_PART = gettext_lazy("只有居住在该范围或在该范围内有房产的已实名居民可以参与")
NOT_IN_CONSULTATION = gettext_lazy("议题受理后才能讨论和投票")
VOTED = gettext_lazy("您已经投过票了，每人只能投一票")


def _text(title: str, body: str) -> dict:
    errors = [FieldError(field, message) for field, message in rules.text_errors(title, body)]
    if errors:
        raise ValidationFailed(errors)
    return {"title": title.strip(), "body": body.strip()}


def _audience_error(audience: str) -> None:
    if audience not in place_rules.AUDIENCE_LABELS:
        labels = "、".join(map(str, place_rules.AUDIENCE_LABELS.values()))
        raise ValidationFailed([FieldError("audience", gettext("议题范围应为：%(labels)s") % {"labels": labels})])


@transaction.atomic
def proposal_submit(
    *, resident, title: str, body: str, audience: str, target: int, now: datetime | None = None
) -> Proposal:
    """A bound resident's proposal to a place they belong to, awaiting the community office."""
    content = _text(title, body)
    _audience_error(audience)
    if not any(a == audience and t == target for a, t, _ in selectors.proposal_places(resident)):
        raise ValidationFailed(
            [FieldError("target", gettext("只能向本人居住或有房产的社区、网格、小区、楼栋提出议题"))]
        )
    if audience == place_rules.ESTATE:
        estate = Estate.objects.get(pk=target)
        where = {"region_id": estate.region_id, "estate": estate}
    elif audience == place_rules.BUILDING:
        building = Building.objects.get(pk=target)
        where = {"region_id": building.grid_id, "building": building}
    else:
        where = {"region_id": target}
    return Proposal.objects.create(
        **content,
        audience=audience,
        **where,
        proposed_by=resident.user,
        by_resident=True,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def proposal_create(*, user, title: str, body: str, audience: str, target: int, now: datetime | None = None):
    """A community office's own proposal: in consultation from the start."""
    selectors.check_runner(user)
    content = _text(title, body)
    _audience_error(audience)
    where = places.audience_target(user=user, audience=audience, target=target)
    now = now or timezone.now()
    return Proposal.objects.create(
        **content, audience=audience, **where, proposed_by=user, status=rules.ACCEPTED, decided_by=user,
        decided_at=now, created_at=now,
    )  # fmt: skip


def _locked(*, user, proposal_id: int, version: int | None) -> Proposal:
    locked = selectors.proposal_queryset(user=user).select_related("region").select_for_update(of=("self",))
    proposal = scope.get_or_404(locked, pk=proposal_id)
    if version is not None and proposal.version != version:
        raise Conflict()
    return proposal


@transaction.atomic
def proposal_decide(
    *, user, proposal_id: int, version: int, accept: bool, reason: str = "", now: datetime | None = None
) -> Proposal:
    """受理 (into consultation) or 不予受理 with the reason the proposer reads."""
    proposal = _locked(user=user, proposal_id=proposal_id, version=version)
    if proposal.status != rules.SUBMITTED:
        raise Conflict(gettext("该议题已经处理过了"))
    if not accept and (error := rules.reason_error(reason, what=gettext("不予受理"))):
        raise ValidationFailed([FieldError("reason", error)])
    if len(reason.strip()) > rules.REASON_MAX:
        raise ValidationFailed(
            [FieldError("reason", gettext("受理意见不能超过%(REASON_MAX)s个字") % {"REASON_MAX": rules.REASON_MAX})]
        )
    proposal.status = rules.ACCEPTED if accept else rules.DECLINED
    proposal.reason = reason.strip()
    proposal.decided_by, proposal.decided_at = user, now or timezone.now()
    proposal.version += 1
    proposal.save(update_fields=["status", "reason", "decided_by", "decided_at", "version"])
    if proposal.by_resident and proposal.proposed_by is not None:
        context = {
            "title": proposal.title,
            "result": gettext("已受理") if accept else gettext("不予受理"),
            "note": gettext("说明：%(reason)s") % {"reason": proposal.reason} if proposal.reason else "",
        }
        notify([proposal.proposed_by], "consultation.decided", context, link=_portal_link(proposal), now=now)
    return proposal


def _portal_link(proposal: Proposal) -> str:
    return reverse("consultation_portal:detail", args=[proposal.pk])


def _comment(proposal: Proposal, *, author, by_resident: bool, body: str, now: datetime | None) -> Comment:
    if proposal.status != rules.ACCEPTED:
        raise Conflict(NOT_IN_CONSULTATION)
    if error := rules.comment_error(body):
        raise ValidationFailed([FieldError("body", error)])
    return Comment.objects.create(
        proposal=proposal, author=author, by_resident=by_resident, body=body.strip(), created_at=now or timezone.now()
    )


@transaction.atomic
def comment_post(*, resident, proposal_id: int, body: str, now: datetime | None = None) -> Comment:
    proposal = selectors.resident_proposal_get(resident=resident, pk=proposal_id)
    if not selectors.takes_part(resident, proposal):
        raise PermissionDenied(NOT_TAKING_PART)
    return _comment(proposal, author=resident.user, by_resident=True, body=body, now=now)


@transaction.atomic
def staff_comment_post(*, user, proposal_id: int, body: str, now: datetime | None = None) -> Comment:
    proposal = selectors.proposal_get(user=user, pk=proposal_id)
    return _comment(proposal, author=user, by_resident=False, body=body, now=now)


@transaction.atomic
def comment_hide(*, user, comment_id: int, reason: str, now: datetime | None = None) -> Comment:
    """Moderation: the comment leaves the residents' view; the staff still see it with the reason."""
    visible = Comment.objects.filter(proposal__in=selectors.proposal_queryset(user=user))
    comment = scope.get_or_404(visible.select_for_update(), pk=comment_id)
    if comment.hidden_at is not None:
        raise Conflict(gettext("该评论已被隐藏"))
    if error := rules.reason_error(reason, what=gettext("隐藏")):
        raise ValidationFailed([FieldError("reason", error)])
    comment.hidden_reason, comment.hidden_by, comment.hidden_at = reason.strip(), user, now or timezone.now()
    comment.save(update_fields=["hidden_reason", "hidden_by", "hidden_at"])
    return comment


@transaction.atomic
def poll_open(
    *, user, proposal_id: int, version: int, question: str, options: list[str], closes_at: datetime,
    quorum_kind: str, quorum_value: int, pass_rule: str, now: datetime | None = None,
) -> Poll:  # fmt: skip
    """Puts an accepted proposal to the vote of its place's residents until `closes_at`."""
    now = now or timezone.now()
    proposal = _locked(user=user, proposal_id=proposal_id, version=version)
    if proposal.status != rules.ACCEPTED:
        raise Conflict(NOT_IN_CONSULTATION)
    if Poll.objects.filter(proposal=proposal).exists():
        raise Conflict(gettext("该议题已经发起过投票"))
    errors = [FieldError(f, m) for f, m in rules.poll_errors(options, quorum_kind, quorum_value)]
    if not question.strip() or len(question.strip()) > rules.TITLE_MAX:
        errors.append(
            FieldError(
                "question", gettext("请填写投票事项（不超过%(TITLE_MAX)s个字）") % {"TITLE_MAX": rules.TITLE_MAX}
            )
        )
    if closes_at <= now:
        errors.append(FieldError("closes_at", gettext("截止时间应晚于现在")))
    if pass_rule not in rules.PASS_LABELS:
        errors.append(FieldError("pass_rule", gettext("通过规则应为过半数或三分之二")))
    if errors:
        raise ValidationFailed(errors)
    poll = Poll.objects.create(
        proposal=proposal, question=question.strip(), closes_at=closes_at, quorum_kind=quorum_kind,
        quorum_value=quorum_value, pass_rule=pass_rule, opened_at=now,
    )  # fmt: skip
    labels = [o.strip() for o in options if o.strip()]
    PollOption.objects.bulk_create(PollOption(poll=poll, position=i, label=label) for i, label in enumerate(labels))
    proposal.version += 1
    proposal.save(update_fields=["version"])
    context = {
        "title": proposal.title,
        "question": poll.question,
        "closes": month_day(timezone.localtime(closes_at).date()),
    }
    users = [r.user for r in selectors.eligible_residents(proposal).select_related("user")]
    notify(users, "consultation.poll_opened", context, link=_portal_link(proposal), now=now)
    return poll


@transaction.atomic
def vote(*, resident, poll_id: int, option_id: int, now: datetime | None = None) -> Ballot:
    """A resident's one vote. A second one, even sent at the same instant from two phones, meets the database's
    unique constraint and is refused with 409. The poll's row is locked so that no vote slips in after the close
    has counted the electorate."""
    now = now or timezone.now()
    visible = Poll.objects.filter(proposal__in=selectors.resident_proposals(resident).values("pk"))
    poll = scope.get_or_404(visible.select_related("proposal__region").select_for_update(of=("self",)), pk=poll_id)
    proposal = poll.proposal
    if not selectors.takes_part(resident, proposal):
        raise PermissionDenied(NOT_TAKING_PART)
    if poll.status != rules.OPEN or now >= poll.closes_at:
        raise Conflict(gettext("投票已经截止"))
    option = poll.options.filter(pk=option_id).first()
    if option is None:
        raise ValidationFailed([FieldError("option_id", gettext("请选择本次投票的一个选项"))])
    try:
        with transaction.atomic():
            return Ballot.objects.create(poll=poll, option=option, resident=resident, cast_at=now)
    except IntegrityError:
        raise Conflict(VOTED) from None


def _poll_locked(*, user, poll_id: int, version: int | None, status: str, refused: str) -> Poll:
    polls = Poll.objects.filter(proposal__in=selectors.proposal_queryset(user=user))
    poll = scope.get_or_404(polls.select_related("proposal__region").select_for_update(of=("self",)), pk=poll_id)
    if version is not None and poll.version != version:
        raise Conflict()
    if poll.status != status:
        raise Conflict(refused)
    return poll


@transaction.atomic
def poll_close(*, user, poll_id: int, version: int, now: datetime | None = None) -> Poll:
    """截止: no more votes; the residents who may vote now become the turnout's denominator for good."""
    poll = _poll_locked(user=user, poll_id=poll_id, version=version, status=rules.OPEN, refused=gettext("投票已经截止"))
    _close(poll, now or timezone.now())
    return poll


def _close(poll: Poll, at: datetime) -> None:
    poll.status, poll.closed_at = rules.CLOSED, at
    poll.eligible = selectors.eligible_count(poll.proposal)
    poll.version += 1
    poll.save(update_fields=["status", "closed_at", "eligible", "version"])


@transaction.atomic
def polls_close_due(now: datetime | None = None) -> int:
    """The periodic job's part: closes the open polls whose closing time has passed, as of that time (the office
    may have closed them earlier by hand). Idempotent: a closed poll is no longer open."""
    due = Poll.objects.filter(status=rules.OPEN, closes_at__lte=now or timezone.now())
    polls = list(due.select_related("proposal__region").select_for_update(of=("self",)).order_by("pk"))
    for poll in polls:
        _close(poll, poll.closes_at)
    return len(polls)


@transaction.atomic
def poll_publish(*, user, poll_id: int, version: int, now: datetime | None = None) -> Poll:
    """公布: the result, recomputed from the ballots whenever shown, becomes visible to the place's residents."""
    refused = gettext("只有已截止且尚未公布的投票可以公布结果")
    poll = _poll_locked(user=user, poll_id=poll_id, version=version, status=rules.CLOSED, refused=refused)
    poll.status, poll.published_at = rules.PUBLISHED, now or timezone.now()
    poll.version += 1
    poll.save(update_fields=["status", "published_at", "version"])
    return poll
