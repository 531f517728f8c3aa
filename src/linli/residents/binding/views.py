"""Pages of 实名认证, 我的家庭 and 更正申请 in the portal (namespace portal), and the offices' review queue
(namespace residents_review). Thin: the same selectors and services as the API."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden

from .. import rules
from ..access import resident_required
from . import selectors, services
from .forms import BindForm, CorrectionForm, DecideForm

PAGE_SIZE = 20


# ---------------------------------------------------------------- portal: 实名认证


@resident_required
def binding(request: HttpRequest) -> HttpResponse:
    form = BindForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            made = services.bind(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status
        else:
            if made.status == rules.Status.APPROVED:
                messages.success(request, _("实名认证成功"))
                return redirect("portal:home")
            messages.info(request, _("已提交，请等待所在社区核实"))
            return redirect("portal:binding")
    elif request.method == "POST":
        status = 400
    state = selectors.binding_state(request.user)
    context = {"state": state, "form": form, "tries_per_day": rules.BINDING_TRIES_PER_DAY}
    return render(request, "residents/binding.html", context, status=status)


@resident_required
@require_POST
def binding_withdraw(request: HttpRequest) -> HttpResponse:
    try:
        services.binding_withdraw(user=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.info(request, _("已撤回实名认证申请"))
    return redirect("portal:binding")


@resident_required
def unbind(request: HttpRequest) -> HttpResponse:
    """解除实名, asked once more on a page of its own (no script needed on the phone)."""
    if request.method == "POST":
        try:
            services.unbind(user=request.user)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.info(request, _("已解除实名认证"))
        return redirect("portal:binding")
    return render(request, "residents/unbind.html", {"state": selectors.binding_state(request.user)})


# ---------------------------------------------------------------- portal: 我的家庭 and 更正申请


def _bound_or_binding(view):
    """Before 实名认证 the pages of a bound resident lead to it instead of answering 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except selectors.NotBound as exc:
            messages.info(request, exc.detail)
            return redirect("portal:binding")

    return wrapper


@resident_required
@_bound_or_binding
def household(request: HttpRequest) -> HttpResponse:
    return render(request, "residents/household.html", {"h": selectors.my_household(request.user)})


@resident_required
@_bound_or_binding
def corrections(request: HttpRequest) -> HttpResponse:
    selectors.bound_resident(request.user)
    page = Paginator(selectors.my_corrections(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.correction_view(r, current=False) for r in page]
    return render(request, "residents/corrections.html", {"page": page, "rows": rows})


@resident_required
@_bound_or_binding
def correction_new(request: HttpRequest) -> HttpResponse:
    resident = selectors.bound_resident(request.user)
    form = CorrectionForm(request.POST or None, initial=selectors.person_values(resident.person))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = services.correction_request(
                    user=request.user, changes=form.changes(), reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("更正申请已提交，社区审核后会更新您的登记信息"))
                return redirect("portal:correction", made.pk)
    return render(request, "residents/correction_new.html", {"form": form}, status=status)


@resident_required
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.correction_view(selectors.my_correction(request.user, pk), current=False)
    return render(request, "residents/correction.html", {"c": c})


@resident_required
@require_POST
def correction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.correction_withdraw(user=request.user, pk=pk)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    return redirect("portal:correction", pk)


# ---------------------------------------------------------------- the offices' review queue

KINDS = {"bindings": gettext_lazy("实名认证"), "corrections": gettext_lazy("信息更正")}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not selectors.may_view_reviews(request.user):
        return forbidden(request, _("您的角色不能查看居民实名认证与更正申请"))
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "bindings"
    status = request.GET.get("status") if request.GET.get("status") in rules.STATUS_LABELS else rules.Status.PENDING
    if kind == "bindings":
        qs, view = selectors.binding_queue(user=request.user, status=status), selectors.binding_view
    else:
        qs, view = selectors.correction_queue(user=request.user, status=status), selectors.correction_view
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.pending_counts(user=request.user)
    context = {
        "kind": kind, "status": status, "statuses": rules.STATUS_LABELS,
        "status_label": rules.STATUS_LABELS[rules.Status(status)],
        "tabs": [(key, label, counts[key]) for key, label in KINDS.items()],
        "page": page, "rows": [view(r) for r in page], "may_decide": selectors.may_review(request.user),
    }  # fmt: skip
    return render(request, "residents_review/queue.html", context)


def _review(request, pk: int, *, get, view, decide, template: str) -> HttpResponse:
    if not selectors.may_view_reviews(request.user):
        return forbidden(request, _("您的角色不能查看居民实名认证与更正申请"))
    form = DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        approve = request.POST.get("decision") == "approve"
        if form.is_valid():
            try:
                decide(user=request.user, pk=pk, approve=approve, note=form.cleaned_data["note"])
            except PermissionDenied as exc:
                return forbidden(request, exc)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("已通过") if approve else _("已退回，居民将看到您的说明"))
                return redirect(request.path)
    r = view(get(user=request.user, pk=pk))
    context = {"r": r, "form": form, "may_decide": selectors.may_review(request.user) and r["status"] == "pending"}
    return render(request, template, context, status=status)


@login_required
def binding_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, get=selectors.binding_get, view=selectors.binding_view,
                   decide=services.binding_decide, template="residents_review/binding.html")  # fmt: skip


@login_required
def correction_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, get=selectors.correction_get, view=selectors.correction_view,
                   decide=services.correction_decide, template="residents_review/correction.html")  # fmt: skip
