"""Bulletins in the API, under /api/v1/bulletins: the list, issuing one, one with its units, its 公文 and workbook;
the scoring scheme applying to a region, and setting a region's own. Thin: selectors read, services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.campaigns.downloads import DOCX, XLSX, download
from linli.core.pagination import Pages
from linli.core.schemas import Id
from linli.regions.selectors import region_get

from . import documents, rules, selectors, services
from .schemas import BulletinDetailOut, BulletinIssueIn, BulletinOut, ScoringSchemeIn, ScoringSchemeOut

router = Router(tags=["bulletins"])


@router.get("", response=list[BulletinOut], summary="考核通报：本辖区及上级发布的通报")
@paginate(Pages)
def bulletins(request):
    return selectors.bulletin_list(user=request.user)


@router.post("", response={201: BulletinDetailOut}, summary="发布某区域某月的考核通报（再次发布即替换）")
def bulletin_issue(request, payload: BulletinIssueIn):
    bulletin = services.bulletin_issue(
        user=request.user, region=payload.region_id, month=payload.month, group=payload.group,
        issuer=payload.issuer, number=payload.number,
    )  # fmt: skip
    return Status(201, bulletin)


@router.get("/{bulletin_id}", response=BulletinDetailOut, summary="一期通报：各单位的件数、指标、得分、名次和扣分明细")
def bulletin(request, bulletin_id: Id):
    b = selectors.bulletin_get(user=request.user, pk=bulletin_id)
    services.bulletin_seen(user=request.user, bulletin=b)
    return b


@router.get("/{bulletin_id}/bulletin.docx", response={200: None}, summary="通报公文（GB/T 9704 版式，附得分排名表）")
def bulletin_docx(request, bulletin_id: Id):
    b = selectors.bulletin_get(user=request.user, pk=bulletin_id)
    return download(documents.bulletin_docx(b, selectors.entries(b)), f"{documents.title(b)}.docx", DOCX)


@router.get("/{bulletin_id}/bulletin.xlsx", response={200: None}, summary="通报的得分排名和扣分明细（.xlsx）")
def bulletin_xlsx(request, bulletin_id: Id):
    b = selectors.bulletin_get(user=request.user, pk=bulletin_id)
    return download(documents.bulletin_xlsx(b, selectors.entries(b)), f"{documents.title(b)}.xlsx", XLSX)


def _scheme_out(row) -> dict:
    scheme = selectors.as_scheme(row)
    return {
        "region_id": row.region_id if row else None, "weights": scheme.weights, "deductions": scheme.deductions,
        "floor": scheme.floor, "caps": scheme.caps, "version": row.version if row else None,
    }  # fmt: skip


@router.get("/schemes/{region_id}", response=ScoringSchemeOut, summary="适用于该区域的计分办法（本级、上级或默认）")
def scheme(request, region_id: Id):
    selectors.check_reader(request.user)
    return _scheme_out(selectors.scheme_row(region_get(user=request.user, pk=region_id)))


@router.put(
    "/schemes/{region_id}", response=ScoringSchemeOut, summary="设置本区域的计分办法（下级无自己的办法时同样适用）"
)
def scheme_set(request, region_id: Id, payload: ScoringSchemeIn):
    scheme = rules.Scheme(
        weights=payload.weights, deductions=payload.deductions, floor=payload.floor, caps=payload.caps
    )
    row = services.scheme_set(user=request.user, region=region_id, scheme=scheme, version=payload.version)
    return _scheme_out(row)
