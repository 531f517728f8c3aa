"""议事协商 in the portal (/portal/consultation/): the proposals of the places the resident belongs to and their own,
proposing, one proposal with its discussion and poll (vote; the result once published), commenting."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError
from linli.core.pages import error_text
from linli.core.pagination import CappedPaginator
from linli.residents.access import resident_required
from linli.residents.selectors import resident_of

from .. import selectors, services
from ..forms import CommentForm, VoteForm, resident_proposal_form

PAGE_SIZE = 20


@resident_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request.user)
    page = CappedPaginator(selectors.resident_proposals(resident), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, selectors.place_label(p)) for p in page.object_list]
    return render(request, "consultation/portal/list.html", {"page": page, "rows": rows, "resident": resident})


@resident_required
def proposal_submit(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request.user)
    found = selectors.proposal_places(resident)
    form = resident_proposal_form(request.POST or None, places=found)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(resident=resident, **form.content())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("议题已提交，社区受理后范围内的居民即可讨论"))
            return redirect("consultation_portal:detail", proposal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultation/portal/form.html", {"form": form, "places": found}, status=status)


def _detail(request: HttpRequest, pk: int, status: int = 200, comment_form=None) -> HttpResponse:
    resident = resident_of(request.user)
    detail = selectors.resident_detail(selectors.resident_proposal_get(resident=resident, pk=pk), resident)
    poll = detail["poll"]
    context = {
        "p": detail, "comment_form": comment_form or CommentForm(),
        "vote_form": VoteForm(options=poll["options"]) if poll else None,
    }  # fmt: skip
    return render(request, "consultation/portal/detail.html", context, status=status)


@resident_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@resident_required
@require_POST
def comment_post(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_post(resident=resident_of(request.user), proposal_id=pk, body=form.cleaned_data["body"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("consultation_portal:detail", pk)
    return _detail(request, pk, status=400, comment_form=form)


@resident_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_of(request.user)
    poll = selectors.poll_view(selectors.poll_of(selectors.resident_proposal_get(resident=resident, pk=pk)),
                               with_result=False)  # fmt: skip
    form = VoteForm(request.POST, options=poll["options"] if poll else [])
    if not poll or not form.is_valid():
        messages.error(request, _("请选择一个选项再投票"))
        return redirect("consultation_portal:detail", pk)
    try:
        services.vote(resident=resident, poll_id=poll["id"], option_id=form.cleaned_data["option"])
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("投票成功，感谢参与"))
    return redirect("consultation_portal:detail", pk)
