"""物业监管 under /api/v1/property: companies and their files, project managers, projects, estates' 物业化 status,
credit records, and the public ranking. Thin: selectors read, services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id, Year

from . import selectors, services
from .schemas import (
    CompanyFileOut,
    CompanyOut,
    EstateManagementOut,
    ManagementIn,
    ManagerIn,
    ManagerOut,
    ProfileIn,
    ProfileOut,
    ProjectIn,
    ProjectOut,
    RankingOut,
    RecordIn,
    RecordOut,
    VoidIn,
)

router = Router(tags=["property"])


@router.get("/companies", response=list[CompanyOut], summary="物业企业：辖区的企业、在管小区数、当年信用得分和等级")
@paginate(Pages)
def companies(request, q: str = "", grade: str = "", year: Year | None = None):
    return selectors.company_list(user=request.user, q=q[:50], grade=grade, year=year)


@router.get("/companies/{company_id}", response=CompanyFileOut, summary="企业档案：基本情况、项目经理、项目、历年得分")
def company(request, company_id: Id):
    return selectors.company_file(selectors.company_get(user=request.user, pk=company_id))


@router.put("/companies/{company_id}/profile", response=ProfileOut, summary="填写或修改企业基本情况(区房产主管部门)")
def profile_save(request, company_id: Id, payload: ProfileIn):
    return services.profile_save(user=request.user, company_id=company_id, **payload.dict())


@router.post("/companies/{company_id}/managers", response={201: ManagerOut}, summary="登记项目经理及其证书")
def manager_add(request, company_id: Id, payload: ManagerIn):
    manager = services.manager_add(
        user=request.user, company_id=company_id, name=payload.name, certificate_kind=payload.certificate_kind,
        certificate_number=payload.certificate_number, valid_until=payload.certificate_valid_until,
    )  # fmt: skip
    manager.expired = False
    return Status(201, manager)


@router.post("/companies/{company_id}/projects", response={201: ProjectOut},
             summary="登记物业服务项目：企业接管小区(前期物业按招标规则)")  # fmt: skip
def project_create(request, company_id: Id, payload: ProjectIn):
    project = services.project_create(user=request.user, company_id=company_id, **payload.dict())
    project.estate_name = project.estate.name
    return Status(201, project)


@router.get("/companies/{company_id}/records", response=list[RecordOut], summary="诚信档案记录(含已作废)，可按年度")
@paginate(Pages)
def records(request, company_id: Id, year: Year | None = None):
    return selectors.records_of(selectors.company_get(user=request.user, pk=company_id), year=year)


@router.post("/companies/{company_id}/records", response={201: RecordOut}, summary="记录良好或不良记录")
def record_create(request, company_id: Id, payload: RecordIn):
    return Status(201, services.credit_record(user=request.user, company_id=company_id, **payload.dict()))


@router.post("/records/{record_id}/void", response=RecordOut, summary="作废一条记录(注明理由)")
def record_void(request, record_id: Id, payload: VoidIn):
    return services.credit_void(user=request.user, record_id=record_id, version=payload.version,
                                reason=payload.reason)  # fmt: skip


@router.get("/estates", response=list[EstateManagementOut], summary="辖区小区的物业化状态")
@paginate(Pages)
def estates(request, management: str = ""):
    return selectors.estate_list(user=request.user, management=management[:12])


@router.post(
    "/estates/{estate_id}/management", response=EstateManagementOut, summary="改为自管或无物业·弃管(终止在管项目)"
)
def estate_management(request, estate_id: Id, payload: ManagementIn):
    services.estate_management_set(user=request.user, estate_id=estate_id, **payload.dict())
    return selectors.estate_get(user=request.user, pk=estate_id)


@router.get("/ranking", response=list[RankingOut], auth=None, summary="信用评价公布：企业名称、得分、等级(无需登录)")
def ranking(request, year: Year | None = None):
    return selectors.ranking(year=year)
