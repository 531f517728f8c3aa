"""业主投票 in the portal (/portal/votes/): the votes that name the resident as an owner, and one vote: the motion,
their unit(s), the ballot form while it is open, their cast ballot, and the result once published."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.core.errors import DomainError
from linli.notifications.services import subject_read
from linli.residents.access import resident_required
from linli.residents.selectors import resident_of

from .. import rules, selectors, services
from ..forms import OwnerBallotForm


@resident_required
def vote_list(request: HttpRequest) -> HttpResponse:
    votes = selectors.resident_votes(resident_of(request.user))[:50]
    return render(request, "votes/portal/list.html", {"votes": votes, "states": rules.STATES})


@resident_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_of(request.user)
    vote = selectors.resident_vote_get(resident=resident, pk=pk)
    form = OwnerBallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and "confirm" not in request.POST:
        # A ballot cannot be changed once cast: the owner sees their choice and confirms it first.
        voter = next((v for v in selectors.resident_voters(resident=resident, vote=vote)
                      if v.pk == form.cleaned_data["voter"]), None)  # fmt: skip
        if voter is not None:
            context = {"vote": vote, "voter": voter, "choice": form.cleaned_data["choice"],
                       "label": rules.CHOICES[form.cleaned_data["choice"]]}  # fmt: skip
            return render(request, "votes/portal/confirm.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(resident=resident, vote_id=vote.pk, voter_id=form.cleaned_data["voter"],
                                 choice=form.cleaned_data["choice"])  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.errors[0].message if exc.errors else exc.detail)
        else:
            messages.success(request, _("您的表决票已投出，谢谢参与"))
        return redirect("votes_portal:detail", vote.pk)
    subject_read(user=request.user, subject=services.subject(vote.pk))
    context = {
        "vote": vote,
        "mine": selectors.resident_voters(resident=resident, vote=vote),
        "open": selectors.open_today(vote),
        "major": rules.is_major(vote.item),
        "choices": rules.CHOICES,
        "paragraphs": [p for p in vote.motion.splitlines() if p.strip()],
        "shown": rules.shown(selectors.tally(vote)) if vote.state == rules.PUBLISHED else None,
    }
    return render(request, "votes/portal/detail.html", context)
