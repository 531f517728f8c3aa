"""入户登记 under /api/v1/surveys/entry: the enumerator's areas, an area's units, a unit with the forms to fill in,
recording a visit and submitting a form (the same key twice stores it once: 201 the first time, 200 after). Thin:
selectors read, services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id
from linli.surveys import selectors as survey_selectors

from . import selectors, services
from .schemas import (
    EntryAreaOut,
    EntryResponseIn,
    EntryResponseOut,
    EntryStateIn,
    EntryUnitDetailOut,
    EntryUnitOut,
    UnitState,
)

router = Router(tags=["surveys-entry"])


def _unit_detail(request, unit_id: int) -> dict:
    selectors.entry_check(request.user)
    unit = survey_selectors.unit_get(request.user, unit_id)
    got = selectors.received(unit)
    return {**EntryUnitOut.from_orm(unit).dict(), "survey_id": unit.frame.survey_id, "area_id": unit.area_id,
            "forms": selectors.device_forms(unit, got)}  # fmt: skip


@router.get("", response=list[EntryAreaOut], summary="我的普查小区：分配给我的小区及各状态户数")
def areas(request):
    return list(selectors.my_areas(request.user))


@router.get("/{survey_id}/areas/{area_id}/units", response=list[EntryUnitOut], summary="小区内的户/单位（按走访顺序）")
@paginate(Pages)
def units(request, survey_id: Id, area_id: Id, state: UnitState | None = None):
    selectors.entry_check(request.user)
    survey = survey_selectors.survey_get(request.user, survey_id)
    area = survey_selectors.area_get(request.user, survey, area_id)
    return selectors.area_units(request.user, survey, area, state)


@router.get("/units/{unit_id}", response=EntryUnitDetailOut, summary="一户：状态、应填的调查表及其表式")
def unit(request, unit_id: Id):
    return _unit_detail(request, unit_id)


@router.post("/units/{unit_id}/state", response=EntryUnitOut, summary="记录入户状态（未访、已访、拒访、空户）")
def unit_state(request, unit_id: Id, payload: EntryStateIn):
    return services.unit_state_set(user=request.user, unit_id=unit_id, **payload.dict())


@router.post(
    "/units/{unit_id}/responses",
    response={200: EntryResponseOut, 201: EntryResponseOut},
    summary="提交一份调查表（同一提交编号重发时返回已保存的那份，200）",
    url_name="survey_entry_responses",
)
def response_submit(request, unit_id: Id, payload: EntryResponseIn):
    response, created = services.response_submit(user=request.user, unit_id=unit_id, **payload.dict())
    return Status(201 if created else 200, response)
