"""Writes of owners' committees and 红色物业. Each checks that the user may record them (roles.COMMITTEES) and that the
estate, committee or Party organisation lies in their scope (404 otherwise); edits carry the version read (409)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from linli.accounts import scope
from linli.core.errors import Conflict, FieldError, ValidationFailed
from linli.notifications.services import notify

from . import rules, selectors
from .models import Committee, CommitteeMember, CommitteeReminder, CrossOffice, PartyOrganization


@dataclass(frozen=True)
class Member:
    person_id: int
    role: str
    party_member: bool = False


def _members(estate_id: int, members: list[Member]) -> list[CommitteeMember]:
    people = [m.person_id for m in members]
    errors = [FieldError("members", message) for message in rules.member_errors([m.role for m in members], people)]
    owners = selectors.owner_ids(estate_id, people)
    errors += [
        FieldError(
            "members",
            gettext("第%(i)s名委员不是本小区登记的业主（须在房屋登记中为本小区房屋的产权人）") % {"i": i},
            row=i,
        )
        for i, m in enumerate(members, 1)
        if m.person_id not in owners
    ]
    if errors:
        raise ValidationFailed(errors)
    return [CommitteeMember(person_id=m.person_id, role=m.role, party_member=m.party_member) for m in members]


def _dates(*, assembly_on: date, formed_on: date, filed_on: date | None, today: date) -> None:
    errors = []
    if assembly_on > formed_on:
        errors.append(FieldError("assembly_on", gettext("业主大会召开日期不能晚于成立日期")))
    if formed_on > today:
        errors.append(FieldError("formed_on", gettext("成立日期不能晚于今天")))
    if filed_on is not None and filed_on < formed_on:
        errors.append(FieldError("filed_on", gettext("备案日期不能早于成立日期")))
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def committee_form(
    *, user, estate_id: int, assembly_on: date, formed_on: date, members: list[Member], filed_on: date | None = None,
    filing_number: str = "", today: date | None = None,
) -> Committee:  # fmt: skip
    """A newly elected committee of an estate; the current one, if any, ends the day the new one is formed."""
    selectors.check_editor(user)
    estate = scope.get_or_404(selectors.estate_queryset(user=user).select_for_update(of=("self",)), pk=estate_id)
    _dates(assembly_on=assembly_on, formed_on=formed_on, filed_on=filed_on, today=today or timezone.localdate())
    rows = _members(estate.pk, members)
    previous = Committee.objects.filter(estate=estate, ended_on__isnull=True).select_for_update().first()
    if previous is not None:
        if formed_on <= previous.formed_on:
            raise ValidationFailed(
                [
                    FieldError(
                        "formed_on",
                        gettext("成立日期应晚于上一届的成立日期（%(formed_on)s）") % {"formed_on": previous.formed_on},
                    )
                ]
            )
        previous.ended_on = formed_on
        previous.version += 1
        previous.save(update_fields=["ended_on", "version"])
    committee = Committee.objects.create(
        estate=estate, region=estate.region, assembly_on=assembly_on, formed_on=formed_on,
        term_ends=rules.term_end(formed_on), filed_on=filed_on, filing_number=filing_number.strip(), created_by=user,
    )  # fmt: skip
    for row in rows:
        row.committee = committee
    CommitteeMember.objects.bulk_create(rows)
    return committee


def _locked(*, user, committee_id: int, version: int) -> Committee:
    selectors.check_editor(user)
    locked = selectors.committee_queryset(user=user).select_for_update(of=("self",))
    committee = scope.get_or_404(locked, pk=committee_id)
    if committee.version != version:
        raise Conflict()
    if committee.ended_on is not None:
        raise Conflict(gettext("这一届业主委员会已经终止，记录不能再修改"))
    return committee


@transaction.atomic
def committee_update(
    *, user, committee_id: int, version: int, members: list[Member], filed_on: date | None, filing_number: str,
) -> Committee:  # fmt: skip
    """The current committee's filing (备案) and members (a by-election, a member stepping down)."""
    committee = _locked(user=user, committee_id=committee_id, version=version)
    if filed_on is not None and filed_on < committee.formed_on:
        raise ValidationFailed([FieldError("filed_on", gettext("备案日期不能早于成立日期"))])
    rows = _members(committee.estate_id, members)
    committee.members.all().delete()
    for row in rows:
        row.committee = committee
    CommitteeMember.objects.bulk_create(rows)
    committee.filed_on, committee.filing_number = filed_on, filing_number.strip()
    committee.version += 1
    committee.save(update_fields=["filed_on", "filing_number", "version"])
    return committee


# ---------------------------------------------------------------- 红色物业


def _host(*, user, host: str, organization_id: int | None, committee_id: int | None) -> dict:
    """The region and host fields of a Party organisation or a cross-office holding in `host`."""
    if host == rules.COMMITTEE:
        if committee_id is None:
            raise ValidationFailed([FieldError("committee_id", gettext("请选择业主委员会"))])
        committee = scope.get_or_404(selectors.committee_queryset(user=user).select_related("region"), pk=committee_id)
        return {"committee": committee, "organization": None, "region": committee.region}
    if host == rules.COMPANY:
        if organization_id is None:
            raise ValidationFailed([FieldError("organization_id", gettext("请选择物业企业"))])
        company = scope.get_or_404(selectors.company_choices(user=user), pk=organization_id)
        return {"committee": None, "organization": company, "region": None}
    if host == rules.COMMUNITY:
        return {"committee": None, "organization": None, "region": None}
    raise ValidationFailed(
        [FieldError("host", gettext("建在：%(join)s") % {"join": "、".join(map(str, rules.HOSTS.values()))})]
    )


def _community(user, region):
    """The community a record belongs to: the host's, else the user's own office (a community worker's)."""
    if region is not None:
        return region
    if not user.region_id or not scope.office_covers(user, user.region):
        raise ValidationFailed([FieldError("host", gettext("请由所在社区的工作人员登记"))])
    return user.region


def _text(field: str, label: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed([FieldError(field, gettext("请填写%(label)s") % {"label": label})])
    return value


@transaction.atomic
def party_create(
    *, user, kind: str, host: str, name: str, secretary: str, members: int, founded_on: date,
    organization_id: int | None = None, committee_id: int | None = None,
) -> PartyOrganization:  # fmt: skip
    selectors.check_editor(user)
    if kind not in rules.PARTY_KINDS:
        raise ValidationFailed(
            [
                FieldError(
                    "kind",
                    gettext("组织形式应为：%(join)s") % {"join": "、".join(map(str, rules.PARTY_KINDS.values()))},
                )
            ]
        )
    where = _host(user=user, host=host, organization_id=organization_id, committee_id=committee_id)
    where["region"] = _community(user, where["region"])
    return PartyOrganization.objects.create(
        kind=kind,
        host=host,
        name=_text("name", gettext("名称"), name),
        secretary=_text("secretary", gettext("书记（组长）"), secretary),
        members=members,
        founded_on=founded_on,
        **where,
    )


@transaction.atomic
def party_update(*, user, party_id: int, version: int, secretary: str, members: int, name: str) -> PartyOrganization:
    """A Party organisation's name, secretary and size (its host does not change: a new host is a new one)."""
    selectors.check_editor(user)
    locked = selectors.party_list(user=user).select_for_update(of=("self",))
    party = scope.get_or_404(locked, pk=party_id)
    if party.version != version:
        raise Conflict()
    party.name = _text("name", gettext("名称"), name)
    party.secretary = _text("secretary", gettext("书记（组长）"), secretary)
    party.members = members
    party.version += 1
    party.save(update_fields=["name", "secretary", "members", "version"])
    return party


@transaction.atomic
def cross_office_create(
    *, user, name: str, home: str, home_post: str, serves: str, serves_post: str, since: date,
    committee_id: int | None = None, organization_id: int | None = None,
) -> CrossOffice:  # fmt: skip
    """交叉任职: `name`, of `home` as `home_post`, serves in `serves` as `serves_post`. The committee or company on
    either side is named by its id."""
    selectors.check_editor(user)
    if home == serves or {home, serves} - set(rules.HOSTS):
        raise ValidationFailed(
            [FieldError("serves", gettext("本职单位和兼任单位应为社区、业主委员会、物业企业中不同的两个"))]
        )
    sides = {home, serves}
    region = None
    committee = organization = None
    for host in (rules.COMMITTEE, rules.COMPANY):
        if host in sides:
            where = _host(user=user, host=host, organization_id=organization_id, committee_id=committee_id)
            committee = committee or where["committee"]
            organization = organization or where["organization"]
            region = region or where["region"]
    return CrossOffice.objects.create(
        region=_community(user, region), name=_text("name", gettext("姓名"), name), home=home,
        home_post=_text("home_post", gettext("本职职务"), home_post), serves=serves,
        serves_post=_text("serves_post", gettext("兼任职务"), serves_post), since=since, committee=committee,
        organization=organization,
    )  # fmt: skip


# ---------------------------------------------------------------- re-election reminders


def reminders_send(*, today: date | None = None, now: datetime | None = None) -> int:
    """Tells the community's workers of each committee whose re-election reminder fell due, once per threshold
    (CommitteeReminder's unique row): the daily job, safe to run twice. Answers how many committees were told."""
    today, now = today or timezone.localdate(), now or timezone.now()
    sent = 0
    for committee, months in selectors.reminders_due(today):
        with transaction.atomic():
            _, created = CommitteeReminder.objects.get_or_create(
                committee=committee, months=months, defaults={"sent_at": now}
            )
            if not created:  # another run got there first
                continue
            context = {"estate": committee.estate.name, "term": rules.term_state(committee.term_ends, months)}
            notify(
                selectors.community_editors(committee.region_id), "committees.reelection", context,
                link=reverse("committees:detail", args=[committee.pk]), subject=f"committees.committee:{committee.pk}",
                now=now,
            )  # fmt: skip
            sent += 1
    return sent
