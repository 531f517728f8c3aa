"""我的反映 in the demo: each resident's account gets a few of the year's online reports as their own (filed from the
account, with its phone), and the messages the notification service sent them as those cases were dispatched, fed
back and closed; the older ones read. Runs after the residents' accounts exist (the demo phone's included)."""

import random
from datetime import datetime, timedelta

from django.db.models import Q

from linli.cases import rules
from linli.cases.models import Case, CaseEvent
from linli.cases.services import subject
from linli.notifications import rules as notification_rules
from linli.notifications.models import Delivery, Message
from linli.residents.models import Resident
from linli.residents.reports.services import link, message

REPORTS_EACH = (1, 3)  # how many reports a resident has, at least and at most
READ_AFTER = timedelta(days=7)  # messages older than this have been read


def build(*, seed: int, now: datetime) -> str:
    rng = random.Random(f"{seed}:residents-reports")
    residents = list(Resident.objects.select_related("person__grid").order_by("pk"))
    if not residents:
        return "我的反映 reports: 没有居民账号 no resident accounts"
    followed = Q(state__in=rules.WITH_DEPARTMENT | {rules.FEEDBACK, rules.CLOSED})
    online = Case.objects.filter(followed, channel=Case.Channel.ONLINE, reporter_account=None).order_by("pk")
    ids = list(online.values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, min(len(ids), len(residents) * REPORTS_EACH[1] * 4)))  # over the whole year
    pool: dict[int | None, list[Case]] = {}
    for case in Case.objects.filter(pk__in=chosen).order_by("pk"):
        pool.setdefault(case.community_id, []).append(case)
    taken: list[Case] = []
    for resident in residents if pool else ():
        # A bound resident reports in their own community, where the demo has cases there.
        home = resident.person.grid.parent_id if resident.person_id else None
        cases = pool.get(home) or max(pool.values(), key=len)  # emptied pools stay: max finds the fullest
        for _ in range(min(rng.randint(*REPORTS_EACH), len(cases))):
            case = cases.pop(rng.randrange(len(cases)))
            case.reporter_phone, case.reporter_phone_hash = resident.phone, resident.phone_hash
            case.reporter_account_id = resident.user_id
            taken.append(case)
    Case.objects.bulk_update(taken, ["reporter_phone", "reporter_phone_hash", "reporter_account"], batch_size=500)
    told = _messages(taken, now)
    return f"我的反映 reports: {len(residents)} 个居民 residents, {len(taken)} 件反映 reports, {told} 条消息 messages"


def _messages(cases: list[Case], now: datetime) -> int:
    by_id = {c.pk: c for c in Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("lead_department")}
    steps = CaseEvent.objects.filter(case_id__in=by_id, action__in=rules.REPORTER_MESSAGES).order_by("case_id", "seq")
    messages, deliveries = [], []
    for event in steps:
        case = by_id[event.case_id]
        template, context = message(case, event)
        title, body, _ = notification_rules.render(template, context)
        messages.append(Message(
            user_id=case.reporter_account_id, template=template, title=title, body=body, link=link(case),
            subject=subject(case.pk), created_at=event.at, read_at=event.at if now - event.at > READ_AFTER else None,
        ))  # fmt: skip
        deliveries.append(Delivery(
            user_id=case.reporter_account_id, template=template, channel=notification_rules.INBOX, status="sent",
            created_at=event.at,
        ))  # fmt: skip
    Message.objects.bulk_create(messages, batch_size=500)
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    return len(messages)
