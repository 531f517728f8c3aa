"""志愿服务活动 pages for staff under /volunteers/activities/: the activities of the user's scope, setting one up
(with its point on the map), one activity with its sign-ups and waiting list, the check-in QR code, checking in
by hand, the confirm-hours sheet and corrections; publishing, editing, cancelling. Thin: the API's selectors and
services (organiser actions through .organise, shared with the portal's "我组织的活动")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts import roles
from linli.cases.selectors import grids_geojson
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import button_action, error_text, forbidden
from linli.core.pagination import CappedPaginator

from .. import rules
from .. import selectors as scoped
from . import organise, selectors, services
from .forms import ActivityForm, CancelForm

PAGE_SIZE = 20
NO_PAGES = gettext_lazy("您没有查看志愿服务活动的权限")


def _staff(request: HttpRequest) -> bool:
    return roles.can(request.user, roles.VOLUNTEERS, roles.VIEW_VOLUNTEERS)


def _back(pk: int) -> HttpResponse:
    return redirect("volunteer_activities:detail", pk)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    if not _staff(request):
        return forbidden(request, NO_PAGES)
    state = request.GET.get("state")
    state = state if state in rules.ACTIVITY_STATES else None
    page = CappedPaginator(selectors.activity_list(request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "state": state, "states": rules.ACTIVITY_STATES,
               "may_organise": roles.can(request.user, roles.VOLUNTEERS, roles.ORGANISE_ACTIVITIES)}  # fmt: skip
    return render(request, "volunteers/activities/list.html", context)


def _form_page(request: HttpRequest, form, activity=None) -> HttpResponse:
    context = {"form": form, "activity": activity, "geojson": grids_geojson(user=request.user)}
    return render(request, "volunteers/activities/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not roles.can(request.user, roles.VOLUNTEERS, roles.ORGANISE_ACTIVITIES):
        return forbidden(request, _("您没有组织志愿服务活动的权限"))
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(user=request.user, **form.content())
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("活动已保存为草稿，核对后发布，居民端即可报名"))
            return _back(activity.pk)
    return _form_page(request, form)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = scoped.activity_get(request.user, pk)
    if not scoped.organises(request.user, activity):
        return forbidden(request, services.NOT_ORGANISER)
    initial = {k: getattr(activity, k) for k in services.CONTENT} | {"version": activity.version}
    form = ActivityForm(request.POST or None, user=request.user, edit=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(user=request.user, activity_id=pk, version=form.cleaned_data["version"],
                                     **form.content())  # fmt: skip
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("活动已修改"))
            return _back(pk)
    return _form_page(request, form, activity)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _staff(request):
        return forbidden(request, NO_PAGES)
    activity = scoped.activity_get(request.user, pk)
    context = {"activity": activity, "cancel_form": CancelForm(initial={"version": activity.version}),
               **organise.organiser_context(request, activity)}  # fmt: skip
    return render(request, "volunteers/activities/detail.html", context)


@login_required
def activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in code alone, large, for the organiser's phone or a screen at the place."""
    activity = scoped.activity_get(request.user, pk)
    try:
        token = services.checkin_token(user=request.user, activity_id=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return _back(pk)
    url = organise.checkin_url(request, token)
    context = {"activity": activity, "qr": organise.qr_svg(url), "checkin_link": url,
               "minutes": services.CHECKIN_MINUTES}  # fmt: skip
    return render(request, "volunteers/activities/qr.html", context)


@login_required
@require_POST
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return button_action(request, services.activity_publish, _("活动已发布，志愿者可在居民端报名"), _back(pk),
                         activity_id=pk)  # fmt: skip


@login_required
@require_POST
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写取消原因"))
        return _back(pk)
    try:
        services.activity_cancel(user=request.user, activity_id=pk, version=form.cleaned_data["version"],
                                 reason=form.cleaned_data["reason"])  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("活动已取消，已通知报名的志愿者"))
    return _back(pk)


@login_required
@require_POST
def checkin(request: HttpRequest, pk: int, signup: int) -> HttpResponse:
    return organise.check_by_hand(request, signup, _back(pk))


@login_required
@require_POST
def checkin_renew(request: HttpRequest, pk: int) -> HttpResponse:
    return organise.renew(request, pk, _back(pk))


@login_required
@require_POST
def hours_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity = scoped.activity_get(request.user, pk)
    return organise.confirm_hours(request, activity, _back(pk))


@login_required
@require_POST
def credit_correct(request: HttpRequest, pk: int, credit: int) -> HttpResponse:
    return organise.correct(request, credit, _back(pk))
