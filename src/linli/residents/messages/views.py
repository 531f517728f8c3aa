"""消息 under /portal/messages/: the resident's inbox (the notification service's, as staff have theirs on
/notifications/), read marks, and whether case progress also comes by SMS."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ValidationFailed
from linli.notifications import rules, selectors, services
from linli.notifications.forms import PreferenceForm

from ..access import resident_required

PAGE_SIZE = 20


@resident_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [p for p in selectors.preferences(request.user) if p["offered"]]
    return render(request, "residents/messages.html", {
        "page": page, "unread": selectors.unread_count(request.user), "preferences": shown,
        "channel_names": rules.CHANNELS,
    })  # fmt: skip


@resident_required
@require_POST
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks a message read and opens what it is about (a report's progress)."""
    message = services.message_read(user=request.user, message_id=pk)
    safe = message.link and url_has_allowed_host_and_scheme(message.link, allowed_hosts=None)
    return redirect(message.link if safe else "portal:messages")


@resident_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.messages_read_all(user=request.user)
    return redirect("portal:messages")


@resident_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.preference_set(user=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            messages.error(request, exc.errors[0].message)
        else:
            messages.success(request, _("接收设置已保存"))
    return redirect("portal:messages")
