"""社区公告 pages for staff under /notices/: the list of their scope with read counts, drafting and editing, one
notice with its readers' count, publishing and withdrawing. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import button_action, forbidden
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .forms import NoticeForm, initial

PAGE_SIZE = 20


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status")
    status = status if status in rules.STATUS_LABELS else None
    try:
        qs = selectors.notice_list(user=request.user, status=status)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, selectors.audience_label(n)) for n in page.object_list]
    context = {
        "page": page, "rows": rows, "status": status, "status_label": rules.STATUS_LABELS.get(status),
        "statuses": rules.STATUS_LABELS,
    }  # fmt: skip
    return render(request, "notices/list.html", context)


def _save(request: HttpRequest, form: NoticeForm, notice=None) -> HttpResponse | None:
    """Saves the posted form (a new notice or a draft's changes), published if the 发布 button was pressed; the
    redirect to the notice, or None with the service's refusal on the form."""
    user, publish = request.user, "publish" in request.POST
    try:
        if notice is None:
            notice = services.notice_create(user=user, publish=publish, **form.content())
        else:
            version = form.cleaned_data["version"]
            notice = services.notice_update(user=user, notice_id=notice.pk, version=version, **form.content())
            if publish:
                services.notice_publish(user=user, notice_id=notice.pk, version=notice.version)
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
    messages.success(request, _("公告已发布") if publish else _("草稿已保存"))
    return redirect("notices:detail", notice.pk)


@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    try:
        form = NoticeForm(request.POST or None, user=request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if request.method == "POST":
        if form.is_valid() and (done := _save(request, form)):
            return done
        return render(request, "notices/form.html", {"form": form}, status=400)
    return render(request, "notices/form.html", {"form": form})


@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notice = selectors.notice_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    if not rules.may("edit", notice.status):
        messages.error(request, rules.ACTION_REFUSED["edit"])
        return redirect("notices:detail", notice.pk)
    form = NoticeForm(request.POST or None, user=request.user, initial=initial(notice))
    if request.method == "POST":
        if form.is_valid() and (done := _save(request, form, notice)):
            return done
        return render(request, "notices/form.html", {"form": form, "notice": notice}, status=400)
    return render(request, "notices/form.html", {"form": form, "notice": notice})


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notice = selectors.notice_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    size = selectors.audience_size(notice)
    context = {
        "notice": notice,
        "audience": selectors.audience_label(notice),
        "paragraphs": rules.paragraphs(notice.body),
        "audience_size": size,
        "share": rules.read_share(notice.read_count, size),
        "may": {action: rules.may(action, notice.status) for action in rules.ACTIONS},
    }
    return render(request, "notices/detail.html", context)


ACTIONS = {
    "publish": (services.notice_publish, gettext_lazy("公告已发布")),
    "withdraw": (services.notice_withdraw, gettext_lazy("公告已撤回")),
}


@login_required
@require_POST
def notice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service, done = ACTIONS[action]
    return button_action(request, service, done, redirect("notices:detail", pk), notice_id=pk)
