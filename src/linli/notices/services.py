"""Writes of community notices: drafting, publishing (the worker then sends the audience an in-app message if asked),
withdrawing, and a resident's read mark. Each checks that the user may publish (roles.NOTICES) and that the notice
and its audience lie in their scope (404 otherwise)."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from linli.accounts import scope
from linli.core.errors import Conflict, FieldError, ValidationFailed
from linli.notifications.services import notify, subject_read

from . import rules, selectors
from .models import Notice, NoticeRead


def message_subject(notice_id: int) -> str:
    """The subject of the in-app messages announcing a notice, which reading it marks read."""
    return f"notices.notice:{notice_id}"


def _content(*, user, title: str, body: str, audience: str, target: int) -> dict:
    errors = [FieldError(field, message) for field, message in rules.text_errors(title, body)]
    if audience not in rules.AUDIENCE_LABELS:
        errors.append(
            FieldError(
                "audience", _("发布范围应为：%(join)s") % {"join": "、".join(map(str, rules.AUDIENCE_LABELS.values()))}
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return {
        "title": title.strip(),
        "body": body.strip(),
        "audience": audience,
        **selectors.audience_target(user=user, audience=audience, target=target),
    }


@transaction.atomic
def notice_create(
    *, user, title: str, body: str, audience: str, target: int, notify: bool = True, publish: bool = False,
    now: datetime | None = None,
) -> Notice:  # fmt: skip
    """A new notice, kept as a draft or published at once."""
    selectors.check_publisher(user)
    content = _content(user=user, title=title, body=body, audience=audience, target=target)
    notice = Notice.objects.create(**content, notify=notify, created_by=user)
    if publish:
        _publish(notice, user=user, now=now or timezone.now())
    return notice


def _locked(*, user, notice_id: int, version: int, action: str) -> Notice:
    locked = selectors.notice_queryset(user=user).select_related("region").select_for_update(of=("self",))
    notice = scope.get_or_404(locked, pk=notice_id)
    if notice.version != version:
        raise Conflict()
    if not rules.may(action, notice.status):
        raise Conflict(rules.ACTION_REFUSED[action])
    return notice


@transaction.atomic
def notice_update(
    *, user, notice_id: int, version: int, title: str, body: str, audience: str, target: int, notify: bool = True
) -> Notice:
    """Changes a draft (published notices stay as residents read them)."""
    notice = _locked(user=user, notice_id=notice_id, version=version, action="edit")
    for field, value in _content(user=user, title=title, body=body, audience=audience, target=target).items():
        setattr(notice, field, value)
    notice.notify = notify
    notice.version += 1
    notice.save()
    return notice


def _publish(notice: Notice, *, user, now: datetime) -> None:
    notice.status = rules.after("publish")
    notice.published_at, notice.published_by = now, user
    notice.version += 1
    notice.save(update_fields=["status", "published_at", "published_by", "version", "updated_at"])
    if notice.notify:
        transaction.on_commit(lambda: notice_announce.enqueue(notice.pk))


@task()
def notice_announce(notice_id: int) -> None:
    """Tells the audience of a published notice in their inbox. A task of the worker, after the commit: a community
    has thousands of residents, each message its rate-limit check and rows, too much for the publishing request."""
    notice = Notice.objects.select_related("region__parent").filter(pk=notice_id, notify=True).first()
    if notice is None or notice.status != rules.PUBLISHED:  # withdrawn before the worker reached it
        return
    residents = selectors.audience_residents(notice).select_related("user")
    notify(
        [r.user for r in residents], "notices.published", {"title": notice.title, "issuer": selectors.issuer(notice)},
        link=reverse("notices_portal:detail", args=[notice.pk]), subject=message_subject(notice.pk),
        now=notice.published_at,
    )  # fmt: skip


@transaction.atomic
def notice_publish(*, user, notice_id: int, version: int, now: datetime | None = None) -> Notice:
    notice = _locked(user=user, notice_id=notice_id, version=version, action="publish")
    _publish(notice, user=user, now=now or timezone.now())
    return notice


@transaction.atomic
def notice_withdraw(*, user, notice_id: int, version: int, now: datetime | None = None) -> Notice:
    """撤回: residents no longer see the notice; its read marks stay for the record."""
    notice = _locked(user=user, notice_id=notice_id, version=version, action="withdraw")
    notice.status = rules.after("withdraw")
    notice.withdrawn_at = now or timezone.now()
    notice.version += 1
    notice.save(update_fields=["status", "withdrawn_at", "version", "updated_at"])
    return notice


@transaction.atomic
def notice_read(*, resident, notice_id: int, now: datetime | None = None) -> Notice:
    """A resident opens a notice: their read mark, and the message that announced it marked read too."""
    notice = selectors.resident_notice_get(resident=resident, pk=notice_id)
    now = now or timezone.now()
    NoticeRead.objects.get_or_create(notice=notice, resident=resident, defaults={"read_at": now})
    subject_read(user=resident.user, subject=message_subject(notice.pk), now=now)
    return notice
