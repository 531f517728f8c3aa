"""Assessment API under /api/v1/assessment: thin, selectors read and services write.

Scores are saved per unit and stage (PUT …/sheets/{stage} with the sheet's version); evidence files come as
multipart/form-data (item_id, file)."""

from django.http import FileResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from linli.core.files import file_response

from . import selectors, services, tables
from .schemas import (
    EvidenceOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    SchemeDetailOut,
    SchemeIn,
    SchemeOut,
    SheetIn,
    SheetOut,
    VersionIn,
)

router = Router(tags=["assessment"])
PAGE = {"page_size": 20, "max_page_size": 100}


# ---------------------------------------------------------------- schemes


@router.get("/schemes", response=list[SchemeOut], summary="指标体系列表（本级、上级和下级区域的）")
@paginate(PageNumberPagination, **PAGE)
def scheme_list(request):
    return selectors.scheme_queryset(user=request.user)


@router.post("/schemes", response={201: SchemeDetailOut}, summary="制定指标体系（一级指标、二级指标、测评内容）")
def scheme_create(request, payload: SchemeIn):
    data = payload.dict()
    scheme = services.scheme_create(
        user=request.user, data=data, region_id=data.pop("region_id"), plan_id=data.pop("plan_id")
    )
    return Status(201, scheme)


@router.post("/schemes/standard", response={201: list[SchemeOut]}, summary="为本级区域安装两套标准指标体系")
def scheme_install_standard(request):
    return Status(201, services.standard_schemes_install_as(user=request.user))


@router.get("/schemes/{scheme_id}", response=SchemeDetailOut, summary="指标体系：指标树与分值")
def scheme_detail(request, scheme_id: int):
    return selectors.scheme_get(user=request.user, pk=scheme_id)


# ---------------------------------------------------------------- rounds


@router.get("/rounds", response=list[RoundOut], summary="测评轮次列表")
@paginate(PageNumberPagination, **PAGE)
def round_list(request):
    return selectors.round_queryset(user=request.user)


@router.post("/rounds", response={201: RoundOut}, summary="组织一轮测评（指标体系、期间、被测评的社区或街道）")
def round_create(request, payload: RoundIn):
    return Status(201, services.round_create(user=request.user, **payload.dict()))


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="轮次：本人辖区内各单位的阶段、总分、名次、星级")
def round_detail(request, round_id: int):
    return selectors.round_report(user=request.user, pk=round_id)


@router.get("/rounds/{round_id}/results.xlsx", response={200: None}, summary="导出测评结果（.xlsx，名次与得分明细）")
def round_results_export(request, round_id: int):
    return tables.results_download(selectors.round_report(user=request.user, pk=round_id))


@router.post("/rounds/{round_id}/confirm", response=RoundDetailOut, summary="认定：确认全部单位的结果并锁定本轮")
def round_confirm(request, round_id: int, payload: VersionIn):
    services.round_confirm(user=request.user, round_id=round_id, version=payload.version)
    return selectors.round_report(user=request.user, pk=round_id)


# ---------------------------------------------------------------- sheets and evidence


@router.get("/units/{unit_id}/sheets/{stage}", response=SheetOut, summary="评分表：某单位某阶段的得分和佐证材料")
def sheet_detail(request, unit_id: int, stage: str):
    return selectors.sheet_view(user=request.user, unit_id=unit_id, stage=stage)


@router.put("/units/{unit_id}/sheets/{stage}", response=SheetOut,
            summary="保存评分（可部分保存；有误则全部不保存）；submit为true时保存并提交本阶段")  # fmt: skip
def sheet_save(request, unit_id: int, stage: str, payload: SheetIn):
    data = payload.dict()
    services.sheet_save(
        user=request.user, unit_id=unit_id, stage=stage, version=data["version"], scores=data["scores"],
        note=data["note"], submit=data["submit"],
    )  # fmt: skip
    return selectors.sheet_view(user=request.user, unit_id=unit_id, stage=stage)


@router.post("/units/{unit_id}/sheets/{stage}/submit", response=SheetOut, summary="提交本阶段评分，进入下一阶段")
def sheet_submit(request, unit_id: int, stage: str, payload: VersionIn):
    services.sheet_submit(user=request.user, unit_id=unit_id, stage=stage, version=payload.version)
    return selectors.sheet_view(user=request.user, unit_id=unit_id, stage=stage)


@router.post("/units/{unit_id}/evidence", response={201: EvidenceOut}, summary="上传佐证材料（PDF、图片、Word、Excel）")
def evidence_add(request, unit_id: int, item_id: Form[int], file: File[UploadedFile] = None):
    return Status(201, services.evidence_add(user=request.user, unit_id=unit_id, item_id=item_id, upload=file))


@router.get("/units/{unit_id}/evidence/{evidence_id}", summary="下载佐证材料", response={200: None})
def evidence_file(request, unit_id: int, evidence_id: int):
    return evidence_response(selectors.evidence_get(user=request.user, unit_id=unit_id, pk=evidence_id))


def evidence_response(evidence) -> FileResponse:
    """The file as an attachment, never sniffed into something else."""
    return file_response(evidence.file, evidence.content_type, filename=evidence.name)
