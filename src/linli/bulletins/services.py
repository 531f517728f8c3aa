"""Writes of bulletins and scoring schemes: the district and street offices (roles.ISSUE_BULLETINS), for a region
in their subtree."""

from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles
from linli.cases.supervision import selectors as indicators
from linli.cases.supervision.rules import GROUP_LABELS
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.locks import hold
from linli.notifications.services import notify, subject_read
from linli.regions.selectors import region_get

from . import rules, selectors
from .models import Bulletin, Entry, ScoringScheme

REFUSED = gettext_lazy("只有区、街道的工作人员可以发布考核通报和设置计分办法")


def check_issuer(user) -> None:
    if not roles.can(user, roles.CASES, roles.ISSUE_BULLETINS):
        raise PermissionDenied(REFUSED)


def _office(user, region: int):
    """The region, in the user's scope (404 otherwise), if it is an office that assesses units below it."""
    node = region_get(user=user, pk=region)
    if node.level not in selectors.ISSUING_LEVELS:
        raise ValidationFailed([FieldError("region", _("通报范围和计分办法只能设在街道及以上的区域"))])
    return node


@transaction.atomic
def scheme_set(*, user, region: int, scheme: rules.Scheme, version: int | None) -> ScoringScheme:
    """The scoring scheme of `region` (and its subtree, unless a region below has its own). `version` is the
    version edited, None for a region without a scheme of its own yet."""
    check_issuer(user)
    node = _office(user, region)
    errors = rules.scheme_errors(scheme)
    if errors:
        raise ValidationFailed([FieldError(f, m) for f, m in errors])
    row = ScoringScheme.objects.select_for_update().filter(region=node).first()
    if (row.version if row else None) != version:
        raise Conflict(_("计分办法已被他人修改，请刷新后重试"))
    stored = selectors.scheme_json(scheme)
    if row is None:
        return ScoringScheme.objects.create(region=node, updated_by=user, **stored)
    row.weights, row.deductions, row.caps, row.floor = (stored[k] for k in ("weights", "deductions", "caps", "floor"))
    row.version += 1
    row.updated_by = user
    row.save()
    return row


def _deduction_json(d: rules.Deduction) -> dict:
    return {**asdict(d), "each": str(d.each), "points": str(d.points)}


def _json_values(values) -> dict:
    return {k: None if v is None else str(v) for k, v in asdict(values).items()}


@transaction.atomic
def bulletin_issue(
    *, user, region: int, month: date, group: str, issuer: str = "", number: str = "", today: date | None = None
) -> Bulletin:
    """The 通报 of `region` for `month`: each unit's counts and rates (the indicator report's, for the cases received
    that month), its score under the scheme applying to the region, its rank and its deductions. Issuing the same
    region, month and grouping again replaces the earlier bulletin."""
    check_issuer(user)
    node = _office(user, region)
    first, last = rules.month_bounds(month)
    if last >= (today or timezone.localdate()):
        raise ValidationFailed([FieldError("month", _("只能通报已经结束的月份"))])
    if group not in GROUP_LABELS:
        raise ValidationFailed([FieldError("group", _("通报对象应为部门、街道或社区"))])
    report = indicators.indicator_report(user=user, group=group, first=first, last=last, region=node.pk)
    scheme = selectors.as_scheme(selectors.scheme_row(node))
    units = rules.ranked([
        rules.Unit(row.key, row.name, row.counts, row.values, rules.score(row.counts, row.values, scheme))
        for row in report.rows
        if row.key is not None  # cases not yet dispatched or located belong to no unit
    ])  # fmt: skip
    # Two offices issuing the same bulletin at once take turns: the second replaces the first.
    hold(f"bulletin:{node.pk}:{first.isoformat()}:{group}")
    Bulletin.objects.filter(region=node, month=first, group=group).delete()
    bulletin = Bulletin.objects.create(
        region=node, month=first, group=group, issuer=issuer.strip() or node.name, number=number.strip(),
        scheme=selectors.scheme_json(scheme), issued_by=user,
    )  # fmt: skip
    Entry.objects.bulk_create(
        Entry(
            bulletin=bulletin,
            position=n,
            unit_id=u.key,
            name=u.name,
            counts=asdict(u.counts),
            rates=_json_values(u.values),
            base=u.score.base,
            deducted=u.score.deducted,
            score=u.score.total,
            rank=u.rank,
            deductions=[_deduction_json(d) for d in u.score.deductions],
        )  # fmt: skip
        for n, u in enumerate(units, start=1)
    )
    _tell_units(bulletin, units)
    return bulletin


def subject(bulletin_id: int) -> str:
    return f"bulletins.bulletin:{bulletin_id}"


def _tell_units(bulletin: Bulletin, units: list[rules.Unit]) -> None:
    """考核通报: the staff of every unit it ranks are told their standing, in the issue's transaction; those who may
    read bulletins get a link to it (departments read their figures in the message only)."""
    month, group = bulletin.month, bulletin.get_group_display()
    name = _("%(year)s年%(month)s月%(name)s%(group)s考核通报") % {
        "year": month.year,
        "month": month.month,
        "name": bulletin.region.name,
        "group": group,
    }
    ranked = sum(1 for u in units if u.rank is not None)
    link = reverse("bulletins:detail", args=[bulletin.pk])
    staff = selectors.unit_staff(bulletin)
    for u in units:
        context = {"bulletin": name, "standing": rules.standing(u.score.total, u.rank, ranked)}
        told = staff.get(u.key, [])
        readers = [user for user in told if selectors.may_read(user)]
        for users, to in ((readers, link), ([user for user in told if user not in readers], "")):
            if users:
                notify(users, "bulletins.issued", context, link=to, subject=subject(bulletin.pk))


def bulletin_seen(*, user, bulletin: Bulletin) -> None:
    """The user has opened the bulletin: their message about it is read."""
    subject_read(user=user, subject=subject(bulletin.pk))


def monthly_bulletins(today: date | None = None) -> tuple[int, list[str]]:
    """Last month's bulletins, issued on the first of the month where the month before had one: for the same region
    and grouping, by the same issuer, in that user's name and scope, with the 发文字号 left for the office to fill.
    One issued already (by hand) is left alone. (issued, why each other was not issued)."""
    today = today or timezone.localdate()
    month = rules.last_month(today)
    issued_already = Bulletin.objects.filter(month=month, region=OuterRef("region"), group=OuterRef("group"))
    previous = (
        Bulletin.objects.filter(month=rules.last_month(month))
        .filter(~Exists(issued_already))
        .select_related("issued_by", "region")
        .order_by("region__path", "group")
    )
    issued, skipped = 0, []
    for prev in previous:
        what = _("%(name)s%(GROUP_LABELS)s考核通报") % {
            "name": prev.region.name,
            "GROUP_LABELS": GROUP_LABELS[prev.group],
        }
        user = prev.issued_by
        if user is None or not user.is_active:
            skipped.append(_("%(what)s：上一期的发文人已停用或删除，请手工发布") % {"what": what})
            continue
        try:
            bulletin_issue(user=user, region=prev.region_id, month=month, group=prev.group, issuer=prev.issuer,
                           today=today)  # fmt: skip
        except (DomainError, Http404) as e:  # the issuer lost the right or the region: an office decides
            skipped.append(f"{what}：{e}")
        else:
            issued += 1
    return issued, skipped
