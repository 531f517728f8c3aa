"""Writes of 普查小区: the automatic proposal, an area's name and buildings (moving a building from the map), new
and deleted areas, and its enumerators. Areas are set up while the survey is in preparation (the frame takes each
household's area when it is frozen); enumerators may change until it is finished. Only those who run the survey
(RUN_SURVEYS over its region) write here; an area's edits carry its version (409 when it moved)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import scope
from linli.burden.work import rules as work_rules
from linli.burden.work import services as work_services
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.text import Kind, check
from linli.people.models import Building

from .. import rules as survey_rules
from .. import selectors as survey_selectors
from ..models import Area, AreaBuilding, AreaEnumerator, Survey
from . import rules, selectors

NAME_MAX = 60
NOT_DRAFT = gettext_lazy("调查已开始，普查小区不能再调整")
FINISHED = gettext_lazy("调查已结束，不能再调整普查员")


def _survey(*, user, survey_id: int, draft: bool = True) -> Survey:
    survey = survey_selectors.survey_get(user, survey_id)
    if not survey_selectors.can_run(user, survey):
        raise PermissionDenied(gettext("只有组织本次调查的街道或区级工作人员可以划分普查小区"))
    survey = Survey.objects.select_for_update().select_related("plan__region").get(pk=survey.pk)
    if draft and survey.state != survey_rules.DRAFT:
        raise DomainError(NOT_DRAFT)
    if survey.state == survey_rules.FINISHED:
        raise DomainError(FINISHED)
    return survey


def _area(*, user, survey: Survey, area_id: int, version: int | None) -> Area:
    area = survey_selectors.area_get(user, survey, area_id)
    area = Area.objects.select_for_update().select_related("community").get(pk=area.pk)
    if version is not None and area.version != version:
        raise Conflict()
    return area


def _name(name: str) -> str:
    name = name.strip()
    problem = check(name, Kind.NAME) if name else None
    if problem:
        raise ValidationFailed([FieldError("name", gettext("名称：%(message)s") % {"message": problem.message})])
    if len(name) > NAME_MAX:
        raise ValidationFailed([FieldError("name", gettext("名称：不超过%(NAME_MAX)s个字") % {"NAME_MAX": NAME_MAX})])
    return name


def _default_name(buildings: list) -> str:
    first, last = buildings[0], buildings[-1]
    if first.pk == last.pk:
        return selectors.building_name(first)
    if first.estate_id == last.estate_id:
        return gettext("%(name)s%(number)s至%(number2)s号楼") % {
            "name": first.estate.name,
            "number": first.number,
            "number2": last.number,
        }
    return (
        gettext("%(first)s至%(last)s")
        % {"first": selectors.building_name(first), "last": selectors.building_name(last)}
    )[:NAME_MAX]


def _basis(basis):
    """The "依据" a page or the API gave (burden's basis key), resolved; KEEP when none was given."""
    return work_services.KEEP if basis is None else work_services.basis_resolve(basis)


def _give_forms(user, survey: Survey, communities, basis) -> None:
    """Each community with areas is given the survey's forms (burden.work.admit): held ones do not see the areas."""
    for community in communities:
        work_services.admit(user=user, community=community, kind=work_rules.FORM, source=survey_rules.WORK_SOURCE,
                            source_id=survey.pk, title=survey.title, requester_office=survey.plan.region,
                            basis=basis)  # fmt: skip


def _forget_empty(survey: Survey) -> None:
    """Communities left without areas are no longer given the survey's forms."""
    kept = survey.areas.values("community_id")
    work_services.forget_elsewhere(source=survey_rules.WORK_SOURCE, source_id=survey.pk, community_ids=kept)


@transaction.atomic
def areas_propose(*, user, survey_id: int, basis: str | None = None) -> list[Area]:
    """Replaces the survey's areas by a proposal: each community's buildings in walking order, grouped into areas
    of about the survey's `area_people` (surveys.areas.rules.propose). Enumerators are assigned afresh. `basis`
    (burden's "依据") applies to every community given areas; None keeps what each had (待准入 for a new one)."""
    survey = _survey(user=user, survey_id=survey_id)
    basis = _basis(basis)
    where = selectors.place(survey)
    survey.areas.all().delete()
    made = []
    by_community: dict[int, list] = {}
    for b in where.buildings:
        by_community.setdefault(where.community[b.pk].pk, []).append(b)
    for buildings in by_community.values():
        community = where.community[buildings[0].pk]
        named = {b.pk: b for b in buildings}
        groups = rules.propose([(b.pk, where.people.get(b.pk, 0)) for b in buildings], survey.area_people)
        for number, group in enumerate(groups, start=1):
            area = Area.objects.create(
                survey=survey, community=community, code=rules.area_code(community.path, number),
                name=_default_name([named[g] for g in group]),
            )  # fmt: skip
            AreaBuilding.objects.bulk_create(
                AreaBuilding(area=area, building_id=b, order=i) for i, b in enumerate(group, start=1)
            )
            made.append(area)
    _give_forms(user, survey, {a.community_id: a.community for a in made}.values(), basis)
    _forget_empty(survey)
    return made


def _building(survey: Survey, area: Area, building_id: int) -> Building:
    building = (
        scope.within(Building.objects.all(), survey.plan.region.path, "grid")
        .select_related("estate", "grid")
        .filter(pk=building_id)
        .first()
    )
    if building is None:
        raise ValidationFailed([FieldError("building_id", gettext("楼栋：不在本次调查范围内"))])
    if not scope.contains(area.community.path, building.grid.path):
        name = selectors.building_name(building)
        message = gettext("楼栋：%(name)s不在%(name2)s，普查小区不跨普查区（社区）") % {
            "name": name,
            "name2": area.community.name,
        }
        raise ValidationFailed([FieldError("building_id", message)])
    return building


@transaction.atomic
def area_create(*, user, survey_id: int, community_id: int, name: str = "", basis: str | None = None) -> Area:
    """A new, empty area of a community (buildings are then moved into it); `basis` as for areas_propose."""
    survey = _survey(user=user, survey_id=survey_id)
    basis = _basis(basis)
    community = next((c for c in selectors.communities(survey) if c.pk == community_id), None)
    if community is None:
        raise ValidationFailed([FieldError("community_id", gettext("普查区：请选择本次调查范围内的社区"))])
    codes = survey.areas.filter(community=community).values_list("code", flat=True)
    number = rules.next_number(codes)
    area = Area.objects.create(survey=survey, community=community, code=rules.area_code(community.path, number),
                               name=_name(name) or f"{community.name}第{number}普查小区")  # fmt: skip
    _give_forms(user, survey, [community], basis)
    return area


@transaction.atomic
def area_update(*, user, survey_id: int, area_id: int, version: int, name: str) -> Area:
    survey = _survey(user=user, survey_id=survey_id)
    area = _area(user=user, survey=survey, area_id=area_id, version=version)
    area.name = _name(name)
    area.version += 1
    area.save(update_fields=["name", "version"])
    return area


@transaction.atomic
def area_delete(*, user, survey_id: int, area_id: int, version: int) -> None:
    """Deletes an area; its buildings are then left out until moved into another one."""
    survey = _survey(user=user, survey_id=survey_id)
    _area(user=user, survey=survey, area_id=area_id, version=version).delete()
    _forget_empty(survey)


@transaction.atomic
def building_move(*, user, survey_id: int, area_id: int, building_id: int, version: int) -> Area:
    """Puts a building into an area, taking it out of any other area that held it (a move on the map, or the
    repair of an overlap), at the end of the area's walking order."""
    survey = _survey(user=user, survey_id=survey_id)
    area = _area(user=user, survey=survey, area_id=area_id, version=version)
    _building(survey, area, building_id)
    others = AreaBuilding.objects.filter(area__survey=survey, building_id=building_id).exclude(area=area)
    Area.objects.filter(pk__in=others.values("area_id")).update(version=F("version") + 1)
    others.delete()
    if not area.area_buildings.filter(building_id=building_id).exists():
        last = area.area_buildings.aggregate(m=Max("order"))["m"] or 0
        AreaBuilding.objects.create(area=area, building_id=building_id, order=last + 1)
    area.version += 1
    area.save(update_fields=["version"])
    return area


@transaction.atomic
def building_remove(*, user, survey_id: int, area_id: int, building_id: int, version: int) -> Area:
    """Takes a building out of an area (it is then left out until placed in another)."""
    survey = _survey(user=user, survey_id=survey_id)
    area = _area(user=user, survey=survey, area_id=area_id, version=version)
    if not area.area_buildings.filter(building_id=building_id).delete()[0]:
        raise ValidationFailed([FieldError("building_id", gettext("楼栋：不在该普查小区"))])
    area.version += 1
    area.save(update_fields=["version"])
    return area


@transaction.atomic
def enumerator_assign(*, user, survey_id: int, area_id: int, user_id: int, duty: str = AreaEnumerator.Duty.ENUMERATOR
                      ) -> AreaEnumerator:  # fmt: skip
    """Assigns a 普查员 or 普查指导员 to an area (or changes their duty): a user who may enumerate and whose region
    holds the area's community."""
    survey = _survey(user=user, survey_id=survey_id, draft=False)
    area = _area(user=user, survey=survey, area_id=area_id, version=None)
    if duty not in AreaEnumerator.Duty.values:
        raise ValidationFailed([FieldError("duty", gettext("职责：请选择普查员或普查指导员"))])
    person = get_user_model().objects.filter(pk=user_id, is_active=True).select_related("region").first()
    if person is None or not selectors.may_enumerate(person, area):
        message = gettext("普查员：应为%(name)s的街道、社区工作人员或其网格员") % {"name": area.community.name}
        raise ValidationFailed([FieldError("user_id", message)])
    assignment, _ = AreaEnumerator.objects.update_or_create(area=area, user=person, defaults={"duty": duty})
    return assignment


@transaction.atomic
def enumerator_remove(*, user, survey_id: int, area_id: int, user_id: int) -> None:
    survey = _survey(user=user, survey_id=survey_id, draft=False)
    area = _area(user=user, survey=survey, area_id=area_id, version=None)
    if not AreaEnumerator.objects.filter(area=area, user_id=user_id).delete()[0]:
        raise ValidationFailed([FieldError("user_id", gettext("普查员：未分配到该普查小区"))])
