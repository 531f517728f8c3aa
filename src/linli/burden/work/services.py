"""Work that modules give communities, checked against the district's lists where it arrives.

Each module that assigns work to a community (a campaign plan's task units, a survey's areas) calls `admit` in its own
transaction, with the basis the assigning office chose: an item of the two lists, an access application, or none.
The row written here (`WorkRequest`) says whether the community sees the work: held work (待准入) stays out of its
view until an application covering it is approved (the application's decision moves the linked rows:
`burden.access.services.settle_work`).
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from linli.core.errors import FieldError, ValidationFailed
from linli.regions.models import Region

from .. import selectors as burden_selectors
from ..models import AccessApplication, DutyItem, WorkRequest
from . import rules

KEEP = object()  # admit(basis=KEEP): an existing row keeps its basis and state


def _basis_error(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("basis", message)])


def basis_resolve(value: str | None) -> DutyItem | AccessApplication | None:
    """The list item or application a form's or API's basis key names ("item:3", "access:7", "" for none)."""
    try:
        parsed = rules.parse_basis(value)
    except ValueError:
        raise _basis_error(gettext("依据格式不正确，应选择清单事项或准入申请")) from None
    if parsed is None:
        return None
    kind, pk = parsed
    model = DutyItem if kind == rules.ITEM else AccessApplication
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise _basis_error(gettext("所选依据不存在"))
    return found


def _state_for(basis, community: Region, district_id: int | None, today: date) -> tuple[str, dict]:
    """The state of work for `community` under `basis`, and the FK values to store; refuses a basis of another
    district, a retired item, or an application that does not cover the community."""
    if basis is None:
        return rules.HELD, {"duty_item": None, "access": None}
    if basis.district_id != district_id:
        raise _basis_error(gettext("所选依据不属于该社区所在的区"))
    if isinstance(basis, DutyItem):
        if not basis.active:
            raise _basis_error(gettext("清单事项“%(title)s”已停用，不能作为依据") % {"title": basis.title})
        return rules.work_state(item_active=True), {"duty_item": basis, "access": None}
    communities = [c.pk for c in basis.communities.all()]
    if not rules.covers(communities=communities, community=community.pk, starts_on=basis.starts_on,
                        ends_on=basis.ends_on, today=today):  # fmt: skip
        raise _basis_error(
            gettext("准入申请“%(title)s”不涵盖%(name)s或不在其期限内") % {"title": basis.title, "name": community.name}
        )
    if basis.state not in rules.PENDING and basis.state != rules.burden_rules.APPROVED:
        raise _basis_error(gettext("准入申请“%(title)s”未获批准，不能作为依据") % {"title": basis.title})
    return rules.work_state(access_state=basis.state), {"duty_item": None, "access": basis}


def _requester_name(org, office) -> str:
    return (org.name if org is not None else office.name if office is not None else "")[:100]


def admit(*, user, community: Region, kind: str, source: str, source_id: int, title: str,
          requester_org=None, requester_office: Region | None = None, basis=KEEP,
          today: date | None = None) -> WorkRequest | None:  # fmt: skip
    """Record work given to `community` and decide from `basis` whether the community sees it.

    Called inside the assigning module's transaction, after its own permission check. `basis` is a DutyItem, an
    AccessApplication (approved: admitted; still being decided: held and linked, so its decision moves the work), or
    None (待准入). Nothing is recorded (None) while the community's district has no lists yet: there is nothing to
    check the work against. For a row already there (the same source row and community), the title and requester
    follow the module, and the basis changes only when given (`KEEP` by default leaves it)."""
    if kind not in rules.burden_rules.WORK_KIND_LABELS:
        raise ValueError(kind)
    if (requester_org is None) == (requester_office is None):
        raise ValueError("admit needs exactly one of requester_org and requester_office")
    today = today or timezone.localdate()
    district = burden_selectors.district_of(community)
    if not rules.enforced(has_lists=district is not None and burden_selectors.has_lists(district.pk)):
        return None
    row = WorkRequest.objects.select_for_update().filter(source=source, source_id=source_id, community=community)
    row = row.first()
    values = {"kind": kind, "title": title[:200], "organization": requester_org, "office": requester_office,
              "requester": _requester_name(requester_org, requester_office)}  # fmt: skip
    if row is None or basis is not KEEP:
        state, links = _state_for(None if basis is KEEP else basis, community, district and district.pk, today)
        if row is not None and row.state == state and row.duty_item_id == getattr(links["duty_item"], "pk", None) \
                and row.access_id == getattr(links["access"], "pk", None):  # fmt: skip
            links = {}
        else:
            values |= links | {"state": state, "decided_at": timezone.now() if state != rules.HELD else None}
    if row is None:
        return WorkRequest.objects.create(community=community, source=source, source_id=source_id, asked_by=user,
                                          **values)  # fmt: skip
    for k, v in values.items():
        setattr(row, k, v)
    row.save()
    return row


def forget(*, source: str, source_ids, community_ids=None) -> int:
    """The module's rows are gone (a task deleted, a unit removed, a community's last survey area deleted): so is
    the work they gave (only that of `community_ids`, when given)."""
    qs = WorkRequest.objects.filter(source=source, source_id__in=list(source_ids))
    if community_ids is not None:
        qs = qs.filter(community_id__in=list(community_ids))
    deleted, _ = qs.delete()
    return deleted


def forget_elsewhere(*, source: str, source_id: int, community_ids) -> int:
    """One module row now gives work only to `community_ids` (a queryset of ids will do): the others' goes."""
    qs = WorkRequest.objects.filter(source=source, source_id=source_id).exclude(community_id__in=community_ids)
    deleted, _ = qs.delete()
    return deleted
