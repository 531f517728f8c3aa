"""社区减负 pages for staff under /burden/: the district's two lists (read by all who may, edited by the district
with the history), and work-access applications — mine and awaiting my review, the apply form (which takes
`?work=<id>,…` from held work), one application with its documents, the work it is made for and the decision
trail, and its steps. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.burden import rules as burden_rules
from linli.burden import selectors
from linli.core.errors import PermissionDenied
from linli.core.files import file_response
from linli.core.forms import checked_text, id_or_none, version_or_none
from linli.core.pages import button_action, forbidden, form_page, page_action
from linli.core.pagination import CappedPaginator
from linli.core.text import Kind

from . import rules, services
from .forms import ApplicationForm, DocumentForm, ItemForm, ReasonForm

PAGE_SIZE = 20


def _form_page(request, form, save, done: str, after, template: str = "burden/form.html", **context):
    return form_page(request, form, save, done, after, template, **context)


# ---------------------------------------------------------------- the two lists


@login_required
def lists(request: HttpRequest) -> HttpResponse:
    try:
        district = selectors.district_get(user=request.user, pk=id_or_none(request.GET.get("district")))
        choices = list(selectors.districts(user=request.user).order_by("path"))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    found = list(selectors.items(user=request.user, district=district)) if district else []
    groups = [(key, label, [i for i in found if i.list == key]) for key, label in burden_rules.LIST_LABELS.items()]
    context = {"district": district, "districts": choices, "groups": groups, "may_edit": selectors.may_edit(
        request.user, district), "active": sum(1 for i in found if i.active)}  # fmt: skip
    return render(request, "burden/lists.html", context)


@login_required
@require_POST
def load_defaults(request: HttpRequest, district: int) -> HttpResponse:
    def call() -> str:
        added = services.defaults_load(user=request.user, district_id=district)
        return gettext("已载入默认清单 %(added)s 项") % {"added": added} if added else gettext("本区已有清单，未作改动")

    return page_action(request, call, redirect(f"{_lists_url()}?district={district}"))


def _lists_url() -> str:
    return reverse("access:lists")


@login_required
def item_new(request: HttpRequest, district: int) -> HttpResponse:
    try:
        found = scope.get_or_404(selectors.edit_districts(user=request.user), pk=district)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = ItemForm(request.POST or None)
    back = redirect(f"{_lists_url()}?district={found.pk}")
    return _form_page(
        request,
        form,
        lambda: services.item_add(
            user=request.user,
            district_id=found.pk,
            **{k: form.cleaned_data[k] for k in ("list", "category", "title", "basis", "reason")},
        ),
        gettext("已增加清单事项"),
        lambda _: back,
        heading=gettext("增加清单事项（%(name)s）") % {"name": found.name},
        back=back.url,
    )


def _editable(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    if not selectors.may_edit(request.user, item.district):
        raise PermissionDenied(selectors.NOT_EDITOR)
    return item


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = _editable(request, pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = ItemForm(request.POST or None, item=item)
    back = redirect(f"{_lists_url()}?district={item.district_id}")
    return _form_page(
        request,
        form,
        lambda: services.item_update(user=request.user, item_id=item.pk, **form.cleaned_data),
        gettext("已保存"),
        lambda _: back,
        heading=gettext("修改清单事项：%(number)s. %(title)s") % {"number": item.number, "title": item.title},
        back=back.url,
    )


@login_required
def item_toggle(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    try:
        item = _editable(request, pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = ReasonForm(request.POST or None, initial={"version": item.version})
    back = redirect(f"{_lists_url()}?district={item.district_id}")
    service = services.item_restore if active else services.item_retire
    return _form_page(
        request,
        form,
        lambda: service(user=request.user, item_id=item.pk, **form.cleaned_data),
        gettext("已恢复") if active else gettext("已停用"),
        lambda _: back,
        back=back.url,
        heading=gettext("%(value)s清单事项：%(number)s. %(title)s")
        % {"value": "恢复" if active else "停用", "number": item.number, "title": item.title},
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    try:
        district = selectors.district_get(user=request.user, pk=id_or_none(request.GET.get("district")))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    changes = selectors.changes(user=request.user, district=district) if district else []
    page = CappedPaginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {
        "added": gettext("增加"),
        "edited": gettext("修改"),
        "retired": gettext("停用"),
        "restored": gettext("恢复"),
    }
    for change in page.object_list:
        change.label = labels.get(change.action, change.action)
        change.fields = _differences(change.before or {}, change.after or {})
    return render(request, "burden/history.html", {"district": district, "page": page})


FIELD_LABELS = {
    "category": gettext_lazy("类别"),
    "title": gettext_lazy("事项"),
    "basis": gettext_lazy("依据"),
    "active": gettext_lazy("有效"),
    "number": gettext_lazy("序号"),
    "list": gettext_lazy("清单"),
}


def _differences(before: dict, after: dict) -> list[tuple[str, str, str]]:
    def shown(v):
        return {True: gettext("是"), False: gettext("否"), None: ""}.get(v, v) if isinstance(v, bool | None) else str(v)

    return [(FIELD_LABELS.get(k, k), shown(before.get(k)), shown(after.get(k)))
            for k in ("title", "category", "basis", "active") if before.get(k) != after.get(k)]  # fmt: skip


# ---------------------------------------------------------------- applications

BOXES = {"all": gettext_lazy("全部"), "mine": gettext_lazy("本单位的申请"), "review": gettext_lazy("待我审核")}


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box")
    box = box if box in BOXES else "all"
    state = request.GET.get("state")
    state = state if state in burden_rules.ACCESS_STATE_LABELS else None
    try:
        qs = selectors.application_list(user=request.user, box=box, state=state)
        awaiting = list(selectors.application_list(user=request.user, box="review")[:50])
    except PermissionDenied as exc:
        return forbidden(request, exc)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "box": box, "boxes": BOXES, "state": state, "states": burden_rules.ACCESS_STATE_LABELS,
               "awaiting": awaiting, "may_apply": selectors.may_apply(request.user)}  # fmt: skip
    return render(request, "burden/applications.html", context)


def _work_from_query(request) -> list:
    ids = [int(p) for p in (request.GET.get("work") or "").split(",") if p.strip().isdigit()][:50]
    return list(selectors.work_for_application(user=request.user, ids=ids)) if ids else []


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    try:
        selectors.check_applicant(request.user)
        work = _work_from_query(request) if request.method == "GET" else []
        form = ApplicationForm(request.POST or None, request.FILES or None, user=request.user, work=work)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    submit = "submit" in request.POST
    return _form_page(
        request, form, lambda: services.application_create(user=request.user, **form.create_content(submit)),
        gettext("申请已提交，等待初审") if submit else gettext("已保存草稿，上传政策依据和工作方案后即可提交"),
        lambda a: redirect("access:detail", a.pk), template="burden/apply.html", heading=gettext("申请社区工作准入"),
        work=work, back="access:applications",
    )  # fmt: skip


def _application(request, pk: int):
    return selectors.application_get(user=request.user, pk=pk)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        application = _application(request, pk)
        if not selectors.is_own(request.user, application):
            raise PermissionDenied(gettext("只有申请单位可以修改申请"))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = ApplicationForm(request.POST or None, user=request.user, application=application)
    return _form_page(
        request,
        form,
        lambda: services.application_update(
            user=request.user, application_id=pk, version=form.cleaned_data.get("version"), **form.values()
        ),
        gettext("已保存"),
        lambda _: redirect("access:detail", pk),
        template="burden/apply.html",
        heading=gettext("修改申请：%(title)s") % {"title": application.title},
        application=application,
        back="access:applications",
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        application = _application(request, pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    steps = selectors.steps_for(request.user, application)
    own = selectors.is_own(request.user, application)
    context = {
        "a": application, "steps": steps, "trail": selectors.trail(application),
        "work": list(selectors.application_work(application)), "own": own,
        "draft": application.state == burden_rules.DRAFT,
        "documents": list(application.documents.all()), "communities": list(application.communities.all()),
        "doc_labels": rules.DOC_LABELS, "missing": rules.missing_documents(
            d.kind for d in application.documents.all()),
        "document_form": DocumentForm() if own and application.state == burden_rules.DRAFT else None,
        "reviewing": [s for s in steps if rules.ACTOR[s] != rules.APPLICANT],
        "step_labels": rules.STEP_LABELS,
    }  # fmt: skip
    return render(request, "burden/detail.html", context)


@login_required
@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    back = redirect("access:detail", pk)
    if step == rules.SUBMIT:
        return button_action(
            request, services.application_submit, gettext("申请已提交，等待初审"), back, application_id=pk
        )
    if step == rules.WITHDRAW:
        return button_action(request, services.application_withdraw, gettext("申请已撤回"), back, application_id=pk)
    if step not in (rules.FIRST_PASS, rules.FIRST_REFUSE, rules.APPROVE, rules.REFUSE):
        return back

    def call() -> str:
        opinion = checked_text(request.POST.get("opinion", "")[: rules.OPINION_MAX], Kind.TEXT, "opinion")
        version = version_or_none(request.POST.get("version"))
        if step in (rules.FIRST_PASS, rules.FIRST_REFUSE):
            services.application_first_review(user=request.user, application_id=pk, version=version,
                                              passed=step == rules.FIRST_PASS, opinion=opinion)  # fmt: skip
        else:
            services.application_decide(user=request.user, application_id=pk, version=version,
                                        approve=step == rules.APPROVE, opinion=opinion)  # fmt: skip
        return gettext("已%(STEP_LABELS)s，已通知申请单位") % {"STEP_LABELS": rules.STEP_LABELS[step]}

    return page_action(request, call, back)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("access:detail", pk)

    def call() -> str:
        services.document_add(user=request.user, application_id=pk, **form.cleaned_data)
        return gettext("材料已上传")

    return page_action(request, call, redirect("access:detail", pk))


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    def call() -> str:
        services.document_remove(user=request.user, application_id=pk, document_id=doc)
        return gettext("材料已删除")

    return page_action(request, call, redirect("access:detail", pk))


@login_required
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    try:
        application = _application(request, pk)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    found = scope.get_or_404(application.documents.all(), pk=doc)
    return file_response(found.file, None, filename=found.name or None)
