"""Plan documents API under /api/v1/campaign-documents: the plan as a 公文 (.docx), its 任务分解表 (.xlsx), and the
import of a task table (multipart `file`, `mode` append or replace; all or nothing, every problem named by row)."""

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from linli.core.schemas import Id, In, Schema

from ..downloads import DOCX, XLSX, download
from ..plans.selectors import plan_get
from . import services
from .official import plan_docx
from .tables import tasks_xlsx

router = Router(tags=["campaign-documents"])


class ImportIn(In):
    mode: str = "append"


class ImportOut(Schema):
    created: int
    removed: int
    units: int


@router.get("/plans/{plan_id}/plan.docx", response={200: None}, summary="方案公文（GB/T 9704 版式，附任务分解表）")
def plan_document(request, plan_id: Id):
    plan = plan_get(request.user, plan_id)
    return download(plan_docx(plan), f"{plan.title}.docx", DOCX)


@router.get("/plans/{plan_id}/tasks.xlsx", response={200: None}, summary="任务分解表（.xlsx，含各单位报送情况）")
def task_table(request, plan_id: Id):
    plan = plan_get(request.user, plan_id)
    return download(tasks_xlsx(plan), _("%(title)s-任务分解表.xlsx") % {"title": plan.title}, XLSX)


@router.post("/plans/{plan_id}/tasks/import", response={201: ImportOut}, summary="导入任务分解表（追加或替换）")
def task_import(request, plan_id: Id, payload: Form[ImportIn], file: File[UploadedFile]):
    result = services.tasks_import(user=request.user, plan=plan_get(request.user, plan_id), file=file,
                                   mode=payload.mode)  # fmt: skip
    return Status(201, {"created": result.created, "removed": result.removed, "units": result.units})
