"""志愿活动 in the portal (/portal/activities/), on a phone: the activities near the resident or on a day, one
activity with signing up or cancelling, my sign-ups (state, waiting position, hours), the landing page the
organiser's QR code opens (check in, then check out), and for residents who lead a team "我组织的活动": setting
one up, its QR code, checking in by hand and the confirm-hours sheet."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden
from linli.notifications.services import subject_read
from linli.residents.access import resident_required
from linli.residents.selectors import resident_of

from ... import rules
from ... import selectors as scoped
from .. import organise, selectors, services
from ..forms import ActivityForm

LIST_SIZE = 50


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@resident_required
def activity_list(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request.user)
    day = _day(request.GET.get("day"))
    near = selectors.near_path(resident) if request.GET.get("all") != "1" and day is None else None
    activities = list(selectors.portal_list(near_path=near, day=day)[:LIST_SIZE])
    volunteer = scoped.own_volunteer(request.user)
    context = {"activities": activities, "day": day, "near": near, "volunteer": volunteer,
               "leads": selectors.organiser_teams(request.user).exists() if volunteer else False}  # fmt: skip
    return render(request, "volunteers/activities/portal/list.html", context)


@resident_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_of(request.user)
    activity = selectors.portal_get(pk)
    if request.method == "POST":
        try:
            signup = services.signup_create(resident=resident, activity_id=pk)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            if signup.state == rules.CONFIRMED:
                messages.success(request, gettext("报名成功，请按时参加"))
            else:
                messages.info(request, gettext("名额已满，您已进入候补；有人取消时按报名先后递补，递补后会通知您"))
        return redirect("activities_portal:detail", pk)
    subject_read(user=request.user, subject=services.subject(pk))
    volunteer = scoped.own_volunteer(request.user)
    context = {"activity": activity, "volunteer": volunteer, "mine": selectors.my_live_signup(volunteer, activity),
               "open": activity.state == rules.OPEN and activity.signup_until > timezone.now(),
               "paragraphs": [p for p in activity.description.splitlines() if p.strip()]}  # fmt: skip
    return render(request, "volunteers/activities/portal/detail.html", context)


@resident_required
@require_POST
def signup_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        signup = services.signup_withdraw(resident=resident_of(request.user), signup_id=pk)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("activities_portal:mine")
    messages.success(request, gettext("已取消报名"))
    return redirect("activities_portal:detail", signup.activity_id)


@resident_required
def mine(request: HttpRequest) -> HttpResponse:
    volunteer = scoped.own_volunteer(request.user)
    signups = list(selectors.my_signups(volunteer)[:LIST_SIZE])
    return render(request, "volunteers/activities/portal/mine.html", {"volunteer": volunteer, "signups": signups})


@resident_required
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """What the organiser's QR code opens: the activity and one button, 签到 (or 签退 the second time). A GET
    changes nothing: a link preview must not check anyone in."""
    resident = resident_of(request.user)
    try:
        activity = services.checkin_activity(token)
    except DomainError as exc:
        return render(request, "volunteers/activities/portal/checkin.html", {"error": error_text(exc)}, status=400)
    if request.method == "POST":
        try:
            _, which = services.checkin_scan(resident=resident, token=token)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, gettext("签到成功") if which == "in" else gettext("签退成功，感谢您的服务"))
        return redirect("activities_portal:detail", activity.pk)
    mine_ = selectors.my_live_signup(scoped.own_volunteer(request.user), activity)
    return render(request, "volunteers/activities/portal/checkin.html", {"activity": activity, "mine": mine_})


# ---- 我组织的活动 (a resident who leads a team)


@resident_required
def organised(request: HttpRequest) -> HttpResponse:
    activities = list(selectors.organised_by(request.user)[:LIST_SIZE])
    leads = selectors.organiser_teams(request.user).exists() if scoped.own_volunteer(request.user) else False
    return render(request, "volunteers/activities/portal/organised.html", {"activities": activities, "leads": leads})


@resident_required
def organised_new(request: HttpRequest) -> HttpResponse:
    if scoped.own_volunteer(request.user) is None or not selectors.organiser_teams(request.user).exists():
        return forbidden(request, gettext("只有服务队队长可以在居民端组织活动"))
    form = ActivityForm(request.POST or None, user=request.user, resident_leader=True)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(user=request.user, **form.content())
            services.activity_publish(user=request.user, activity_id=activity.pk, version=activity.version)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, gettext("活动已发布，队员可以报名了"))
            return redirect("activities_portal:organised_detail", activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "volunteers/activities/portal/organised_form.html", {"form": form}, status=status)


def _organised(request: HttpRequest, pk: int):
    activity = scoped.activity_get(request.user, pk)
    if not scoped.organises(request.user, activity):
        raise Forbidden(services.NOT_ORGANISER)
    return activity


def _back(pk: int) -> HttpResponse:
    return redirect("activities_portal:organised_detail", pk)


@resident_required
def organised_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _organised(request, pk)
    context = {"activity": activity, **organise.organiser_context(request, activity)}
    return render(request, "volunteers/activities/portal/organised_detail.html", context)


@resident_required
@require_POST
def organised_checkin(request: HttpRequest, pk: int, signup: int) -> HttpResponse:
    _organised(request, pk)
    return organise.check_by_hand(request, signup, _back(pk))


@resident_required
@require_POST
def organised_hours(request: HttpRequest, pk: int) -> HttpResponse:
    return organise.confirm_hours(request, _organised(request, pk), _back(pk))


@resident_required
@require_POST
def organised_correct(request: HttpRequest, pk: int, credit: int) -> HttpResponse:
    _organised(request, pk)
    return organise.correct(request, credit, _back(pk))


@resident_required
@require_POST
def organised_renew(request: HttpRequest, pk: int) -> HttpResponse:
    _organised(request, pk)
    return organise.renew(request, pk, _back(pk))
