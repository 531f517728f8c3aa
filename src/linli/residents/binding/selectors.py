"""Reads of 实名认证 and 更正申请: the resident's own (their account, their household) and the review queue of
the offices (scoped through accounts.scope, capability from accounts.roles.RESIDENTS)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from linli.accounts.roles import RESIDENTS, REVIEW_RESIDENTS, VIEW_RESIDENT_REVIEWS, can
from linli.accounts.scope import get_or_404, registry_path, within
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pii import mask_id_number, mask_phone
from linli.people.models import Household, Person

from .. import rules
from ..models import BindingRequest, CorrectionRequest, Resident
from ..selectors import resident_of


class NotBound(DomainError):
    """What belongs to a bound resident (their household, their record) does not exist before 实名认证: 404."""

    status = 404

    def __init__(self):
        super().__init__(_("请先完成实名认证"))


def may_view_reviews(user) -> bool:
    return can(user, RESIDENTS, VIEW_RESIDENT_REVIEWS)


def may_review(user) -> bool:
    return can(user, RESIDENTS, REVIEW_RESIDENTS)


def check_view_reviews(user) -> None:
    if not may_view_reviews(user):
        raise PermissionDenied(_("您的角色不能查看居民实名认证与更正申请"))


# ---------------------------------------------------------------- the resident's own


def bound_resident(user) -> Resident:
    """The signed-in resident, bound to a person (NotBound before 实名认证)."""
    resident = resident_of(user)
    if resident.person_id is None:
        raise NotBound()
    return resident


@dataclass
class BindingState:
    resident: Resident
    pending: BindingRequest | None  # waiting for the community
    last: BindingRequest | None  # the latest decided or withdrawn request, to show a refusal's reason

    @property
    def bound(self) -> bool:
        return self.resident.person_id is not None


def binding_state(user) -> BindingState:
    resident = resident_of(user)
    requests = list(BindingRequest.objects.filter(resident=resident).select_related("person").order_by("-id")[:2])
    pending = next((r for r in requests if r.status == rules.Status.PENDING), None)
    last = next((r for r in requests if r.status != rules.Status.PENDING), None)
    return BindingState(resident, pending, last)


@dataclass
class Member:
    """A member of the resident's household as the resident sees them: their own row unmasked, others masked."""

    name: str
    relationship: str
    gender: str
    birth_year: int | None
    id_number: str
    phone: str
    is_self: bool
    is_head: bool


@dataclass
class MyHousehold:
    person: Person
    household: Household | None
    address: str  # estate, building, unit, house (or the address on file outside a household)
    grid: str
    members: list[Member]


def _member(p: Person, me: Person, head_id: int | None) -> Member:
    own = p.pk == me.pk
    return Member(
        name=p.name,
        relationship=p.get_relationship_display(),
        gender=p.get_gender_display(),
        birth_year=p.birth_date.year if p.birth_date else None,
        id_number=p.id_number if own else mask_id_number(p.id_number),
        phone=p.phone if own else mask_phone(p.phone),
        is_self=own,
        is_head=p.pk == head_id,
    )


def my_household(user) -> MyHousehold:
    """我的家庭: the bound person's household, its house and members, in three queries whatever its size."""
    resident = bound_resident(user)
    me = Person.objects.select_related("grid", "household__house__unit__building__estate").get(pk=resident.person_id)
    household = me.household
    if household is None:
        return MyHousehold(me, None, house_of(me), me.grid.name, [_member(me, me, None)])
    rows = [_member(p, me, household.head_id) for p in household.members.order_by("id")]
    rows.sort(key=lambda m: (not m.is_head, not m.is_self))
    return MyHousehold(me, household, house_of(me), me.grid.name, rows)


def my_corrections(user) -> QuerySet:
    resident = resident_of(user)
    return CorrectionRequest.objects.filter(resident=resident).order_by("-id")


def my_correction(user, pk: int) -> CorrectionRequest:
    return get_or_404(my_corrections(user), pk=pk)


# ---------------------------------------------------------------- the offices' review queue


def _scoped(qs: QuerySet, user) -> QuerySet:
    check_view_reviews(user)
    return within(qs, registry_path(user), "person__grid")


_PERSON = Prefetch("person", queryset=Person.objects.select_related("grid", "household__house__unit__building__estate"))


def _bindings(user) -> QuerySet:
    # Bindings made at once (no reason to wait) are not the offices' work: the queue never lists them.
    qs = _scoped(BindingRequest.objects.exclude(why=rules.Why.NONE), user)
    return qs.select_related("resident", "decided_by").prefetch_related(_PERSON)


def _corrections(user) -> QuerySet:
    return (
        _scoped(CorrectionRequest.objects.all(), user)
        .select_related("resident", "decided_by")
        .prefetch_related(_PERSON)
    )


def _ordered(qs: QuerySet, status: str) -> QuerySet:
    """Pending oldest first (first come, first served); decided newest decision first."""
    qs = qs.filter(status=status)
    return qs.order_by("created_at", "id") if status == rules.Status.PENDING else qs.order_by("-decided_at", "-id")


def binding_queue(*, user, status: str = rules.Status.PENDING) -> QuerySet:
    return _ordered(_bindings(user), status)


def binding_get(*, user, pk: int) -> BindingRequest:
    return get_or_404(_bindings(user), pk=pk)


def correction_queue(*, user, status: str = rules.Status.PENDING) -> QuerySet:
    return _ordered(_corrections(user), status)


def correction_get(*, user, pk: int) -> CorrectionRequest:
    return get_or_404(_corrections(user), pk=pk)


def pending_counts(*, user) -> dict[str, int]:
    return {
        "bindings": binding_queue(user=user).count(),
        "corrections": correction_queue(user=user).count(),
    }


def house_of(person: Person) -> str:
    household = person.household
    if household is None:
        return person.current_address or _("（未登记在户）")
    house = household.house
    building = house.unit.building
    return _("%(name)s %(number)s号楼%(number2)s单元%(number3)s") % {
        "name": building.estate.name,
        "number": building.number,
        "number2": house.unit.number,
        "number3": house.number,
    }


def value_label(field: str, value: str) -> str:
    """A stored value as people read it: the label of a choice, a phone masked (the queue shows no full number)."""
    if not value:
        return _("（空）")
    if field == "phone":
        return mask_phone(value)
    choices = dict(Person._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


# ---------------------------------------------------------------- what a request shows (the API and the pages alike)


def _decision(r) -> dict:
    return {
        "status": r.status,
        "status_label": rules.STATUS_LABELS[rules.Status(r.status)],
        "created_at": r.created_at,
        "decided_at": r.decided_at,
        "decided_by": r.decided_by.display_name if r.decided_by_id else "",
        "note": r.note,
    }


def binding_view(r: BindingRequest) -> dict:
    """What the reviewer may check, masked: the person on file (name, masked ID and phone, house) beside the
    applicant's masked phone, and why the request waits."""
    p = r.person
    return {
        "id": r.pk,
        **_decision(r),
        "why": r.why,
        "why_label": rules.WHY_LABELS[rules.Why(r.why)],
        "name": p.name,
        "id_number": mask_id_number(p.id_number),
        "phone_on_file": mask_phone(p.phone),
        "applicant_phone": mask_phone(r.resident.phone),
        "house": house_of(p),
        "grid": p.grid.name,
    }


def correction_view(r: CorrectionRequest, *, current: bool = True) -> dict:
    """A correction as a list of changes, each with its value when asked, its new value and (for the reviewer)
    the value on file now, labels for choices and phones masked."""
    p = r.person
    changes = [
        {
            "field": c.field,
            "label": c.label,
            "old": value_label(c.field, c.old),
            "new": value_label(c.field, c.new),
            **({"now": value_label(c.field, getattr(p, c.field))} if current else {}),
        }
        for c in r.changes
    ]
    return {"id": r.pk, **_decision(r), "name": p.name, "house": house_of(p), "grid": p.grid.name,
            "reason": r.reason, "changes": changes}  # fmt: skip


def correctable_choices() -> dict[str, list[tuple[str, str]]]:
    """The choices of the correctable fields that have them (education, employment…), as the registry names them."""
    return {
        f: [(str(v), str(label)) for v, label in Person._meta.get_field(f).flatchoices]
        for f in rules.CORRECTABLE
        if Person._meta.get_field(f).choices
    }


def person_values(person: Person) -> dict[str, str]:
    """The person's correctable fields as stored: what a correction form starts from."""
    return {f: getattr(person, f) or "" for f in rules.CORRECTABLE}
