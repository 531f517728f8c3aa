"""业主委员会 and 红色物业 under /api/v1/committees: committees of the user's scope, forming one and editing its
members and filing, Party organisations, cross-office holdings, the figures, and an estate's page. Thin: selectors
read, services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import (
    CommitteeCreateIn,
    CommitteeDetailOut,
    CommitteeOut,
    CommitteeOwnerOut,
    CommitteeUpdateIn,
    CrossOfficeIn,
    CrossOfficeOut,
    EstatePageOut,
    PartyOrganizationCreateIn,
    PartyOrganizationOut,
    PartyOrganizationUpdateIn,
    RedPropertyFiguresOut,
)

router = Router(tags=["committees"])


def _members(payload) -> list[services.Member]:
    return [services.Member(m.person_id, m.role, m.party_member) for m in payload.members]


@router.get("", response=list[CommitteeOut], summary="业主委员会：辖区内现任的（all=true 含往届）")
@paginate(Pages)
def committees(request, all: bool = False):
    return selectors.committee_list(user=request.user, current=not all)


@router.post("", response={201: CommitteeDetailOut}, summary="登记新一届业主委员会（上一届同日终止）")
def committee_form(request, payload: CommitteeCreateIn):
    committee = services.committee_form(
        user=request.user, estate_id=payload.estate_id, assembly_on=payload.assembly_on, formed_on=payload.formed_on,
        members=_members(payload), filed_on=payload.filed_on, filing_number=payload.filing_number,
    )  # fmt: skip
    return Status(201, selectors.committee_get(user=request.user, pk=committee.pk))


@router.get(
    "/figures", response=RedPropertyFiguresOut, summary="红色物业概况：业委会覆盖率、党组织覆盖率、委员中党员占比"
)
def figures(request):
    return selectors.figures(user=request.user)


@router.get(
    "/party-organizations", response=list[PartyOrganizationOut], summary="党组织：物业企业、业委会和社区的党组织"
)
@paginate(Pages)
def party_organizations(request):
    return selectors.party_list(user=request.user)


@router.post("/party-organizations", response={201: PartyOrganizationOut}, summary="登记党组织")
def party_create(request, payload: PartyOrganizationCreateIn):
    return Status(201, services.party_create(user=request.user, **payload.dict()))


@router.put(
    "/party-organizations/{party_id}", response=PartyOrganizationOut, summary="修改党组织的名称、书记、党员人数"
)
def party_update(request, party_id: Id, payload: PartyOrganizationUpdateIn):
    return services.party_update(user=request.user, party_id=party_id, **payload.dict())


@router.get("/cross-offices", response=list[CrossOfficeOut], summary="交叉任职")
@paginate(Pages)
def cross_offices(request):
    return selectors.cross_office_list(user=request.user)


@router.post("/cross-offices", response={201: CrossOfficeOut}, summary="登记交叉任职")
def cross_office_create(request, payload: CrossOfficeIn):
    return Status(201, services.cross_office_create(user=request.user, **payload.dict()))


@router.get("/estates/{estate_id}", response=EstatePageOut, summary="小区：物业化与物业企业、业委会、表决、投诉")
def estate(request, estate_id: Id):
    page = selectors.estate_page(user=request.user, pk=estate_id)
    estate, complaints = page.estate, page.complaints
    return {
        "id": estate.pk, "name": estate.name, "community": estate.region.name,
        "management": estate.management, "management_label": estate.get_management_display(),
        "company": estate.property_company.name if estate.property_company else None,
        "company_id": estate.property_company_id if page.company_link else None,
        "committee": page.committee, "history": page.history, "votes": page.votes,
        "complaints_total": complaints.total, "complaints_open": complaints.open,
        "complaints_by_state": dict(complaints.by_state), "recent_cases": complaints.recent,
    }  # fmt: skip


@router.get(
    "/estates/{estate_id}/owners", response=list[CommitteeOwnerOut], summary="小区的业主：可当选业主委员会委员的人"
)
def estate_owners(request, estate_id: Id):
    estate = selectors.estate_get(user=request.user, pk=estate_id)
    return selectors.estate_owners(estate.pk)


@router.get("/{committee_id}", response=CommitteeDetailOut, summary="一届业主委员会及其委员")
def committee(request, committee_id: Id):
    return selectors.committee_get(user=request.user, pk=committee_id)


@router.put("/{committee_id}", response=CommitteeDetailOut, summary="修改现任业主委员会的委员和备案")
def committee_update(request, committee_id: Id, payload: CommitteeUpdateIn):
    services.committee_update(
        user=request.user, committee_id=committee_id, version=payload.version, members=_members(payload),
        filed_on=payload.filed_on, filing_number=payload.filing_number,
    )  # fmt: skip
    return selectors.committee_get(user=request.user, pk=committee_id)
