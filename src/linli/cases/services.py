"""Writes of the case engine: intake, every lifecycle action, the resident's rating, automatic escalation.

Each public function is one transaction. Lifecycle actions go through `case_act`, which asks rules.check whether
the actor may take the action from the case's state, applies its effects, bumps the version (a stale version
answers 409 and changes nothing) and appends the timeline entry with its photos.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import roles, scope
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core import uploads
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.pii import lookup_hash
from linli.notifications.services import notify, subject_read
from linli.organizations.models import Organization
from linli.people import rules as people_rules
from linli.people.selectors import house_get
from linli.regions.models import Region
from linli.regions.selectors import region_get
from linli.workdays import services as workdays

from . import access, catalogue, places, rules, signals
from .models import Assignment, Attachment, Case, CaseCounter, CaseEvent, Category, Open311Key
from .selectors import case_get, case_queryset, department_staff

MAX_PHOTOS = 6
MAX_EXTENSION_DAYS = 30
# The furthest a 缓办 may be expected to last: a heating season or a budget year.
MAX_DEFERRAL_DAYS = 366
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 2000


# ---------------------------------------------------------------- catalogue


@transaction.atomic
def catalogue_install(*, district: Region) -> int:
    """Departments of the district and the standard categories (catalogue.py). Idempotent: existing rows by
    name or code are kept as they are, so edits made in the admin survive a second run. Returns categories added.

    A handful of bulk queries rather than a get_or_create per row: every test of the case engine installs it."""
    departments = {
        o.name: o
        for o in Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, name__in=catalogue.DEPARTMENTS)
    }
    for o in Organization.objects.bulk_create(
        Organization(kind=Organization.Kind.DEPARTMENT, name=name, region=district)
        for name in catalogue.DEPARTMENTS
        if name not in departments
    ):
        departments[o.name] = o
    codes = [code for code, _, _ in catalogue.CATEGORIES] + [
        minor[0] for _, _, minors in catalogue.CATEGORIES for minor in minors
    ]
    existing = Category.objects.in_bulk(codes, field_name="code")
    majors = existing | {
        c.code: c
        for c in Category.objects.bulk_create(
            Category(code=code, name=name, sort=sort)
            for sort, (code, name, _) in enumerate(catalogue.CATEGORIES, start=1)
            if code not in existing
        )
    }
    leaves = [
        Category(
            code=leaf_code,
            parent=majors[code],
            name=leaf_name,
            department=departments.get(dept),
            priority=priority,
            response_limit=Decimal(str(response)),
            response_unit=rules.HOURS,
            handle_limit=Decimal(str(handle)),
            handle_unit=unit,
            requires_verification=on_site,
            sort=leaf_sort,
        )
        for code, _, minors in catalogue.CATEGORIES
        for leaf_sort, (leaf_code, leaf_name, dept, priority, response, handle, unit, on_site) in enumerate(minors)
        if leaf_code not in existing
    ]
    return len(Category.objects.bulk_create(leaves))


# ---------------------------------------------------------------- actors and photos


def actor_label(user) -> str:
    unit = user.organization or user.region
    return f"{user.display_name}（{unit}）" if unit else user.display_name


def validate_photos(files, field: str = "photos") -> list[uploads.Upload]:
    """Photos as JPEG, PNG or WebP of at most 5 MB each, at most six; core.uploads checks what each one is."""
    return uploads.check_all(
        files, uploads.PHOTOS, field=field, label=gettext("照片"), unit=gettext("张"), max_count=MAX_PHOTOS
    )


def _attach(case: Case, event: CaseEvent, photos: list[uploads.Upload]) -> None:
    for p in photos:
        a = Attachment(
            case=case,
            event=event,
            name=p.name[:200],
            content_type=p.content_type,
            size=p.file.size,
            width=p.width,
            height=p.height,
        )
        # Stored under a random name (the user's is kept in `name`): phones name every photo alike, and object
        # storage's check for a free name is not atomic, so two cases' photos saved at once could share one object.
        a.file.save(secrets.token_hex(12) + p.kind.extensions[0], p.file, save=False)
        a.save()


def _event(case: Case, *, action, from_state, actor, label, at, note="", data=None, photos=()) -> CaseEvent:
    last = case.events.order_by("-seq").values_list("seq", flat=True).first() or 0
    event = CaseEvent.objects.create(
        case=case,
        seq=last + 1,
        action=action,
        from_state=from_state,
        to_state=case.state,
        actor=actor,
        actor_label=label,
        at=at,
        note=note,
        data=data or {},
        public=rules.TRANSITIONS[action].public,
    )
    _attach(case, event, photos)
    return event


# ---------------------------------------------------------------- intake


def _text(data: dict, field: str, label: str, max_length: int, errors: list, *, required=False, min_length=0) -> str:
    value = data.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(FieldError(field, gettext("%(label)s应为文本") % {"label": label}))
        return ""
    value = value.strip()
    if required and not value:
        errors.append(FieldError(field, gettext("请填写%(label)s") % {"label": label}))
    elif value and len(value) < min_length:
        errors.append(
            FieldError(field, gettext("%(label)s至少%(min_length)s个字") % {"label": label, "min_length": min_length})
        )
    elif len(value) > max_length:
        errors.append(
            FieldError(
                field, gettext("%(label)s不能超过%(max_length)s个字") % {"label": label, "max_length": max_length}
            )
        )
    return value


def _point(data: dict, errors: list) -> tuple[Decimal | None, Decimal | None]:
    lat, lng = data.get("latitude"), data.get("longitude")
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        lat, lng = Decimal(str(lat)).quantize(Decimal("0.000001")), Decimal(str(lng)).quantize(Decimal("0.000001"))
        if not (lat.is_finite() and lng.is_finite()):  # NaN passes quantize and then fails every comparison
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(FieldError("latitude", gettext("位置坐标应为数字（纬度、经度都要填写）")))
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors.append(FieldError("latitude", gettext("位置坐标超出范围")))
        return None, None
    return lat, lng


def _leaf_category(category_id, errors: list) -> Category | None:
    category = None
    if isinstance(category_id, int | str) and str(category_id).isdecimal():
        category = Category.objects.filter(pk=int(category_id), active=True, parent__isnull=False).first()
    if category is None:
        errors.append(FieldError("category_id", gettext("请选择有效的事件小类")))
    return category


def _place(user, data: dict, lat, lng, errors: list):
    """(region, house) from a house of the registry, an explicit region node, or the point on the map."""
    house_id, region_id = data.get("house_id"), data.get("region_id")
    if house_id:
        if user is None:
            errors.append(FieldError("house_id", gettext("公众上报不能指定房屋")))
            return None, None
        try:
            house = house_get(user=user, pk=int(house_id))
        except Exception:  # noqa: BLE001 - not found, out of scope and malformed all mean the same to the user
            errors.append(FieldError("house_id", gettext("房屋不存在或不在您的管辖范围内")))
            return None, None
        return house.grid, house
    if region_id and user is not None:
        try:
            node = region_get(user=user, pk=int(region_id))
        except Exception:  # noqa: BLE001
            errors.append(FieldError("region_id", gettext("区域不存在或不在您的管辖范围内")))
            return None, None
        if node.level < Region.Level.COMMUNITY:
            errors.append(FieldError("region_id", gettext("请选择到社区或网格")))
            return None, None
        return node, None
    if lat is not None:
        node = places.region_at(lat, lng)
        if node is None:
            errors.append(FieldError("latitude", gettext("该位置不在本平台的服务范围内，请在地图上重新选择")))
        elif user is not None and not scope.covers(user, node):
            # As with a region or a house: staff register cases of their own region, which they then see.
            errors.append(FieldError("latitude", gettext("该位置不在您的管辖范围内，请在地图上重新选择")))
            return None, None
        return node, None
    errors.append(FieldError("location", gettext("请选择房屋、所属区域或在地图上标出位置")))
    return None, None


def _ancestors(region: Region) -> tuple[Region | None, Region | None]:
    """(community, street) of a community-or-grid node, read through the path prefix of its code."""
    nodes = scope.ancestors_or_self(region.path).filter(level__in=(Region.Level.STREET, Region.Level.COMMUNITY))
    found = {r.level: r for r in nodes}
    return found.get(Region.Level.COMMUNITY), found.get(Region.Level.STREET)


def _next_number(year: int) -> str:
    for _ in range(2):
        if CaseCounter.objects.filter(year=year).update(last=F("last") + 1):
            return rules.case_number(year, CaseCounter.objects.get(year=year).last)
        try:
            with transaction.atomic():
                CaseCounter.objects.create(year=year, last=1)
            return rules.case_number(year, 1)
        except IntegrityError:  # another intake created the year's counter first; take the update path
            continue
    raise RuntimeError("case counter unavailable")


def ip_hash(address: str) -> str:
    return hmac.new(settings.PII_LOOKUP_KEY.encode(), f"ip:{address}".encode(), hashlib.sha256).hexdigest()


INTAKE_CHANNELS = {c.value for c in Case.Channel} - {Case.Channel.ONLINE, Case.Channel.OPEN311}


class _Intake(NamedTuple):
    category: Category
    description: str
    address: str
    reporter_name: str
    phone: str
    latitude: Decimal | None
    longitude: Decimal | None
    region: Region
    house: object
    photos: list[uploads.Upload]


def _intake_input(*, user, channel: str, data: dict, photos, open311_key: Open311Key | None) -> _Intake:
    if user is not None:
        if not roles.can(user, roles.CASES, roles.INTAKE):
            raise PermissionDenied(gettext("您无权受理事件"))
        if channel not in INTAKE_CHANNELS:
            raise ValidationFailed([FieldError("channel", gettext("请选择有效的来源渠道"))])
    elif channel not in (Case.Channel.ONLINE, Case.Channel.OPEN311):
        raise ValidationFailed([FieldError("channel", gettext("请选择有效的来源渠道"))])
    errors: list[FieldError] = []
    category = _leaf_category(data.get("category_id"), errors)
    description = _text(data, "description", gettext("问题描述"), DESCRIPTION_MAX, errors, required=True, min_length=5)
    address = _text(data, "address", gettext("地址"), 200, errors)
    reporter_name = _text(data, "reporter_name", gettext("反映人姓名"), 50, errors)
    # A resident reporting online must leave a phone to be called back; staff and Open311 clients answer for it.
    phone = _text(
        data, "reporter_phone", gettext("联系电话"), 20, errors, required=user is None and open311_key is None
    )
    if phone:
        try:
            phone = people_rules.validate_phone(phone)
        except people_rules.InvalidValue as exc:
            errors.append(FieldError("reporter_phone", str(exc)))
    point_errors = len(errors)
    lat, lng = _point(data, errors)
    region, house = _place(user, data, lat, lng, errors) if len(errors) == point_errors else (None, None)
    photos = validate_photos(photos) if not errors else []
    if errors:
        raise ValidationFailed(errors)
    return _Intake(category, description, address, reporter_name, phone, lat, lng, region, house, photos)


def case_check(*, user=None, channel: str, data: dict, photos=(), open311_key: Open311Key | None = None) -> None:
    """What case_create would refuse in this input, as one ValidationFailed naming every field, without writing:
    the public form checks the report along with its anti-spam question, so residents correct everything at once."""
    _intake_input(user=user, channel=channel, data=data, photos=photos, open311_key=open311_key)


def case_create(
    *,
    user=None,
    channel: str,
    data: dict,
    photos=(),
    reporter_ip: str = "",
    open311_key: Open311Key | None = None,
    now: datetime | None = None,
    kind: str = rules.EVENT,
    plan=None,
    estate=None,
    due_at: datetime | None = None,
    claim: Callable[[], None] | None = None,
    reporter_account=None,
) -> Case:
    """受理: register a new case in the state received. `user` None means the public (线上, Open311).
    `kind`, `plan`, `estate` and `due_at` (a deadline that dispatch keeps instead of the category's limits) come
    checked from the caller: campaigns.rectification registers findings (整改) through here. `claim` runs in the
    insert's transaction once the input is valid, and may refuse by raising: the public intakes count their rate
    limits and spend their anti-spam tokens there, so the count and the insert commit together. `reporter_account`
    is the signed-in resident who reports (the caller has put their own phone in `data`)."""
    now = now or timezone.now()
    checked = _intake_input(user=user, channel=channel, data=data, photos=photos, open311_key=open311_key)
    category, description, address, reporter_name, phone, lat, lng, region, house, photos = checked
    if house is not None and not address:
        address = str(house)
    community, street = _ancestors(region)
    with transaction.atomic():
        if claim is not None:
            claim()
        case = Case.objects.create(
            number=_next_number(timezone.localtime(now).year),
            tracking_code=rules.tracking_code(),
            channel=channel,
            category=category,
            priority=category.priority,
            description=description,
            address=address,
            house=house,
            building_id=house.unit.building_id if house is not None else None,
            latitude=lat,
            longitude=lng,
            region=region,
            community=community,
            street=street,
            reporter_name=reporter_name,
            reporter_phone=phone,
            reporter_phone_hash=lookup_hash(phone) if phone else "",
            reporter_ip_hash=ip_hash(reporter_ip) if reporter_ip else "",
            open311_key=open311_key,
            created_by=user,
            reporter_account=reporter_account,
            received_at=now,
            kind=kind,
            plan=plan,
            estate=estate,
            due_at=due_at,
        )
        label = actor_label(user) if user else (f"Open311：{open311_key.name}" if open311_key else gettext("反映人"))
        event = _event(case, action="receive", from_state="", actor=user, label=label, at=now, photos=photos)
        _changed(case, event)
    return case


# ---------------------------------------------------------------- lifecycle


class _Workdays:
    """rules.WorkingClock on the platform's calendar, read afresh at each step (an override may just have changed)."""

    def after(self, start: datetime, limit, unit: str) -> datetime:
        if unit == rules.DAYS:
            return workdays.deadline_after_working_days(start, int(limit))
        return workdays.deadline_after_working_hours(start, limit)

    def seconds(self, start: datetime, end: datetime) -> int:
        return workdays.working_seconds_between(start, end)


WORKDAYS = _Workdays()


def _department(value, field: str, errors: list) -> Organization | None:
    org = None
    if isinstance(value, int | str) and str(value).isdecimal():
        org = Organization.objects.filter(pk=int(value)).first()
    if org is None:
        errors.append(FieldError(field, gettext("请选择有效的处置单位")))
    return org


def _inputs(case: Case, action: str, user, params: dict, now: datetime) -> dict:
    """The action's own inputs to rules.effects, from the caller's parameters; raises ValidationFailed naming the
    parameter that is wrong."""
    if action == "dispatch":
        errors: list[FieldError] = []
        lead = _department(params.get("department_id") or case.category.department_id, "department_id", errors)
        assisting = []
        for value in params.get("assisting_ids") or []:
            org = _department(value, "assisting_ids", errors)
            if org is not None and org != lead and org not in assisting:
                assisting.append(org)
        if errors:
            raise ValidationFailed(errors)
        return {"lead": lead, "assisting": assisting}
    if action == "request_extension":
        days = params.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ValidationFailed(
                [
                    FieldError(
                        "days",
                        gettext("延期天数应为1至%(MAX_EXTENSION_DAYS)s个工作日")
                        % {"MAX_EXTENSION_DAYS": MAX_EXTENSION_DAYS},
                    )
                ]
            )
        return {"days": days}
    if action == "request_deferral":
        return {"resume_on": _resume_on(params.get("resume_on"), timezone.localdate(now))}
    if action == "supervise" and user is None:  # the system names its level; a user's is their role's
        return {"level": params.get("level")}
    if action == "rate":
        if params.get("rating") not in rules.RATING_LABELS:
            raise ValidationFailed([FieldError("rating", gettext("请选择满意、基本满意或不满意"))])
        return {"rating": params["rating"]}
    if action == "merge":
        return {"original": _merge_target(user, case, params.get("original_id"))}
    if action == "visit":
        return _visit_inputs(case, params)
    if action == "visit_try":
        return {"tries": settings.VISIT_TRIES}
    events = case.events.order_by("seq").values_list("action", "at")  # lazy: read for an extension only
    return rules.derived_inputs(action, roles.effective_role(user), events, case.dispatched_at)


def _resume_on(value, today: date) -> date:
    """The expected date work resumes on a 缓办: after `today`, within MAX_DEFERRAL_DAYS."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationFailed([FieldError("resume_on", gettext("请填写预计恢复办理日期（如2026-03-15）"))])
    if not today < value <= today + timedelta(days=MAX_DEFERRAL_DAYS):
        raise ValidationFailed(
            [
                FieldError(
                    "resume_on",
                    gettext("预计恢复办理日期应在今天之后的%(MAX_DEFERRAL_DAYS)s天以内")
                    % {"MAX_DEFERRAL_DAYS": MAX_DEFERRAL_DAYS},
                )
            ]
        )
    return value


def _record_dispatch(case: Case, action: str, at: datetime, changes: dict) -> None:
    """Keep the case's dispatches (rules.dispatch_record) beside its timeline."""
    record = rules.dispatch_record(action, at, changes)
    if record is None:
        return
    kind, values = record
    if kind == rules.NEW_DISPATCH:
        Assignment.objects.create(case=case, **values)
    else:
        current = Assignment.objects.filter(case=case, returned_at__isnull=True)
        current.update(**{name: Coalesce(name, Value(value)) for name, value in values.items()})


def _visit_inputs(case: Case, params: dict) -> dict:
    """回访's answers: solved or not, and the rating, asked only when the reporter has not rated this handling."""
    errors = []
    solved = params.get("solved")
    if not isinstance(solved, bool):
        errors.append(FieldError("solved", gettext("请选择反映的问题是否已解决")))
    rating = params.get("rating") or ""
    if case.rating and rating:
        errors.append(FieldError("rating", gettext("反映人已评价本次办理，无需再次评价")))
    elif not case.rating and rating not in rules.RATING_LABELS:
        errors.append(FieldError("rating", gettext("请选择满意、基本满意或不满意")))
    if errors:
        raise ValidationFailed(errors)
    return {"solved": solved, "rating": rating}


def _merge_target(user, case: Case, original_id) -> Case:
    original = None
    if isinstance(original_id, int | str) and str(original_id).isdecimal():
        original = case_queryset(user=user).filter(pk=int(original_id)).first()
    if original is None or original.pk == case.pk:
        raise ValidationFailed([FieldError("original_id", gettext("请选择要并入的原案件（须在您的管辖范围内）"))])
    if original.state in rules.NOT_COUNTED:
        state = original.get_state_display()
        raise ValidationFailed(
            [
                FieldError(
                    "original_id",
                    gettext("原案件%(number)s状态为「%(state)s」，不能并入")
                    % {"number": original.number, "state": state},
                )
            ]
        )
    return original


def _check(t_action: str, case: Case, caps) -> rules.Transition:
    try:
        return rules.check(t_action, case.facts(), caps)
    except rules.NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except rules.IllegalTransition as exc:
        raise DomainError(str(exc)) from exc


def _apply(case: Case, t: rules.Transition, *, actor, label, version, note, params, photos, now) -> Case:
    note = (note or "").strip()
    if t.note_required and not note:
        raise ValidationFailed([FieldError("note", gettext("请填写%(label)s的说明") % {"label": t.label})])
    if len(note) > DESCRIPTION_MAX:
        raise ValidationFailed(
            [FieldError("note", gettext("说明不能超过%(DESCRIPTION_MAX)s个字") % {"DESCRIPTION_MAX": DESCRIPTION_MAX})]
        )
    photos = validate_photos(photos)
    effect = rules.effects(t.action, case, now, WORKDAYS, **_inputs(case, t.action, actor, params, now))
    from_state = case.state
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=version)
        if not updated.update(**effect.changes, version=version + 1, updated_at=now):
            raise Conflict(gettext("案件已被他人处理，请刷新后重试"))
        for name, value in effect.changes.items():
            setattr(case, name, value)
        case.version = version + 1
        if effect.assisting is not None:
            case.assisting.set(effect.assisting)
        _record_dispatch(case, t.action, now, effect.changes)
        data = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in effect.data.items()}
        event = _event(case, action=t.action, from_state=from_state, actor=actor, label=label, at=now, note=note,
                       data=data, photos=photos)  # fmt: skip
        if t.action == "dispatch":
            _tell_departments(case, now)
        _changed(case, event)
    return case


def _changed(case: Case, event: CaseEvent) -> None:
    transaction.on_commit(
        lambda: signals.case_changed.send(sender=Case, case_id=case.pk, action=event.action, event_id=event.pk)
    )


def subject(case_id: int) -> str:
    """What the messages about a case are about (notifications' subject): opening the case marks them read."""
    return f"cases.case:{case_id}"


def _tell_departments(case: Case, now: datetime) -> None:
    """派遣: the staff of the lead department and of the assisting ones are told, in the dispatch's transaction."""
    parts = {**{o.pk: gettext("协办") for o in case.assisting.all()}, case.lead_department_id: gettext("主办")}
    staff = department_staff(list(parts))
    for org_id, part in parts.items():
        notify(
            [u for u in staff if u.organization_id == org_id],
            "cases.assigned",
            {"case_number": case.number, "category": case.category.name, "part": part},
            link=reverse("cases:detail", args=[case.pk]), subject=subject(case.pk), now=now,
        )  # fmt: skip


def case_opened(*, user, case: Case) -> None:
    """The user has opened the case: their messages about it (a 派遣 notice) are read."""
    subject_read(user=user, subject=subject(case.pk))


def case_act(*, user, case_id: int, action: str, version, note: str = "", photos=(), now=None, **params) -> Case:
    """One lifecycle action by a staff user. Out of scope: 404; not theirs to take: 403; not now: 400;
    stale version: 409. Nothing changes unless everything succeeds."""
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationFailed([FieldError("version", gettext("缺少版本号"))])
    now = now or timezone.now()
    with transaction.atomic():
        case = case_get(user=user, pk=case_id)
        # A stale version first: whoever acted first may have moved the state on, and the one who comes second
        # should learn that someone else acted, not that the action does not fit a state they never saw.
        if case.version != version:
            raise Conflict(gettext("案件已被他人处理，请刷新后重试"))
        t = _check(action, case, access.capabilities_of(user, case))
        case = _apply(
            case, t, actor=user, label=actor_label(user), version=version, note=note, params=params, photos=photos,
            now=now,
        )  # fmt: skip
    return case


def case_register_and_dispatch(
    *, user, case_id: int, version, department_id=None, assisting_ids=(), note: str = "", now=None
) -> tuple[Case, bool]:
    """立案 and 派遣 in one step, from the dispatcher's desk: a received case is registered and then dispatched (two
    timeline entries); if the dispatch fails, the registration is undone too, so the case stays as the dispatcher
    saw it. The note goes with the dispatch. Returns the case and whether it was registered here."""
    with transaction.atomic():
        registered = case_get(user=user, pk=case_id).state == rules.RECEIVED
        if registered:
            version = case_act(user=user, case_id=case_id, action="register", version=version, now=now).version
        case = case_act(user=user, case_id=case_id, action="dispatch", version=version, note=note, now=now,
                        department_id=department_id, assisting_ids=list(assisting_ids))  # fmt: skip
    return case, registered


class NotFound(DomainError):
    status = 404

    def __init__(self):
        super().__init__(gettext("未找到该案件，或不在您的管辖范围内"))


@dataclass(frozen=True)
class Dispatched:
    """What became of one case of a batch: dispatched (`case`, registered first or not), or refused (`error`)."""

    case_id: int
    number: str = ""  # "" for a case not found in the user's scope
    case: Case | None = None
    registered: bool = False
    error: DomainError | None = None


def cases_dispatch(*, user, cases, department_id=None, assisting_ids=(), now=None) -> list[Dispatched]:
    """派遣 of the cases ticked on the dispatcher's desk, (case id, version seen) each, registering received ones
    first. Each case is all or nothing; the others go on."""
    if not roles.can(user, roles.CASES, roles.DISPATCHER):
        raise PermissionDenied(gettext("只有街道、区级调度人员可以派遣案件"))
    if not cases:
        raise ValidationFailed([FieldError("cases", gettext("请先勾选要派遣的案件"))])
    result = []
    for pk, version in cases:
        try:
            case, registered = case_register_and_dispatch(
                user=user, case_id=pk, version=version, department_id=department_id, assisting_ids=assisting_ids,
                now=now,
            )  # fmt: skip
        except Http404:
            result.append(Dispatched(pk, error=NotFound()))
        except DomainError as exc:
            number = case_queryset(user=user).filter(pk=pk).values_list("number", flat=True).first() or ""
            result.append(Dispatched(pk, number, error=exc))
        else:
            result.append(Dispatched(pk, case.number, case, registered))
    return result


def public_rate(*, tracking_code: str, rating: str, note: str = "", now=None) -> Case:
    """回访评价 by the reporter, with the tracking code as the only credential; 不满意 reopens the case once."""
    return _resident_answer(
        tracking_code, "rate", {"rating": rating}, note, gettext("反映人评价不满意，案件重新办理"), now
    )


def public_visit(*, tracking_code: str, solved: bool, rating: str = "", note: str = "", now=None) -> Case:
    """回访 answered by the reporter online (the residents' portal), with the tracking code as the only credential:
    the same answers as the staff's call; 未解决 or 不满意 reopens the case once, as public_rate's 不满意 does."""
    params = {"solved": solved, "rating": rating}
    return _resident_answer(
        tracking_code, "visit", params, note, gettext("反映人回访答复未解决或不满意，案件重新办理"), now
    )


def _resident_answer(tracking_code: str, action: str, params: dict, note: str, reopened: str, now) -> Case:
    """The reporter's `action` on the case of `tracking_code`, and the reopening it may call for (note `reopened`)."""
    now = now or timezone.now()
    code = rules.normalise_tracking_code(tracking_code)
    with transaction.atomic():
        case = Case.objects.select_related("category", "region").filter(tracking_code=code).first()
        if case is None:
            raise ValidationFailed([FieldError("tracking_code", gettext("查询码不正确"))])
        case = _resident_act(case, action, note=note, params=params, now=now)
        if rules.reopens(case.facts()):
            case = _resident_act(case, "reopen", note=reopened, params={}, now=now)
    return case


def _resident_act(case: Case, action: str, *, note, params, now) -> Case:
    t = _check(action, case, {rules.RESIDENT})
    return _apply(
        case, t, actor=None, label=gettext("反映人"), version=case.version, note=note, params=params, photos=(), now=now
    )


def escalate_overdue(*, now=None) -> int:
    """Automatic 督办 of cases a department holds past their deadline (rules.escalation_deadline): unsigned past
    the 签收时限, or past the 处置时限. Run every working hour."""
    now = now or timezone.now()
    count = 0
    late = Q(due_at__lt=now) | Q(state=rules.DISPATCHED, response_due__lt=now)
    overdue = Case.objects.filter(late, state__in=rules.WITH_DEPARTMENT).select_related("category", "region")
    for case in overdue.iterator(chunk_size=500):
        name, deadline = rules.escalation_deadline(case.state, case.response_due, case.due_at)
        if deadline >= now:
            continue
        overdue_seconds = workdays.working_seconds_between(deadline, now)
        escalation = rules.escalation(overdue_seconds, workdays.working_day_seconds(), case.supervision_level, name)
        if escalation is None:
            continue
        level, note = escalation
        t = _check("supervise", case, {rules.SYSTEM})
        try:
            with transaction.atomic():
                _apply(
                    case,
                    t,
                    actor=None,
                    label=gettext("系统"),
                    version=case.version,
                    note=note,
                    params={"level": level},
                    photos=(),
                    now=now,
                )
        except Conflict:  # someone acted on it meanwhile; the next run looks again
            continue
        count += 1
    return count


# ---------------------------------------------------------------- the reporter's phone


def reporter_reveal(*, user, pk: int, purpose: str, request=None) -> dict:
    """The reporter's name and unmasked phone, for a stated purpose; every reveal is audited (PIPL)."""
    if not access.can_view_reporter(user):
        raise PermissionDenied(gettext("您没有查看反映人完整电话的权限"))
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ValidationFailed([FieldError("purpose", gettext("请填写查看用途"))])
    case = case_get(user=user, pk=pk)
    audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW_PII,
        object_type="case",
        object_ids=[case.pk],
        purpose=purpose,
        detail=f"案件{case.number}反映人电话",
        request=request,
    )
    return {"reporter_name": case.reporter_name, "reporter_phone": case.reporter_phone}
