"""Writes of volunteer activities (志愿服务活动): set-up by an office organising activities or by the resident who
leads the chosen team, publishing, editing (version, 409), cancelling; volunteers' sign-ups with a waiting list that
moves up when a place frees; the cut-off that cancels or flags an activity below its minimum; check-in and check-out
with the organiser's QR code or by hand; hours credited only on the organiser's confirmation, and corrections.

Every write that touches places locks the activity row first (select_for_update; on SQLite the IMMEDIATE
transaction), and the database refuses `taken` above `max_people`: concurrent sign-ups never overfill an activity.
"""

import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles, scope
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.notifications.services import notify
from linli.regions.models import Region

from .. import rules
from .. import selectors as scoped
from ..models import Activity, Correction, Credit, SignUp, Team, Volunteer
from . import selectors

NOT_ORGANISER = gettext_lazy("只有活动的组织者可以执行此操作")
NOT_VOLUNTEER = gettext_lazy("您还不是注册志愿者，请先在“我的志愿者”中注册")
CHECKIN_MINUTES = 15  # a QR code shown by the organiser opens the check-in this long
CHECKIN_EARLY = timedelta(hours=1)  # codes work from an hour before the start …
CHECKIN_LATE = timedelta(hours=2)  # … until two hours after the end (check-out)
_SALT = "linli.volunteers.checkin"

CONTENT = ("title", "kind", "description", "place", "longitude", "latitude", "starts_at", "ends_at", "signup_until",
           "min_people", "max_people", "on_short", "hours")  # fmt: skip


def _when(activity: Activity) -> str:
    return timezone.localtime(activity.starts_at).strftime(_("%-m月%-d日 %H:%M"))


def _content_errors(data: dict, *, taken: int = 0) -> list[FieldError]:
    errors = []
    if not (data.get("title") or "").strip():
        errors.append(FieldError("title", _("请填写活动名称")))
    if data.get("kind") not in rules.ACTIVITY_KINDS:
        errors.append(FieldError("kind", _("请选择活动类型")))
    if not (data.get("place") or "").strip():
        errors.append(FieldError("place", _("请填写活动地点")))
    if (data.get("longitude") is None) != (data.get("latitude") is None):
        errors.append(FieldError("latitude", _("地图位置须同时有经度和纬度")))
    starts, ends, until = data["starts_at"], data["ends_at"], data["signup_until"]
    if ends <= starts:
        errors.append(FieldError("ends_at", _("结束时间须晚于开始时间")))
    if until > starts:
        errors.append(FieldError("signup_until", _("报名截止时间不能晚于开始时间")))
    low, high = data["min_people"], data["max_people"]
    if low < 1:
        errors.append(FieldError("min_people", _("最少人数至少为1")))
    if high < max(low, 1):
        errors.append(FieldError("max_people", _("最多人数不能少于最少人数")))
    if high < taken:
        errors.append(FieldError("max_people", _("已有%(taken)s人报名，最多人数不能少于已报名人数") % {"taken": taken}))
    if high > 32767:
        errors.append(FieldError("max_people", _("最多人数过大")))
    if data.get("on_short") not in rules.ON_SHORT:
        errors.append(FieldError("on_short", _("请选择人数不足时的处理方式")))
    hours = data["hours"]
    if not Decimal("0") < hours <= rules.HOURS_MAX_PER_ACTIVITY:
        errors.append(FieldError("hours", _("每人计入时长须大于0小时、不超过24小时")))
    return errors


def _clean(data: dict) -> dict:
    data = {k: data[k] for k in CONTENT if k in data}
    for key in ("title", "description", "place"):
        data[key] = (data.get(key) or "").strip()
    data.setdefault("on_short", rules.SHORT_CANCEL)
    data["hours"] = Decimal(data["hours"]).quantize(Decimal("0.1"))
    return data


def _organised_region(user, *, region_id: int | None, team: Team | None) -> Region:
    """Where an activity set up by `user` belongs: an office organising activities sets it up in a region under
    its office (the team's, when one is chosen); a resident only for the team they lead, in the team's region."""
    if roles.is_resident(user):
        own = scoped.own_volunteer(user)
        if team is None or own is None or team.leader_id != own.pk:
            raise PermissionDenied(_("居民只能为自己担任队长的服务队组织活动"))
        return team.region
    if not roles.can(user, roles.VOLUNTEERS, roles.ORGANISE_ACTIVITIES):
        raise PermissionDenied()
    region = team.region if team is not None and region_id is None else None
    if region is None:
        if region_id is None:
            raise ValidationFailed([FieldError("region_id", _("请选择组织单位"))])
        region = scope.get_or_404(scope.office_regions(user), pk=region_id)
    if not scope.office_covers(user, region):
        raise PermissionDenied(_("只能在本单位辖区内组织活动"))
    related = (
        team is None or scope.contains(team.region.path, region.path) or scope.contains(region.path, team.region.path)
    )
    if not related:
        raise ValidationFailed([FieldError("team_id", _("服务队不属于该组织单位"))])
    return region


def _team(user, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    if roles.is_resident(user):
        return scope.get_or_404(Team.objects.select_related("region"), pk=team_id, active=True)
    return scope.get_or_404(scoped.team_queryset(user).select_related("region"), pk=team_id, active=True)


@transaction.atomic
def activity_create(*, user, region_id: int | None = None, team_id: int | None = None, **content) -> Activity:
    """A draft activity organised by `user` (see _organised_region for who may); published later."""
    team = _team(user, team_id)
    region = _organised_region(user, region_id=region_id, team=team)
    data = _clean(content)
    if errors := _content_errors(data):
        raise ValidationFailed(errors)
    activity = Activity.objects.create(
        region=region, team=team, organiser=user, created_by=user, checkin_key=secrets.token_hex(32), **data
    )
    return activity


def _locked(*, user, activity_id: int, version: int | None, states=(rules.DRAFT, rules.OPEN)) -> Activity:
    """The activity, locked, after checking the user sees it (404), organises it (403), the version the page showed
    (409) and its state."""
    scope.get_or_404(scoped.activity_queryset(user), pk=activity_id)
    activity = Activity.objects.select_for_update().select_related("region").get(pk=activity_id)
    if not scoped.organises(user, activity):
        raise PermissionDenied(NOT_ORGANISER)
    if version is not None and activity.version != version:
        raise Conflict()
    if activity.state not in states:
        raise Conflict(
            _("活动%(get_state_display)s，不能执行此操作") % {"get_state_display": activity.get_state_display()}
        )
    return activity


def _bump(activity: Activity, *fields: str) -> None:
    activity.version += 1
    activity.save(update_fields=["version", *fields])


def _audit(user, what: str, ids, detail: str) -> None:
    audit_record(actor=user, action=AuditEntry.Action.ADMIN, object_type=what, object_ids=ids, detail=detail)


@transaction.atomic
def activity_update(*, user, activity_id: int, version: int | None, **content) -> Activity:
    """Edits a draft or published activity; raising the maximum gives the new places to the waiting list."""
    activity = _locked(user=user, activity_id=activity_id, version=version)
    data = _clean({**{k: getattr(activity, k) for k in CONTENT}, **content})
    if errors := _content_errors(data, taken=activity.taken):
        raise ValidationFailed(errors)
    for key, value in data.items():
        setattr(activity, key, value)
    _bump(activity, *data)
    if activity.state == rules.OPEN:
        _promote(activity)
    return activity


@transaction.atomic
def activity_publish(*, user, activity_id: int, version: int | None, now: datetime | None = None) -> Activity:
    """发布: volunteers see the activity in the portal and sign up until the cut-off."""
    activity = _locked(user=user, activity_id=activity_id, version=version, states=(rules.DRAFT,))
    if activity.signup_until <= (now or timezone.now()):
        raise ValidationFailed([FieldError("signup_until", _("报名截止时间已过，请先修改时间再发布"))])
    activity.state = rules.OPEN
    _bump(activity, "state")
    return activity


def _cancel(activity: Activity, reason: str, now: datetime) -> None:
    live = list(activity.signups.exclude(state=rules.WITHDRAWN).values_list("volunteer__person__resident__user",
                                                                             flat=True))  # fmt: skip
    activity.signups.exclude(state=rules.WITHDRAWN).update(state=rules.WITHDRAWN, withdrawn_at=now)
    activity.state, activity.cancel_reason, activity.taken = rules.CANCELLED, reason, 0
    _bump(activity, "state", "cancel_reason", "taken")
    users = selectors.users_of([u for u in live if u])
    context = {"title": activity.title, "when": _when(activity), "reason": reason}
    notify(users, "activities.cancelled", context, link=_link(activity), subject=subject(activity.pk))


def subject(activity_id: int) -> str:
    return f"volunteers.activity:{activity_id}"


def _link(activity: Activity) -> str:
    return reverse("activities_portal:detail", args=[activity.pk])


@transaction.atomic
def activity_cancel(*, user, activity_id: int, version: int | None, reason: str, now: datetime | None = None
                    ) -> Activity:  # fmt: skip
    """取消: every sign-up is withdrawn and the volunteers are told why."""
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", _("请填写取消原因，报名的志愿者会收到"))])
    activity = _locked(user=user, activity_id=activity_id, version=version)
    _cancel(activity, reason.strip()[:200], now or timezone.now())
    _audit(user, "volunteers.Activity", [activity.pk], f"取消活动：{reason.strip()[:200]}")
    return activity


# ---- sign-ups


def _own(resident) -> Volunteer:
    volunteer = scoped.own_volunteer(resident.user)
    if volunteer is None:
        raise PermissionDenied(NOT_VOLUNTEER)
    if volunteer.state != rules.ACTIVE:
        raise Conflict(_("您的志愿者身份已暂停或退出，不能报名"))
    return volunteer


def _open_activity(activity_id: int) -> Activity:
    scope.get_or_404(scoped.portal_activities(), pk=activity_id)
    return Activity.objects.select_for_update().get(pk=activity_id)


@transaction.atomic
def signup_create(*, resident, activity_id: int, now: datetime | None = None) -> SignUp:
    """报名: a place while one is free, else the end of the waiting list (rules.placed)."""
    activity = _open_activity(activity_id)
    volunteer = _own(resident)
    if activity.state != rules.OPEN or (now or timezone.now()) >= activity.signup_until:
        raise Conflict(_("该活动不在报名期间"))
    if SignUp.objects.filter(activity=activity, volunteer=volunteer).exclude(state=rules.WITHDRAWN).exists():
        raise Conflict(_("您已报名该活动"))
    state = rules.placed(activity.taken, activity.max_people)
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(activity=activity, volunteer=volunteer, state=state)
    except IntegrityError:
        raise Conflict(_("您已报名该活动")) from None
    if state == rules.CONFIRMED:
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
    return signup


def _promote(activity: Activity, now: datetime | None = None) -> list[SignUp]:
    """Gives the free places of a locked activity to the first waiting sign-ups, and tells them."""
    activity.refresh_from_db(fields=["taken"])
    waiting = list(activity.signups.filter(state=rules.WAITING).order_by("id").values_list("id", flat=True))
    chosen = rules.promoted(waiting, activity.taken, activity.max_people)
    if not chosen:
        return []
    now = now or timezone.now()
    SignUp.objects.filter(pk__in=chosen).update(state=rules.CONFIRMED, promoted_at=now)
    Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + len(chosen))
    activity.refresh_from_db(fields=["taken"])
    promoted = list(SignUp.objects.filter(pk__in=chosen).order_by("id"))
    users = selectors.users_of(
        SignUp.objects.filter(pk__in=chosen).values_list("volunteer__person__resident__user", flat=True)
    )
    context = {"title": activity.title, "when": _when(activity)}
    notify(users, "activities.promoted", context, link=_link(activity), subject=subject(activity.pk))
    return promoted


@transaction.atomic
def signup_withdraw(*, resident, signup_id: int, now: datetime | None = None) -> SignUp:
    """取消报名 before the activity starts: a freed place goes to the first waiting volunteer, who is told."""
    # their own sign-ups only; a suspended volunteer may still cancel
    volunteer = scoped.own_volunteer(resident.user)
    signup = scope.get_or_404(SignUp.objects.filter(volunteer_id=getattr(volunteer, "pk", None)), pk=signup_id)
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup.refresh_from_db()
    now = now or timezone.now()
    if signup.state == rules.WITHDRAWN:
        raise Conflict(_("该报名已取消"))
    if activity.state != rules.OPEN or now >= activity.starts_at:
        raise Conflict(_("活动已开始或已结束，不能取消报名"))
    was = signup.state
    signup.state, signup.withdrawn_at = rules.WITHDRAWN, now
    signup.save(update_fields=["state", "withdrawn_at"])
    if was == rules.CONFIRMED:
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") - 1)
        _promote(activity, now)
    return signup


def cutoffs_apply(now: datetime | None = None) -> tuple[int, int]:
    """The periodic job's part: open activities whose sign-up has closed, not started yet, below their minimum,
    are cancelled (everyone told) or flagged `short` as their organiser chose. Idempotent: a cancelled activity is
    no longer open, a flagged one is no longer unflagged. Answers (cancelled, flagged)."""
    now = now or timezone.now()
    cancelled = flagged = 0
    due = Activity.objects.filter(
        state=rules.OPEN, short=False, signup_until__lte=now, starts_at__gt=now, taken__lt=F("min_people")
    )
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=pk)
            if activity.state != rules.OPEN or activity.short:
                continue
            outcome = rules.at_cutoff(activity.taken, activity.min_people, activity.on_short)
            if outcome == rules.SHORT_CANCEL:
                reason = _("报名截止时仅%(taken)s人报名，未达到最少%(min_people)s人") % {
                    "taken": activity.taken,
                    "min_people": activity.min_people,
                }
                _cancel(activity, reason, now)
                cancelled += 1
            elif outcome == rules.SHORT_FLAG:
                activity.short = True
                _bump(activity, "short")
                flagged += 1
    return cancelled, flagged


# ---- check-in and check-out


def _signer(activity: Activity) -> signing.TimestampSigner:
    return signing.TimestampSigner(key=settings.SECRET_KEY, salt=f"{_SALT}:{activity.checkin_key}")


def checkin_token(*, user, activity_id: int) -> str:
    """The code the organiser's page shows as a QR: signed with the activity's key, valid CHECKIN_MINUTES."""
    activity = scoped.activity_get(user, activity_id)
    if not scoped.organises(user, activity):
        raise PermissionDenied(NOT_ORGANISER)
    if activity.state != rules.OPEN:
        raise Conflict(_("只有已发布的活动可以签到"))
    return _signer(activity).sign(str(activity.pk))


@transaction.atomic
def checkin_renew(*, user, activity_id: int) -> Activity:
    """A new key: every code shown before stops working (a photo of the QR passed around)."""
    activity = _locked(user=user, activity_id=activity_id, version=None, states=(rules.OPEN,))
    activity.checkin_key = secrets.token_hex(32)
    activity.save(update_fields=["checkin_key"])
    return activity


BAD_CODE = gettext_lazy("签到码无效或已过期，请扫描组织者现场出示的二维码")


def checkin_activity(token: str) -> Activity:
    """The activity a scanned code opens (ValidationFailed when forged or expired)."""
    pk = token.split(":", 1)[0]
    activity = Activity.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if activity is None:
        raise ValidationFailed([FieldError("token", BAD_CODE)])
    try:
        _signer(activity).unsign(token, max_age=timedelta(minutes=CHECKIN_MINUTES))
    except signing.BadSignature:
        raise ValidationFailed([FieldError("token", BAD_CODE)]) from None
    return activity


def _check(signup: SignUp, activity: Activity, now: datetime) -> str:
    """Checks a confirmed sign-up in, or out when already in; answers which."""
    if signup.state != rules.CONFIRMED:
        raise Conflict(_("只有正式报名的志愿者可以签到"))
    if activity.state != rules.OPEN:
        raise Conflict(_("活动已结束或已取消，不能签到"))
    if not activity.starts_at - CHECKIN_EARLY <= now <= activity.ends_at + CHECKIN_LATE:
        raise Conflict(_("不在签到时间内（活动开始前1小时至结束后2小时）"))
    if signup.checked_in_at is None:
        signup.checked_in_at = now
        signup.save(update_fields=["checked_in_at"])
        return "in"
    if signup.checked_out_at is None:
        signup.checked_out_at = now
        signup.save(update_fields=["checked_out_at"])
        return "out"
    raise Conflict(_("您已签到并签退"))


@transaction.atomic
def checkin_scan(*, resident, token: str, now: datetime | None = None) -> tuple[SignUp, str]:
    """The volunteer's phone opened the organiser's code: check-in the first time, check-out the second."""
    activity = checkin_activity(token)
    volunteer = _own(resident)
    signup = SignUp.objects.filter(activity=activity, volunteer=volunteer, state=rules.CONFIRMED).first()
    if signup is None:
        raise Conflict(_("您没有正式报名该活动，不能签到"))
    return signup, _check(signup, activity, now or timezone.now())


@transaction.atomic
def checkin_by_hand(*, user, signup_id: int, now: datetime | None = None) -> tuple[SignUp, str]:
    """The organiser checks a volunteer in (or out) by hand: a phone without a camera, a volunteer without one."""
    signup = scope.get_or_404(SignUp.objects.filter(activity__in=scoped.activity_queryset(user)), pk=signup_id)
    activity = _locked(user=user, activity_id=signup.activity_id, version=None, states=(rules.OPEN,))
    return signup, _check(signup, activity, now or timezone.now())


# ---- hours


def _hours(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except ArithmeticError:
        raise ValidationFailed([FieldError(field, _("服务时长须是数字"))]) from None
    if not Decimal("0") <= hours <= rules.HOURS_MAX_PER_ACTIVITY:
        raise ValidationFailed([FieldError(field, _("服务时长须在0至24小时之间"))])
    return hours


def _add_hours(by_volunteer: dict[int, Decimal]) -> None:
    """Volunteer.hours += each one's hours, in one UPDATE per distinct amount (F: concurrent confirmations add)."""
    groups = defaultdict(list)
    for volunteer_id, hours in by_volunteer.items():
        if hours:
            groups[hours].append(volunteer_id)
    for hours, ids in groups.items():
        Volunteer.objects.filter(pk__in=ids).update(hours=F("hours") + hours)


@transaction.atomic
def hours_confirm(
    *, user, activity_id: int, version: int | None, hours: dict[int, object] | None = None,
    now: datetime | None = None,
) -> list[Credit]:  # fmt: skip
    """确认时长 after the activity has ended: each confirmed sign-up gets the activity's hours, or the hours given
    for it (`hours`: sign-up id → hours; None or 0 for a no-show, who gets no credit). Credits and the volunteers'
    totals are written in this one transaction, and the activity is finished."""
    activity = _locked(user=user, activity_id=activity_id, version=version, states=(rules.OPEN,))
    now = now or timezone.now()
    if now < activity.ends_at:
        raise Conflict(_("活动结束后才能确认服务时长"))
    given = hours or {}
    signups = list(activity.signups.filter(state=rules.CONFIRMED).order_by("id"))
    known = {s.pk for s in signups}
    if unknown := [k for k in given if int(k) not in known]:
        raise ValidationFailed(
            [FieldError("hours", _("报名记录%(unknown)s不是该活动的正式报名") % {"unknown": unknown[0]})]
        )
    credits, by_volunteer = [], {}
    for signup in signups:
        value = given[signup.pk] if signup.pk in given else given.get(str(signup.pk), activity.hours)
        h = _hours(value, "hours")
        if not h:
            continue
        credits.append(Credit(signup=signup, volunteer_id=signup.volunteer_id, activity=activity, hours=h,
                              confirmed_by=user, confirmed_at=now))  # fmt: skip
        by_volunteer[signup.volunteer_id] = h
    made = Credit.objects.bulk_create(credits)
    _add_hours(by_volunteer)
    activity.state = rules.FINISHED
    _bump(activity, "state")
    total = sum((c.hours for c in made), Decimal(0))
    _audit(user, "volunteers.Activity", [activity.pk], f"确认服务时长：{len(made)}人，共{total}小时")
    # Each volunteer is told their own hours: one message per distinct amount (most get the activity's).
    by_hours = defaultdict(list)
    for c in made:
        by_hours[c.hours].append(c.signup_id)
    for h, signup_ids in by_hours.items():
        people = SignUp.objects.filter(pk__in=signup_ids).values_list("volunteer__person__resident__user", flat=True)
        if users := selectors.users_of(people):
            notify(users, "activities.hours", {"title": activity.title, "hours": str(h)},
                   link=reverse("activities_portal:mine"), subject=subject(activity.pk))  # fmt: skip
    return made


@transaction.atomic
def credit_correct(*, user, credit_id: int, version: int | None, hours, reason: str) -> Correction:
    """更正 a confirmed credit: the change and its reason are kept (Correction), the volunteer's total follows."""
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", _("请填写更正原因"))])
    new = _hours(hours, "hours")
    if new is None:
        raise ValidationFailed([FieldError("hours", _("请填写更正后的时长"))])
    credit = scope.get_or_404(Credit.objects.filter(activity__in=scoped.activity_queryset(user)), pk=credit_id)
    activity = Activity.objects.select_for_update().get(pk=credit.activity_id)
    if not scoped.organises(user, activity):
        raise PermissionDenied(NOT_ORGANISER)
    credit = Credit.objects.select_for_update().get(pk=credit_id)
    if version is not None and credit.version != version:
        raise Conflict()
    old = credit.hours
    correction = Correction.objects.create(credit=credit, old_hours=old, new_hours=new, reason=reason.strip(),
                                           by=user)  # fmt: skip
    credit.hours, credit.version = new, credit.version + 1
    credit.save(update_fields=["hours", "version"])
    Volunteer.objects.filter(pk=credit.volunteer_id).update(hours=F("hours") + (new - old))
    _audit(user, "volunteers.Credit", [credit.pk], f"更正服务时长：{old}→{new}小时，原因：{reason.strip()[:150]}")
    return correction
