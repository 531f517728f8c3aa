"""Writes of the volunteers' files and teams: registering a registry person as a volunteer (by the community from a
signed paper form, or by the resident in the portal after agreeing to the notice), their skills, availability and
state, and teams with their leader and members. Offices with MANAGE_VOLUNTEERS over the region act; others get 403,
and objects out of their scope 404."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import roles, scope
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.people.selectors import person_get

from .. import rules as vocabulary
from .. import selectors as scoped
from ..models import Team, TeamMember, Volunteer
from . import rules, selectors

NOT_A_MANAGER = gettext_lazy("您没有管理志愿者的权限")
ALREADY = gettext_lazy("此人已是注册志愿者（编号 {number}），无需重复登记")
NOT_BOUND = gettext_lazy("请先完成实名认证，再注册志愿者")
RETRIES = 20  # numbers taken by writers at the same moment: each retry reads the ones committed since


def _check_manager(user) -> None:
    if not roles.can(user, roles.VOLUNTEERS, roles.MANAGE_VOLUNTEERS):
        raise PermissionDenied(NOT_A_MANAGER)


def _manages(user, region) -> None:
    if not scoped.manages(user, region):
        raise PermissionDenied(gettext("%(name)s不在您的管理范围内") % {"name": region.name})


def _choices(skills, availability) -> tuple[list[str], list[str]]:
    errors = rules.choice_errors(skills, availability)
    if errors:
        raise ValidationFailed(errors)
    return rules.ordered(skills, vocabulary.SKILLS), rules.ordered(availability, vocabulary.AVAILABILITY)


def _create(*, person, via: str, skills, availability, consent_version: str, consented_at, by) -> Volunteer:
    """The volunteer's file in the person's community, with the community's next number (a clash with a number
    taken at the same moment retries with the next)."""
    if existing := selectors.volunteer_of_person(person.pk):
        raise Conflict(ALREADY.format(number=existing.number))
    community = selectors.community_of(person.grid)
    if community is None:
        raise ValidationFailed([FieldError("person_id", gettext("此人未登记在任何社区的网格中，无法确定所属社区"))])
    year = timezone.localdate().year
    prefix = rules.number_prefix(community.code, year)
    for _ in range(RETRIES):
        # Numbers are zero-padded: the greatest is the last one given.
        taken = Volunteer.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
        taken = taken[:1]
        try:
            with transaction.atomic():
                return Volunteer.objects.create(
                    person=person, region=community, number=rules.next_number(community.code, year, list(taken)),
                    via=via, consent_version=consent_version, consented_at=consented_at, skills=skills,
                    availability=availability, registered_by=by,
                )  # fmt: skip
        except IntegrityError:
            if selectors.volunteer_of_person(person.pk):
                raise Conflict(ALREADY.format(number=selectors.volunteer_of_person(person.pk).number)) from None
    raise Conflict(gettext("志愿者编号分配冲突，请重试"))


@transaction.atomic
def volunteer_register(
    *, user, person_id: int, skills: list[str], availability: list[str], paper_consent: bool,
    consented_on: datetime | None = None,
) -> Volunteer:  # fmt: skip
    """社区代为登记: a person of the user's registry scope, who signed the paper form with the notice
    (`paper_consent`), registered in their community with the community's next number."""
    _check_manager(user)
    person = person_get(user=user, pk=person_id)
    skills, availability = _choices(skills, availability)
    if not paper_consent:
        raise ValidationFailed(
            [FieldError("paper_consent", gettext("请确认本人已在纸质登记表上签字同意《志愿者个人信息告知书》"))]
        )
    community = selectors.community_of(person.grid)
    if community is not None:
        _manages(user, community)
    return _create(
        person=person, via=vocabulary.STAFF, skills=skills, availability=availability,
        consent_version=rules.NOTICE_VERSION, consented_at=consented_on or timezone.now(), by=user,
    )  # fmt: skip


@transaction.atomic
def portal_register(*, resident, skills: list[str], availability: list[str], agreed: bool) -> Volunteer:
    """居民端自主注册: the resident, bound to their registry person, agrees to the notice and registers."""
    if resident.person_id is None:
        raise PermissionDenied(NOT_BOUND)
    skills, availability = _choices(skills, availability)
    if not agreed:
        raise ValidationFailed([FieldError("agreed", gettext("请阅读并勾选同意《志愿者个人信息告知书》"))])
    return _create(
        person=resident.person, via=vocabulary.PORTAL, skills=skills, availability=availability,
        consent_version=rules.NOTICE_VERSION, consented_at=timezone.now(), by=resident.user,
    )  # fmt: skip


def _locked(*, user, queryset, pk: int, version: int | None):
    """A volunteer or team of the user's scope, locked, which the user keeps (403 otherwise), at the version read."""
    _check_manager(user)
    row = scope.get_or_404(queryset.select_for_update(), pk=pk)
    _manages(user, row.region)
    if version is not None and row.version != version:
        raise Conflict()
    return row


def _locked_volunteer(*, user, volunteer_id: int, version: int | None) -> Volunteer:
    return _locked(user=user, queryset=scoped.volunteer_queryset(user), pk=volunteer_id, version=version)


def _save(row, fields: list[str]) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version"])


@transaction.atomic
def volunteer_update(
    *, user, volunteer_id: int, version: int | None, skills: list[str], availability: list[str]
) -> Volunteer:
    """Skills and availability, as the community keeps them."""
    volunteer = _locked_volunteer(user=user, volunteer_id=volunteer_id, version=version)
    volunteer.skills, volunteer.availability = _choices(skills, availability)
    _save(volunteer, ["skills", "availability"])
    return volunteer


@transaction.atomic
def volunteer_set_state(*, user, volunteer_id: int, version: int | None, state: str) -> Volunteer:
    """在册 / 暂停 / 已退出: a suspended or departed volunteer keeps their number and hours, and signs up for
    nothing."""
    if state not in vocabulary.VOLUNTEER_STATES:
        raise ValidationFailed([FieldError("state", gettext("请选择在册、暂停或已退出"))])
    volunteer = _locked_volunteer(user=user, volunteer_id=volunteer_id, version=version)
    volunteer.state = state
    _save(volunteer, ["state"])
    return volunteer


@transaction.atomic
def portal_update(*, resident, version: int | None, skills: list[str], availability: list[str]) -> Volunteer:
    """The volunteer's own skills and availability, from the portal."""
    own = scoped.own_volunteer(resident.user)
    if own is None:
        raise PermissionDenied(gettext("您还不是注册志愿者"))
    volunteer = Volunteer.objects.select_for_update().get(pk=own.pk)
    if version is not None and volunteer.version != version:
        raise Conflict()
    volunteer.skills, volunteer.availability = _choices(skills, availability)
    _save(volunteer, ["skills", "availability"])
    return volunteer


# ---------------------------------------------------------------- teams
def _team_content(*, name: str, kind: str, description: str) -> tuple[str, str]:
    errors = []
    if not name.strip():
        errors.append(FieldError("name", gettext("请填写队伍名称")))
    elif len(name.strip()) > rules.NAME_MAX:
        errors.append(FieldError("name", gettext("队伍名称不超过%(NAME_MAX)s个字") % {"NAME_MAX": rules.NAME_MAX}))
    if kind not in vocabulary.TEAM_KINDS:
        errors.append(FieldError("kind", gettext("请选择队伍类型")))
    if len(description) > rules.DESCRIPTION_MAX:
        errors.append(
            FieldError(
                "description", gettext("简介不超过%(DESCRIPTION_MAX)s个字") % {"DESCRIPTION_MAX": rules.DESCRIPTION_MAX}
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return name.strip(), description.strip()


def _unique_name(save) -> None:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise ValidationFailed([FieldError("name", gettext("本区域已有同名的队伍"))]) from None


@transaction.atomic
def team_create(*, user, region_id: int, name: str, kind: str, description: str = "") -> Team:
    """A team of a region under the user's office (a community's, a street's or the district's)."""
    _check_manager(user)
    region = scope.get_or_404(scope.user_regions(user), pk=region_id)
    _manages(user, region)
    name, description = _team_content(name=name, kind=kind, description=description)
    team = Team(region=region, name=name, kind=kind, description=description)
    _unique_name(team.save)
    return team


def _locked_team(*, user, team_id: int, version: int | None) -> Team:
    return _locked(user=user, queryset=scoped.team_queryset(user), pk=team_id, version=version)


@transaction.atomic
def team_update(
    *, user, team_id: int, version: int | None, name: str, kind: str, description: str = "",
    leader_id: int | None = None, active: bool = True,
) -> Team:  # fmt: skip
    """Name, kind, description, leader (one of its members, or none) and whether the team is in use."""
    team = _locked_team(user=user, team_id=team_id, version=version)
    team.name, team.description = _team_content(name=name, kind=kind, description=description)
    team.kind, team.active = kind, active
    if leader_id is not None and not TeamMember.objects.filter(team=team, volunteer_id=leader_id).exists():
        raise ValidationFailed([FieldError("leader_id", gettext("队长须是本队队员"))])
    team.leader_id = leader_id
    team.version += 1
    _unique_name(lambda: team.save(update_fields=["name", "kind", "description", "active", "leader", "version"]))
    return team


@transaction.atomic
def team_member_add(*, user, team_id: int, volunteer_id: int) -> TeamMember:
    """Adds an active volunteer of the team's region."""
    team = _locked_team(user=user, team_id=team_id, version=None)
    volunteer = scope.get_or_404(scoped.volunteer_queryset(user).select_related("region"), pk=volunteer_id)
    if not scope.contains(team.region.path, volunteer.region.path):
        raise ValidationFailed(
            [FieldError("volunteer_id", gettext("该志愿者不属于%(name)s，不能加入本队") % {"name": team.region.name})]
        )
    if volunteer.state != vocabulary.ACTIVE:
        raise ValidationFailed([FieldError("volunteer_id", gettext("该志愿者不在册（暂停或已退出），不能加入队伍"))])
    member, created = TeamMember.objects.get_or_create(team=team, volunteer=volunteer)
    if not created:
        raise Conflict(gettext("该志愿者已是本队队员"))
    return member


@transaction.atomic
def team_member_remove(*, user, team_id: int, volunteer_id: int) -> None:
    """Removes a member; a leader who leaves leaves the team without one."""
    team = _locked_team(user=user, team_id=team_id, version=None)
    deleted, _ = TeamMember.objects.filter(team=team, volunteer_id=volunteer_id).delete()
    if not deleted:
        raise Conflict(gettext("该志愿者不是本队队员"))
    if team.leader_id == volunteer_id:
        team.leader_id = None
        _save(team, ["leader"])
