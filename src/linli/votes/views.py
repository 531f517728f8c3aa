"""业主大会表决 pages for staff under /votes/: the list of their scope, setting up a vote, one vote with its
participation so far (by area and by owners) or its result with every threshold, opening, closing, publishing,
entering paper and proxy ballots, an estate's clause. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import button_action, forbidden
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .forms import BallotEntryForm, ClauseForm, VoteForm

PAGE_SIZE = 20


@login_required
def vote_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state")
    state = state if state in rules.STATES else None
    try:
        qs = selectors.vote_list(user=request.user, state=state)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": rules.STATES, "may_run": selectors.may_run(request.user)}
    return render(request, "votes/list.html", context)


@login_required
def vote_create(request: HttpRequest) -> HttpResponse:
    try:
        form = VoteForm(request.POST or None, user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if request.method == "POST" and form.is_valid():
        try:
            vote = services.vote_create(user=request.user, **form.content())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("表决事项已保存为草稿，核对后即可开始投票"))
            return redirect("votes:detail", vote.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "votes/form.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, vote, ballot_form=None) -> dict:
    context = {"vote": vote, "major": rules.is_major(vote.item), "may_run": selectors.may_run(request.user),
               "may": {a: rules.may(a, vote.state) for a in rules.TRANSITIONS}, "clause": selectors.clause_of(
                   vote.estate_id), "paragraphs": [p for p in vote.motion.splitlines() if p.strip()]}  # fmt: skip
    if vote.state != rules.DRAFT:
        context["progress"] = selectors.progress(vote)
        context["voters"] = CappedPaginator(selectors.voters(vote), 50).get_page(request.GET.get("page"))
        context["fallbacks"] = selectors.voters(vote).filter(fallback=True).count()
    if vote.state in (rules.CLOSED, rules.PUBLISHED):
        result, matches = services.vote_recount(user=request.user, vote_id=vote.pk)
        context.update(result=result, shown=rules.shown(result), matches=matches)
    if vote.state == rules.OPEN and context["may_run"]:
        context["ballot_form"] = ballot_form or BallotEntryForm(vote=vote)
    return context


@login_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        vote = selectors.vote_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return render(request, "votes/detail.html", _detail_context(request, vote))


ACTIONS = {
    "open": (services.vote_open, gettext_lazy("已开始投票，表决业主已按房屋档案确定")),
    "close": (services.vote_close, gettext_lazy("投票已截止，结果已保存")),
    "publish": (services.vote_publish, gettext_lazy("表决结果已公示")),
}


@login_required
@require_POST
def vote_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service, done = ACTIONS[action]
    return button_action(request, service, done, redirect("votes:detail", pk), vote_id=pk)


@login_required
@require_POST
def ballot_enter(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        vote = selectors.vote_get(user=request.user, pk=pk)
        selectors.check_runner(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = BallotEntryForm(request.POST, request.FILES, vote=vote)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ballot_enter(
                user=request.user, vote_id=vote.pk, voter_id=data["voter"], choice=data["choice"],
                channel=data["channel"], scan=data["scan"], proxy_name=data["proxy_name"],
                proxy_document=data["proxy_document"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("表决票已录入"))
            return redirect("votes:detail", vote.pk)
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("votes:detail", vote.pk)


@login_required
def clause_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        estate = scope.get_or_404(selectors.run_estates(user=request.user), pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    clause = selectors.clause_of(estate.pk)
    initial = {"silent": clause.silent, "source": clause.source} if clause else {"silent": rules.SILENT_NONE}
    form = ClauseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_set(user=request.user, estate_id=estate.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已记录，之后开始的表决按此计票"))
            return redirect("votes:list")
    return render(request, "votes/clause.html", {"form": form, "estate": estate})
