"""People registry API: persons, households, houses, estates, tags, rentals. Thin: selectors read, services write."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.core.errors import FieldError, ValidationFailed
from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import (
    EstateFilterIn,
    EstateIn,
    EstateOut,
    EstatePatch,
    HouseFilterIn,
    HouseholdDetailOut,
    HouseholdFilterIn,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    HouseIn,
    HouseOut,
    HousePatch,
    PersonDetailOut,
    PersonFilterIn,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonSearchIn,
    RentalIn,
    RentalOut,
    RevealIn,
    RevealOut,
    TagOut,
    TagSetIn,
)

router = Router(tags=["people"])


def _changes(payload) -> dict:
    """The fields a PATCH actually sent, without the version it was based on."""
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data


# ---------------------------------------------------------------- persons


# Full numbers never travel in a URL (access logs, proxies, browser history): a caller still sending them to the list
# is told where they go instead of getting the whole list back.
NUMBERS_IN_BODY = {"id_number": gettext_lazy("证件号码"), "phone": gettext_lazy("电话号码")}


def _numbers_in_url(request) -> list[FieldError]:
    return [
        FieldError(
            name, _("%(label)s不能放在网址中，请改用 POST /api/v1/persons/search 在请求体中查询") % {"label": label}
        )
        for name, label in NUMBERS_IN_BODY.items()
        if name in request.GET
    ]


@router.get("/persons", response=list[PersonOut], summary="人员列表（按证件号码或电话查询见 POST /persons/search）")
@paginate(Pages)
def person_list(request, filters: Query[PersonFilterIn]):
    if refused := _numbers_in_url(request):
        raise ValidationFailed(refused)
    return selectors.person_list(user=request.user, filters=selectors.PersonFilter(**filters.dict()))


@router.post("/persons/search", response=list[PersonOut], summary="按证件号码或电话查询人员（号码在请求体中）")
@paginate(Pages)
def person_search(request, payload: PersonSearchIn):
    return selectors.person_list(user=request.user, filters=selectors.PersonFilter(**payload.dict()))


@router.post("/persons", response={201: PersonDetailOut}, summary="登记人员")
def person_create(request, payload: PersonIn):
    person = services.person_create(user=request.user, data=payload.dict())
    return Status(201, selectors.person_get(user=request.user, pk=person.pk))


@router.get("/persons/{person_id}", response=PersonDetailOut, summary="人员详情（证件号码、电话脱敏）")
def person_detail(request, person_id: Id):
    return selectors.person_get(user=request.user, pk=person_id)


@router.patch("/persons/{person_id}", response=PersonDetailOut, summary="修改人员信息")
def person_update(request, person_id: Id, payload: PersonPatch):
    services.person_update(user=request.user, pk=person_id, version=payload.version, data=_changes(payload))
    return selectors.person_get(user=request.user, pk=person_id)


@router.post("/persons/{person_id}/reveal", response=RevealOut, summary="查看完整证件号码和电话（记入审计）")
def person_reveal(request, person_id: Id, payload: RevealIn):
    return services.person_reveal(user=request.user, pk=person_id, purpose=payload.purpose, request=request)


@router.post("/persons/{person_id}/tags", response=PersonDetailOut, summary="设置人员标签")
def person_tag_set(request, person_id: Id, payload: TagSetIn):
    services.person_tag_set(
        user=request.user, person_id=person_id, tag_code=payload.tag, grade=payload.grade, note=payload.note
    )
    return selectors.person_get(user=request.user, pk=person_id)


@router.delete("/persons/{person_id}/tags/{tag_code}", response={204: None}, summary="移除人员标签")
def person_tag_remove(request, person_id: Id, tag_code: str):
    services.person_tag_remove(user=request.user, person_id=person_id, tag_code=tag_code)
    return Status(204, None)


@router.get("/tags", response=list[TagOut], summary="可见的人员标签")
@paginate(Pages)
def tag_list(request):
    return selectors.visible_tags(request.user)


# ---------------------------------------------------------------- households


@router.get("/households", response=list[HouseholdOut], summary="户列表")
@paginate(Pages)
def household_list(request, filters: Query[HouseholdFilterIn]):
    return selectors.household_list(user=request.user, **filters.dict())


@router.post("/households", response={201: HouseholdDetailOut}, summary="新建户")
def household_create(request, payload: HouseholdIn):
    household = services.household_create(user=request.user, data=payload.dict())
    return Status(201, selectors.household_get(user=request.user, pk=household.pk))


@router.get("/households/{household_id}", response=HouseholdDetailOut, summary="一户一档（含成员）")
def household_detail(request, household_id: Id):
    return selectors.household_get(user=request.user, pk=household_id)


@router.patch("/households/{household_id}", response=HouseholdDetailOut, summary="修改户信息")
def household_update(request, household_id: Id, payload: HouseholdPatch):
    services.household_update(user=request.user, pk=household_id, version=payload.version, data=_changes(payload))
    return selectors.household_get(user=request.user, pk=household_id)


# ---------------------------------------------------------------- houses


@router.get("/houses", response=list[HouseOut], summary="房屋列表")
@paginate(Pages)
def house_list(request, filters: Query[HouseFilterIn]):
    return selectors.house_list(user=request.user, **filters.dict())


@router.post("/houses", response={201: HouseOut}, summary="登记房屋（楼栋、单元按需创建）")
def house_create(request, payload: HouseIn):
    house = services.house_create(user=request.user, data=payload.dict())
    return Status(201, selectors.house_get(user=request.user, pk=house.pk))


@router.get("/houses/{house_id}", response=HouseOut, summary="房屋详情")
def house_detail(request, house_id: Id):
    return selectors.house_get(user=request.user, pk=house_id)


@router.patch("/houses/{house_id}", response=HouseOut, summary="修改房屋信息")
def house_update(request, house_id: Id, payload: HousePatch):
    services.house_update(user=request.user, pk=house_id, version=payload.version, data=_changes(payload))
    return selectors.house_get(user=request.user, pk=house_id)


@router.get("/houses/{house_id}/rentals", response=list[RentalOut], summary="房屋的出租登记")
@paginate(Pages)
def house_rentals(request, house_id: Id):
    return selectors.rentals_of_house(house=selectors.house_get(user=request.user, pk=house_id))


@router.post("/rentals", response={201: RentalOut}, summary="出租屋登记")
def rental_create(request, payload: RentalIn):
    rental = services.rental_create(user=request.user, data=payload.dict())
    return Status(201, selectors.rentals_of_house(house=rental.house).get(pk=rental.pk))


# ---------------------------------------------------------------- estates


@router.get("/estates", response=list[EstateOut], summary="小区列表")
@paginate(Pages)
def estate_list(request, filters: Query[EstateFilterIn]):
    return selectors.estate_list(user=request.user, **filters.dict())


@router.post("/estates", response={201: EstateOut}, summary="新建小区")
def estate_create(request, payload: EstateIn):
    estate = services.estate_create(user=request.user, data=payload.dict())
    return Status(201, selectors.estate_get(user=request.user, pk=estate.pk))


@router.get("/estates/{estate_id}", response=EstateOut, summary="小区详情")
def estate_detail(request, estate_id: Id):
    return selectors.estate_get(user=request.user, pk=estate_id)


@router.patch("/estates/{estate_id}", response=EstateOut, summary="修改小区信息")
def estate_update(request, estate_id: Id, payload: EstatePatch):
    services.estate_update(user=request.user, pk=estate_id, version=payload.version, data=_changes(payload))
    return selectors.estate_get(user=request.user, pk=estate_id)
