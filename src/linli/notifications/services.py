"""The notification service: `notify` is how every module tells users something, on every channel.

Callers have checked their own permissions before they notify (a 督办 is sent by who may send it); the service
decides only where a message goes (templates, the user's preferences, what reaches the user), holds to the rate
limits and logs every delivery. SMS and other outside channels go out after the commit, as tasks of the worker,
retried when the provider says trying again may help."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from linli.core.errors import FieldError, ValidationFailed
from linli.core.locks import hold
from linli.core.pii import decrypt, encrypt

from . import rules, selectors
from .backends import SendFailed, backends
from .models import Delivery, Message, Preference
from .signals import messages_read

logger = logging.getLogger(__name__)

ATTEMPTS = 3  # an SMS the provider may take later is tried this often in all


@transaction.atomic
def notify(
    users: Iterable,
    template: str,
    context: dict,
    *,
    only: Iterable[str] | None = None,
    link: str = "",
    subject: str = "",
    now: datetime | None = None,
) -> list[Delivery]:
    """Sends template `template` rendered with `context` to each of `users` on the channels their preferences
    choose (narrowed to `only` when the caller asks). Answers the delivery log's new rows."""
    now = now or timezone.now()
    title, body, params = rules.render(template, context)
    only = frozenset(only) if only is not None else None
    outside = backends()
    users = [u for u in dict.fromkeys(users) if u.is_active]
    kind = rules.TEMPLATES[template].kind
    chosen = selectors.chosen_channels([u.pk for u in users], kind)
    # Every lock at once: hold() takes them in one order, so two notifications to overlapping users cannot deadlock.
    hold(*(f"notify:{user.pk}:{channel}" for user in users for channel in rules.CHANNELS))
    logged = []
    for user in users:
        reachable = frozenset({rules.INBOX} | {ch for ch, b in outside.items() if b.address(user)})
        for channel in sorted(rules.channels_for(template, chosen.get(user.pk), only=only, reachable=reachable)):
            if not rules.within_limits(channel, selectors.recent_deliveries(user, channel, now), now):
                status = "limited"
            else:
                status = "sent" if channel == rules.INBOX else "queued"
            delivery = Delivery.objects.create(
                user=user, template=template, channel=channel, status=status, created_at=now
            )
            logged.append(delivery)
            if status == "sent":
                Message.objects.create(
                    user=user, template=template, title=title, body=body, link=link, subject=subject, created_at=now
                )
            elif status == "queued":
                transaction.on_commit(lambda d=delivery.pk: deliver.enqueue(d, title, body, params))
    return logged


@task()
def deliver(delivery_id: int, title: str, body: str, params: dict) -> None:
    """Sends one logged message through its channel's backend and records the outcome; a failure the provider
    may get over is queued again until ATTEMPTS."""
    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    if delivery.status != "queued":  # a task run twice (a worker that died after sending) sends once
        return
    backend = backends()[delivery.channel]
    delivery.attempts += 1
    try:
        delivery.provider_id = backend.send(
            address=backend.address(delivery.user), template=delivery.template, text=f"{title}：{body}", params=params
        )
        delivery.status, delivery.error = "sent", ""
    except SendFailed as exc:
        delivery.error = str(exc)[:500]
        again = exc.retry and delivery.attempts < ATTEMPTS
        delivery.status = "queued" if again else "failed"
        logger.warning("delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, exc)
    delivery.save(update_fields=["provider_id", "status", "error", "attempts"])
    if delivery.status == "queued":
        deliver.enqueue(delivery_id, title, body, params)


# ---------------------------------------------------------------- a phone number without an account


def notify_phone(phone: str, template: str, context: dict) -> None:
    """Sends an SMS-only template (a sign-in code) to a phone number, which may have no account yet: the same work
    whether or not it has one, so a caller learns nothing from it. No inbox, preferences or per-user limits (the
    caller limits per number), and no delivery log row (the log is per user). Sent after the caller's commit, by
    the worker; the number travels through the task queue encrypted."""
    if set(rules.TEMPLATES[template].channels) != {rules.SMS}:
        raise rules.TemplateError(f"{template}: only an SMS-only template goes to a bare phone number")
    title, body, params = rules.render(template, context)
    sealed = encrypt(phone)
    transaction.on_commit(lambda: deliver_to_phone.enqueue(sealed, template, f"{title}：{body}", params))


@task()
def deliver_to_phone(sealed_phone: str, template: str, text: str, params: dict, attempt: int = 1) -> None:
    backend = backends()[rules.SMS]
    try:
        backend.send(address=decrypt(sealed_phone), template=template, text=text, params=params)
    except SendFailed as exc:
        logger.warning("SMS %s to a bare number, attempt %s failed: %s", template, attempt, exc)
        if exc.retry and attempt < ATTEMPTS:
            deliver_to_phone.enqueue(sealed_phone, template, text, params, attempt + 1)


@transaction.atomic
def message_read(*, user, message_id: int, now: datetime | None = None) -> Message:
    message = get_object_or_404(selectors.inbox(user), pk=message_id)
    if message.read_at is None:
        message.read_at = now or timezone.now()
        message.save(update_fields=["read_at"])
        if message.subject:
            messages_read.send(None, user=user, subjects={message.subject}, at=message.read_at)
    return message


@transaction.atomic
def messages_read_all(*, user, now: datetime | None = None) -> int:
    unread = selectors.inbox(user).filter(read_at__isnull=True)
    subjects = set(unread.exclude(subject="").values_list("subject", flat=True).distinct())
    now = now or timezone.now()
    count = unread.update(read_at=now)
    if subjects:
        messages_read.send(None, user=user, subjects=subjects, at=now)
    return count


def subject_read(*, user, subject: str, now: datetime | None = None) -> int:
    """Marks read the user's messages about `subject`: the module that sent them calls it when its own page for
    the subject is opened (a 督办 read on 我的任务)."""
    return selectors.inbox(user).filter(subject=subject, read_at__isnull=True).update(read_at=now or timezone.now())


@transaction.atomic
def preference_set(*, user, kind: str, channels: Iterable[str]) -> Preference:
    """Chooses the channels of one kind of message; channels a kind's templates require stay on regardless."""
    mine = selectors.kinds_for(user)
    if kind not in mine:
        names = "、".join(str(label) for k, label in rules.KINDS.items() if k in mine)
        raise ValidationFailed([FieldError("kind", gettext("消息类别应为：%(names)s") % {"names": names})])
    channels = set(channels)
    offered = rules.optional_channels(kind)
    if channels - offered:
        names = "、".join(str(rules.CHANNELS[c]) for c in sorted(offered)) or gettext("无")
        raise ValidationFailed(
            [
                FieldError(
                    "channels",
                    gettext("“%(KINDS)s”可选的接收渠道为：%(names)s") % {"KINDS": rules.KINDS[kind], "names": names},
                )
            ]
        )
    preference, _ = Preference.objects.update_or_create(user=user, kind=kind, defaults={"channels": sorted(channels)})
    return preference
