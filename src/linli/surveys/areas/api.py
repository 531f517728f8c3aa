"""普查小区 under /api/v1/surveys/areas/{survey_id}: the areas with people per area and the coverage check, the map's
buildings by area, the proposal, areas' edits and moves of buildings (with versions), enumerators. Thin: the same
selectors and services as the pages."""

from django.http import HttpRequest
from ninja import Router, Status

from linli.core.schemas import Id, Version

from .. import selectors as survey_selectors
from . import selectors, services
from .schemas import (
    AreaBriefOut,
    AreaCreateIn,
    AreaUpdateIn,
    BuildingMoveIn,
    CandidateOut,
    CoverageOut,
    EnumeratorIn,
    EnumeratorOut,
    MapOut,
    ProposeIn,
)

router = Router(tags=["surveys"])


@router.get("/{survey_id}", response=CoverageOut, summary="普查小区：各小区户数人数、普查员，及不重不漏核查结果")
def areas(request: HttpRequest, survey_id: Id):
    survey = survey_selectors.survey_get(request.user, survey_id)
    return selectors.coverage_report(survey).visible_to(request.user)


@router.get("/{survey_id}/map", response=MapOut, summary="地图：调查范围内的楼栋及其所属普查小区（GeoJSON）")
def area_map(request: HttpRequest, survey_id: Id):
    return selectors.area_map(survey_selectors.survey_get(request.user, survey_id))


@router.post("/{survey_id}/propose", response=list[AreaBriefOut], summary="按楼栋顺序自动划分普查小区（替换现有小区）")
def propose(request: HttpRequest, survey_id: Id, payload: ProposeIn | None = None):
    basis = payload.basis if payload is not None else None
    return services.areas_propose(user=request.user, survey_id=survey_id, basis=basis)


@router.post("/{survey_id}", response={201: AreaBriefOut}, summary="新建普查小区（空，再把楼栋移入）")
def area_create(request: HttpRequest, survey_id: Id, payload: AreaCreateIn):
    area = services.area_create(
        user=request.user,
        survey_id=survey_id,
        community_id=payload.community_id,
        name=payload.name,
        basis=payload.basis,
    )
    return Status(201, area)


@router.put("/{survey_id}/{area_id}", response=AreaBriefOut, summary="修改普查小区名称")
def area_update(request: HttpRequest, survey_id: Id, area_id: Id, payload: AreaUpdateIn):
    return services.area_update(
        user=request.user, survey_id=survey_id, area_id=area_id, version=payload.version, name=payload.name
    )


@router.delete("/{survey_id}/{area_id}", response={204: None}, summary="删除普查小区（其楼栋须再划入其他小区）")
def area_delete(request: HttpRequest, survey_id: Id, area_id: Id, version: Version):
    services.area_delete(user=request.user, survey_id=survey_id, area_id=area_id, version=version)
    return Status(204, None)


@router.post("/{survey_id}/{area_id}/buildings", response=AreaBriefOut, summary="把楼栋划入该小区（从原小区移出）")
def building_move(request: HttpRequest, survey_id: Id, area_id: Id, payload: BuildingMoveIn):
    return services.building_move(
        user=request.user, survey_id=survey_id, area_id=area_id, building_id=payload.building_id,
        version=payload.version,
    )  # fmt: skip


@router.delete("/{survey_id}/{area_id}/buildings/{building_id}", response=AreaBriefOut, summary="把楼栋移出该小区")
def building_remove(request: HttpRequest, survey_id: Id, area_id: Id, building_id: Id, version: Version):
    return services.building_remove(
        user=request.user, survey_id=survey_id, area_id=area_id, building_id=building_id, version=version
    )


@router.get("/{survey_id}/{area_id}/candidates", response=list[CandidateOut], summary="可担任该小区普查员的人员")
def candidates(request: HttpRequest, survey_id: Id, area_id: Id):
    survey = survey_selectors.survey_get(request.user, survey_id)
    return selectors.enumerator_choices(request.user, survey, area_id)


@router.post("/{survey_id}/{area_id}/enumerators", response={201: EnumeratorOut}, summary="分配普查员或普查指导员")
def enumerator_assign(request: HttpRequest, survey_id: Id, area_id: Id, payload: EnumeratorIn):
    done = services.enumerator_assign(
        user=request.user, survey_id=survey_id, area_id=area_id, user_id=payload.user_id, duty=payload.duty
    )
    person = done.user
    return Status(201, {"id": person.pk, "name": person.get_full_name() or person.username, "duty": done.duty,
                        "duty_label": done.get_duty_display()})  # fmt: skip


@router.delete("/{survey_id}/{area_id}/enumerators/{user_id}", response={204: None}, summary="取消普查员分配")
def enumerator_remove(request: HttpRequest, survey_id: Id, area_id: Id, user_id: Id):
    services.enumerator_remove(user=request.user, survey_id=survey_id, area_id=area_id, user_id=user_id)
    return Status(204, None)
