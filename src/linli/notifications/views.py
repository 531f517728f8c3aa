from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linli.core.errors import ValidationFailed

from . import rules, selectors, services
from .forms import PreferenceForm

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """我的消息, with the user's choice of channels for each kind of message below."""
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread": selectors.unread_count(request.user),
        "preferences": selectors.preferences(request.user), "channel_names": rules.CHANNELS,
        "outbox": selectors.may_see_outbox(request.user),
    })  # fmt: skip


@login_required
@require_POST
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks a message read and opens what it is about."""
    message = services.message_read(user=request.user, message_id=pk)
    safe = url_has_allowed_host_and_scheme(message.link, allowed_hosts=None)
    return redirect(message.link if message.link and safe else "notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.messages_read_all(user=request.user)
    return redirect("notifications:inbox")


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.preference_set(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            messages.error(request, exc.errors[0].message)
    return redirect("notifications:inbox")


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    """短信发件箱: every SMS the outbox backend kept, login codes included; on a DEBUG site or the demo, for admins."""
    if not selectors.may_see_outbox(request.user):
        raise Http404
    page = Paginator(selectors.outbox(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page": page})
