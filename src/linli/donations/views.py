"""公益捐助 pages for staff under /donations/: the drives of their scope, set-up and edit, one drive with its ledger,
receipts, pledges, beneficiaries and disbursements, the approvals awaiting the user, closing, the closing report
(page and Excel) and the statistics; and the public list and ledgers under /donations/public/. Thin: the API's
selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.core.errors import DomainError, PermissionDenied
from linli.core.files import file_response
from linli.core.forms import checked_text, version_or_none
from linli.core.pages import error_text, forbidden, form_page
from linli.core.pagination import CappedPaginator
from linli.core.text import Kind, printable

from . import report, rules, selectors, services
from .forms import BeneficiaryForm, CloseForm, DisbursementForm, DriveForm, PledgeForm, ReceiptForm

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def drive_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state")
    state = state if state in rules.STATES else None
    try:
        qs = selectors.drive_list(user=request.user, state=state)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": rules.STATES, "may_run": selectors.may_run(request.user),
               "awaiting": list(selectors.awaiting(user=request.user)[:50])}  # fmt: skip
    return render(request, "donations/list.html", context)


def _form_page(request, form, save, done: str, after, template: str = "donations/form.html", **context):
    return form_page(request, form, save, done, after, template, **context)


def with_drive(run: bool = False):
    """A page of one drive of the user's scope (404 elsewhere); `run`: only for those who run drives (403)."""

    def wrap(view):
        @login_required
        @wraps(view)
        def page(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
            try:
                drive = selectors.drive_get(user=request.user, pk=pk)
                if run:
                    selectors.check_runner(request.user)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            return view(request, drive, **kwargs)

        return page

    return wrap


@login_required
def drive_create(request: HttpRequest) -> HttpResponse:
    try:
        form = DriveForm(request.POST or None, user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return _form_page(
        request,
        form,
        lambda: services.drive_create(user=request.user, **form.content()),
        gettext("捐助活动已发起，可以登记捐赠了"),
        lambda drive: redirect("donations:detail", drive.pk),
        heading=gettext("发起捐助活动"),
    )


@with_drive(run=True)
def drive_edit(request: HttpRequest, drive) -> HttpResponse:
    form = DriveForm(request.POST or None, user=request.user, drive=drive)
    return _form_page(
        request,
        form,
        lambda: services.drive_update(user=request.user, drive_id=drive.pk, **form.content()),
        gettext("已保存"),
        lambda _: redirect("donations:detail", drive.pk),
        drive=drive,
        heading=gettext("修改：%(title)s") % {"title": drive.title},
    )


@with_drive()
def drive_detail(request: HttpRequest, drive) -> HttpResponse:
    disbursements = list(selectors.disbursements(drive))
    for d in disbursements:
        d.drive = drive
        d.may_decide = (
            d.state == rules.ASKED
            and selectors.may_approve(request.user)
            and not selectors.decision_problem(request.user, d)
        )
    context = {
        "drive": drive, "book": selectors.ledger(drive), "disbursements": disbursements,
        "beneficiaries": selectors.beneficiaries(drive), "pledges": selectors.pledges(drive),
        "may_run": selectors.may_run(request.user) and drive.state == rules.OPEN,
        "paragraphs": [p for p in drive.purpose.splitlines() if p.strip()],
    }  # fmt: skip
    return render(request, "donations/detail.html", context)


FORMS = {
    "receipt": (ReceiptForm, services.receipt_record, gettext_lazy("登记捐赠收入"), gettext_lazy("已登记入账")),
    "pledge": (PledgeForm, services.pledge_add, gettext_lazy("登记认捐"), gettext_lazy("认捐已登记，到账后请登记收入")),
    "beneficiary": (
        BeneficiaryForm,
        services.beneficiary_add,
        gettext_lazy("登记受助对象"),
        gettext_lazy("受助对象已登记"),
    ),
    "disbursement": (
        DisbursementForm,
        services.disbursement_ask,
        gettext_lazy("申请支出"),
        gettext_lazy("支出申请已提交，待上级审批"),
    ),
}


@with_drive(run=True)
def drive_add(request: HttpRequest, drive, what: str) -> HttpResponse:
    """One of the drive's entries: a receipt, a pledge, a beneficiary or a disbursement request."""
    form_class, service, heading, done = FORMS[what]
    data = request.POST if request.method == "POST" else None
    if form_class is DisbursementForm:
        form = form_class(data, request.FILES if data else None, drive=drive)
    else:
        form = form_class(data, drive=drive) if form_class is ReceiptForm else form_class(data)

    def save():
        content = form.content() if hasattr(form, "content") else form.cleaned_data
        return service(user=request.user, drive_id=drive.pk, **content)

    return _form_page(request, form, save, done, lambda _: redirect("donations:detail", drive.pk), drive=drive,
                      heading=heading, multipart=form_class is DisbursementForm)  # fmt: skip


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    try:
        note = checked_text(request.POST.get("note", "")[:200], Kind.LINE, "note")
        disbursement = services.disbursement_decide(
            user=request.user, disbursement_id=pk, version=version_or_none(request.POST.get("version")),
            approve=approve, note=note,
        )  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        back = request.POST.get("back") == "list"
        found = selectors.disbursement_queryset(user=request.user).filter(pk=pk).values_list("drive_id", flat=True)
        return redirect("donations:list") if back or not found else redirect("donations:detail", found[0])
    messages.success(request, gettext("已批准，支出已入账") if approve else gettext("已退回申请人"))
    if request.POST.get("back") == "list":
        return redirect("donations:list")
    return redirect("donations:detail", disbursement.drive_id)


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = scope.get_or_404(selectors.disbursement_queryset(user=request.user), pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return file_response(found.evidence, None, filename=found.evidence_name or None)


@with_drive(run=True)
def drive_close(request: HttpRequest, drive) -> HttpResponse:
    form = CloseForm(request.POST or None, initial={"version": drive.version})
    return _form_page(
        request,
        form,
        lambda: services.drive_close(user=request.user, drive_id=drive.pk, **form.cleaned_data),
        gettext("已结项"),
        lambda _: redirect("donations:report", drive.pk),
        drive=drive,
        heading=gettext("结项：%(title)s") % {"title": drive.title},
        close=True,
    )


@with_drive()
def drive_report(request: HttpRequest, drive) -> HttpResponse:
    return render(request, "donations/report.html", {"drive": drive, "report": selectors.report(drive)})


@with_drive()
def drive_report_xlsx(request: HttpRequest, drive) -> HttpResponse:
    response = HttpResponse(report.workbook(drive), content_type=XLSX)
    name = printable(gettext("%(title)s-结项报告.xlsx") % {"title": drive.title}, Kind.LINE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    try:
        stats = selectors.statistics(user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return render(request, "donations/statistics.html", {"stats": stats})


# ---------------------------------------------------------------- the public (no login)


def public_list(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(selectors.public_drives(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "donations/public_list.html", {"page": page})


def public_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """公示: receipts and disbursements with the running balance; donors and beneficiaries masked, no contact."""
    drive = selectors.public_drive_get(pk)
    book = selectors.ledger(drive)
    context = {"drive": drive, "book": book, "reconciles": rules.reconciles(book) and book.balance == drive.balance,
               "beneficiaries": selectors.beneficiaries(drive)}  # fmt: skip
    return render(request, "donations/public_ledger.html", context)
