"""What an organiser's page does, whoever the organiser is: the staff pages (/volunteers/activities/) and a resident
team leader's "我组织的活动" in the portal call these with their own namespace, so both go through the same services
and the same checks (volunteers.selectors.organises)."""

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from linli.core.forms import version_or_none
from linli.core.pages import page_action

from .. import rules
from .. import selectors as scoped
from . import selectors, services
from .forms import CorrectionForm, sheet_hours


def qr_svg(url: str) -> str:
    """The URL as a QR code, an SVG drawn on the server (no script: the page's CSP allows none inline)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#1f2328", omitsize=True))  # noqa: S308


def checkin_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("activities_portal:checkin", args=[token]))


def organiser_context(request: HttpRequest, activity) -> dict:
    """The organiser's part of an activity's page: the roster, the check-in code while it is open, the confirm
    sheet once it has ended, the credits and their correction once finished."""
    now = timezone.now()
    roster = selectors.roster(activity)
    context = {"roster": roster, "organises": scoped.organises(request.user, activity), "now": now}
    if not context["organises"]:
        return context
    if activity.state == rules.OPEN:
        token = services.checkin_token(user=request.user, activity_id=activity.pk)
        url = checkin_url(request, token)
        context.update(qr=qr_svg(url), checkin_link=url, code_minutes=services.CHECKIN_MINUTES)
        if now >= activity.ends_at:
            anyone_in = roster["checked_in"] > 0
            context["sheet"] = [
                (s, "" if anyone_in and not s.checked_in_at else activity.hours) for s in roster["confirmed"]
            ]
    if activity.state == rules.FINISHED:
        context["credits"] = selectors.credits(activity)
        context["correction_form"] = CorrectionForm()
    return context


def check_by_hand(request: HttpRequest, signup_id: int, back: HttpResponse) -> HttpResponse:
    def call():
        signup, which = services.checkin_by_hand(user=request.user, signup_id=signup_id)
        return _("%(name)s已%(value)s") % {
            "name": signup.volunteer.person.name,
            "value": "签到" if which == "in" else "签退",
        }

    return page_action(request, back=back, call=call)


def confirm_hours(request: HttpRequest, activity, back: HttpResponse) -> HttpResponse:
    signups = selectors.roster(activity)["confirmed"]
    hours = sheet_hours(request.POST, signups)
    version = version_or_none(request.POST.get("version"))

    def call():
        made = services.hours_confirm(user=request.user, activity_id=activity.pk, version=version, hours=hours)
        return _("服务时长已确认：%(len)s名志愿者记入时长，活动已结束") % {"len": len(made)}

    return page_action(request, back=back, call=call)


def correct(request: HttpRequest, credit_id: int, back: HttpResponse) -> HttpResponse:
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return back
    data = form.cleaned_data

    def call():
        services.credit_correct(user=request.user, credit_id=credit_id, version=data["version"],
                                hours=data["hours"], reason=data["reason"])  # fmt: skip
        return _("服务时长已更正，更正记录已保存")

    return page_action(request, back=back, call=call)


def renew(request: HttpRequest, activity_id: int, back: HttpResponse) -> HttpResponse:
    def call():
        services.checkin_renew(user=request.user, activity_id=activity_id)
        return _("已换新签到码，之前的二维码失效")

    return page_action(request, back=back, call=call)


def go(name: str, pk: int) -> HttpResponse:
    return redirect(name, pk)
