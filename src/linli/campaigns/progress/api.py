"""Progress reporting API under /api/v1/campaign-progress: thin, progress_selectors read and progress_services write.

Reports come as JSON (POST /reports, PATCH /reports/{id}) or, with a 佐证材料 file, as multipart/form-data at the same
paths followed by /form (field `attachment`: PDF, JPG, PNG, .docx or .xlsx of at most 10 MB).
"""

from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from linli.core.errors import PermissionDenied

from ..plans import selectors as plan_selectors
from . import selectors, services
from .schemas import (
    LateFilterIn,
    LateOut,
    MatrixOut,
    NoticeIn,
    NoticeOut,
    ObligationOut,
    ReportIn,
    ReportOut,
    ReportUpdateIn,
    late_out,
    notice_out,
    obligation_out,
    report_out,
)

router = Router(tags=["campaign-progress"])

PAGE = {"page_size": 20, "max_page_size": 100}


def _report(request, report) -> dict:
    fresh = selectors.report_get(user=request.user, pk=report.pk)
    return report_out(fresh, timezone.now())


# ---------------------------------------------------------------- my unit


@router.get("/mine", response=list[ObligationOut], summary="我的任务：本单位在已印发方案中承担的任务、各期报送状态")
@paginate(PageNumberPagination, **PAGE)
def mine(request):
    return [obligation_out(ob) for ob in selectors.obligations(user=request.user)]


@router.get("/notices", response=list[NoticeOut], summary="本单位收到的督办和通报，未读在前")
@paginate(PageNumberPagination, **PAGE)
def notices(request):
    return [notice_out(n) for n in selectors.notices(user=request.user)]


@router.post("/notices/{notice_id}/read", response=NoticeOut, summary="标为已读")
def notice_read(request, notice_id: int):
    services.notice_read(user=request.user, notice_id=notice_id)
    return notice_out(selectors.notices(user=request.user).get(pk=notice_id))


# ---------------------------------------------------------------- reports


@router.post("/reports", response={201: ReportOut}, summary="报送进度（JSON；带佐证材料请用 POST /reports/form）")
def report_submit(request, payload: ReportIn):
    """Only the unit's own users may report (403 otherwise); a task unit of a plan out of scope is 404; a second
    report for the same period is 409 (update it instead); bad input 400 naming the field."""
    report = services.report_submit(user=request.user, **payload.dict())
    return Status(201, _report(request, report))


@router.post("/reports/form", response={201: ReportOut}, summary="报送进度（multipart/form-data，另加 attachment）")
def report_submit_form(request, payload: Form[ReportIn], attachment: File[UploadedFile] = None):
    report = services.report_submit(user=request.user, attachment=attachment, **payload.dict())
    return Status(201, _report(request, report))


@router.get("/reports/{report_id}", response=ReportOut, summary="一份进度报告")
def report_detail(request, report_id: int):
    return report_out(selectors.report_get(user=request.user, pk=report_id), timezone.now())


@router.patch("/reports/{report_id}", response=ReportOut, summary="修改进度报告（报送时限前；JSON）")
def report_update(request, report_id: int, payload: ReportUpdateIn):
    """Locked after its due time (400); a stale `version` is 409 and changes nothing."""
    report = services.report_update(user=request.user, report_id=report_id, **payload.dict())
    return _report(request, report)


@router.post("/reports/{report_id}/form", response=ReportOut, summary="修改进度报告（multipart，可换佐证材料）")
def report_update_form(request, report_id: int, payload: Form[ReportUpdateIn], attachment: File[UploadedFile] = None):
    report = services.report_update(
        user=request.user, report_id=report_id, attachment=attachment, **payload.dict()
    )
    return _report(request, report)


@router.get("/reports/{report_id}/attachment", response={200: None}, url_name="progress_attachment", summary="佐证材料")
def report_attachment(request, report_id: int):
    report = selectors.report_get(user=request.user, pk=report_id)
    if not report.attachment:
        raise Http404
    name = report.attachment.name.rsplit("/", 1)[-1]
    response = FileResponse(report.attachment.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/tasks/{task_id}/reports", response=list[ReportOut], summary="一项任务的全部进度报告（按单位、报送期）")
@paginate(PageNumberPagination, **PAGE)
def task_reports(request, task_id: int):
    _, reports = selectors.task_reports(user=request.user, task_id=task_id)
    now = timezone.now()
    return [report_out(r, now) for r in reports]


# ---------------------------------------------------------------- supervision


@router.get(
    "/plans/{plan_id}/matrix",
    response=MatrixOut,
    summary="方案报送情况：各单位各期各状态的任务数",
)
def plan_matrix(request, plan_id: int):
    plan = plan_selectors.plan_get(request.user, plan_id)
    status = selectors.plan_status(plan=plan)
    rows = [
        {
            "unit": row.name,
            "on_time": [t.on_time for t in row.tallies],
            "late": [t.late for t in row.tallies],
            "missing": [t.missing for t in row.tallies],
            "pending": [t.pending for t in row.tallies],
        }
        for row in status.by_unit()
    ]
    return {
        "plan": {"id": plan.pk, "name": plan.title},
        "periods": status.periods,
        "due_periods": status.due_periods(),
        "rows": rows,
    }


@router.get("/plans/{plan_id}/late", response=list[LateOut], summary="未按时报送清单（方案印发单位）")
@paginate(PageNumberPagination, **PAGE)
def plan_late(request, plan_id: int, filters: Query[LateFilterIn]):
    plan = plan_selectors.plan_get(request.user, plan_id)
    if not plan_selectors.can_edit_plan(request.user, plan):
        raise PermissionDenied("只有方案的印发单位可以查看未按时报送清单")
    status = selectors.plan_status(plan=plan)
    due = status.due_periods()
    period = filters.period or (due[-1] if due else None)
    if period is None or period not in due:
        return []
    lines = status.late(period, status=filters.status, task=filters.task, q=filters.q)
    submitted = selectors.submitted_at(lines, period)
    return [late_out(line, period, submitted) for line in lines]


@router.post(
    "/plans/{plan_id}/notices",
    response={201: list[NoticeOut]},
    summary="发督办（所选单位）或通报（该期全部）",
)
def notice_issue(request, plan_id: int, payload: NoticeIn):
    issued = services.notice_issue(user=request.user, plan_id=plan_id, **payload.dict())
    return Status(201, [notice_out(n) for n in issued])
