"""议事协商 pages for staff under /consultation/: the proposals of their scope, one proposal with its discussion
(hidden comments too), accepting or declining, moderating, setting up, closing and publishing its poll. Thin: the
API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.forms import id_or_none, version_or_none
from linli.core.pages import error_text, forbidden
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .forms import CommentForm, PollForm, ReasonForm, staff_proposal_form

PAGE_SIZE = 20


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status")
    status = status if status in rules.STATUS_LABELS else None
    try:
        qs = selectors.proposal_list(user=request.user, status=status)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, selectors.place_label(p)) for p in page.object_list]
    context = {"page": page, "rows": rows, "status": status, "statuses": rules.STATUS_LABELS}
    return render(request, "consultation/list.html", context)


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    try:
        form = staff_proposal_form(request.POST or None, user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(user=request.user, **form.content())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("议题已提出，范围内的居民可以参与讨论"))
            return redirect("consultation:detail", proposal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultation/form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    try:
        detail = selectors.staff_detail(selectors.proposal_get(user=request.user, pk=pk))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    context = {
        "p": detail, "comment_form": forms.get("comment_form") or CommentForm(),
        "decide_form": forms.get("decide_form") or ReasonForm(), "poll_form": forms.get("poll_form") or PollForm(),
        "hide_form": ReasonForm(),
    }  # fmt: skip
    return render(request, "consultation/detail.html", context, status=status)


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    accept = "accept" in request.POST
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_decide(user=request.user, proposal_id=pk, version=data["version"], accept=accept,
                                     reason=data["reason"])  # fmt: skip
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("议题已受理，进入协商") if accept else _("已不予受理，提议人可看到理由"))
            return redirect("consultation:detail", pk)
    return _detail(request, pk, status=400, decide_form=form)


@login_required
@require_POST
def comment_post(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.staff_comment_post(user=request.user, proposal_id=pk, body=form.cleaned_data["body"])
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("consultation:detail", pk)
    return _detail(request, pk, status=400, comment_form=form)


@login_required
@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal_id = id_or_none(request.POST.get("proposal"))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.comment_hide(user=request.user, comment_id=pk, reason=reason)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("评论已隐藏，居民不再看到"))
    return redirect("consultation:detail", proposal_id) if proposal_id else redirect("consultation:list")


@login_required
@require_POST
def poll_open(request: HttpRequest, pk: int) -> HttpResponse:
    form = PollForm(request.POST)
    if form.is_valid():
        try:
            services.poll_open(user=request.user, proposal_id=pk, version=form.cleaned_data["version"],
                               **form.content())  # fmt: skip
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("投票已发起，范围内的居民可以在居民端投票"))
            return redirect("consultation:detail", pk)
    return _detail(request, pk, status=400, poll_form=form)


ACTIONS = {
    "close": (services.poll_close, gettext_lazy("投票已截止")),
    "publish": (services.poll_publish, gettext_lazy("结果已公布")),
}


@login_required
@require_POST
def poll_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service, done = ACTIONS[action]
    try:
        poll = service(user=request.user, poll_id=pk, version=version_or_none(request.POST.get("version")))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        proposal_id = id_or_none(request.POST.get("proposal"))
        return redirect("consultation:detail", proposal_id) if proposal_id else redirect("consultation:list")
    messages.success(request, done)
    return redirect("consultation:detail", poll.proposal_id)
