"""电子台账 pages under /archives/: the boxes of the user's scope, one box by category with the "一盒档案" checklist,
an item and its file, the forms to keep them, a box's zip, the district's own categories, and items attached as
evidence (attached from a campaign report's or an assessment sheet's page, opened through the link). Thin: the
API's selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.forms import id_or_none, version_or_none
from linli.core.pages import button_action, error_text, forbidden, form_page, page_action
from linli.core.pagination import CappedPaginator

from . import downloads, evidence, rules, selectors, services
from .forms import BoxForm, CategoryForm, ItemForm

PAGE_SIZE = 30


def _form_page(request, form, save, done: str, after, template: str = "archives/form.html", **context):
    return form_page(request, form, save, done, after, template, **context)


def _guarded(view):
    @login_required
    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, exc)

    return page


# ---------------------------------------------------------------- boxes


@_guarded
def boxes(request: HttpRequest) -> HttpResponse:
    year = id_or_none(request.GET.get("year"))
    topic = request.GET.get("topic", "")[: rules.TOPIC_MAX].strip()
    qs = selectors.box_list(user=request.user, year=year, topic=topic)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "year": year, "topic": topic,
               "may_keep": selectors.keep_regions(user=request.user).exists(),
               "may_configure": selectors.may_configure(request.user)}  # fmt: skip
    return render(request, "archives/boxes.html", context)


@_guarded
def box_create(request: HttpRequest) -> HttpResponse:
    selectors.check_keeper(request.user)
    form = BoxForm(request.POST or None, user=request.user)
    return _form_page(request, form, lambda: services.box_create(user=request.user, **form.content()),
                      gettext("档案盒已建好，可以归档了"), lambda box: redirect("archives:box", box.pk),
                      heading=gettext("新建档案盒"))  # fmt: skip


@_guarded
def box_detail(request: HttpRequest, pk: int) -> HttpResponse:
    box = selectors.box_get(user=request.user, pk=pk)
    context = {"box": box, "contents": selectors.box_contents(box),
               "may_keep": selectors.may_keep_box(request.user, box)}  # fmt: skip
    return render(request, "archives/box.html", context)


@_guarded
def box_edit(request: HttpRequest, pk: int) -> HttpResponse:
    box = selectors.box_to_keep(user=request.user, pk=pk)
    form = BoxForm(request.POST or None, user=request.user, box=box)
    return _form_page(
        request,
        form,
        lambda: services.box_update(user=request.user, box_id=box.pk, **form.content()),
        gettext("已保存"),
        lambda _: redirect("archives:box", box.pk),
        heading=gettext("修改档案盒：%(box)s") % {"box": box},
        box=box,
    )


@login_required
@require_POST
def box_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.box_delete(user=request.user, box_id=pk, version=version_or_none(request.POST.get("version")))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("archives:box", pk)
    messages.success(request, gettext("档案盒已删除"))
    return redirect("archives:boxes")


@_guarded
def box_export(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.box_zip(request, selectors.box_get(user=request.user, pk=pk))


# ---------------------------------------------------------------- items


@_guarded
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    box = selectors.box_to_keep(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, request.FILES if data else None, box=box, category_id=id_or_none(request.GET.get("category")))
    return _form_page(
        request,
        form,
        lambda: services.item_create(user=request.user, box_id=box.pk, **form.content()),
        gettext("已归档"),
        lambda item: redirect("archives:box", box.pk),
        heading=gettext("归档到：%(box)s") % {"box": box},
        box=box,
        multipart=True,
    )


@_guarded
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    context = {"item": item, "box": item.box, "may_keep": selectors.may_keep_box(request.user, item.box),
               "states": rules.INDEX_STATE_LABELS, "links": selectors.links_of_item(item).count()}  # fmt: skip
    return render(request, "archives/item.html", context)


@_guarded
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_to_keep(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, request.FILES if data else None, box=item.box, item=item)

    def save():
        content = form.content()
        content["remove_file"] = content.get("remove_file") or False
        content.setdefault("version", None)
        return services.item_update(user=request.user, item_id=item.pk, **content)

    return _form_page(
        request,
        form,
        save,
        gettext("已保存"),
        lambda _: redirect("archives:item", item.pk),
        heading=gettext("修改条目：%(title)s") % {"title": item.title},
        box=item.box,
        multipart=True,
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        box_id = selectors.item_to_keep(user=request.user, pk=pk).box_id
    except PermissionDenied as exc:
        return forbidden(request, exc)
    return button_action(
        request, services.item_delete, gettext("条目已删除"), redirect("archives:box", box_id), item_id=pk
    )


@_guarded
def item_file(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.item_file(selectors.item_get(user=request.user, pk=pk))


# ---------------------------------------------------------------- categories


@_guarded
def categories(request: HttpRequest) -> HttpResponse:
    qs = selectors.category_list(user=request.user)
    form = None
    if selectors.may_configure(request.user):
        form = CategoryForm(request.POST or None, user=request.user)
        if request.method == "POST":
            return _form_page(
                request,
                form,
                lambda: services.category_create(user=request.user, **form.content()),
                gettext("类别已添加"),
                lambda _: redirect("archives:categories"),
                "archives/categories.html",
                categories=qs,
            )
    elif request.method == "POST":
        selectors.check_configurer(request.user)
    return render(request, "archives/categories.html", {"form": form, "categories": qs})


@_guarded
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.check_configurer(request.user)
    category = selectors.category_list(user=request.user).filter(pk=pk, district__isnull=False).first()
    if category is None:
        raise Http404(gettext("未找到该记录或无权访问"))
    form = CategoryForm(request.POST or None, user=request.user, category=category)

    def save():
        data = form.content()
        return services.category_update(user=request.user, category_id=pk, name=data["name"], order=data["order"],
                                        active=data.get("active", False))  # fmt: skip

    return _form_page(request, form, save, gettext("已保存"), lambda _: redirect("archives:categories"),
                      heading=gettext("修改类别：%(name)s") % {"name": category.name})  # fmt: skip


# ---------------------------------------------------------------- evidence


def _back(request: HttpRequest, fallback: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=False):
        return nxt
    return fallback


@login_required
@require_POST
def evidence_attach(request: HttpRequest) -> HttpResponse:
    source = request.POST.get("source", "")
    source_id, item_id = id_or_none(request.POST.get("source_id")), id_or_none(request.POST.get("item_id"))
    part_id = id_or_none(request.POST.get("part_id")) or 0
    if source not in rules.SOURCES or source_id is None:
        raise Http404(gettext("未找到该记录或无权访问"))
    back = redirect(_back(request, evidence.target(request.user, source, source_id).url))
    if item_id is None:
        messages.error(request, gettext("请选择档案条目"))
        return back

    def call() -> str:
        services.evidence_attach(user=request.user, item_id=item_id, source=source, source_id=source_id,
                                 part_id=part_id)  # fmt: skip
        return gettext("已附上档案条目作为佐证材料")

    return page_action(request, call, back)


@login_required
@require_POST
def evidence_detach(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.link_get(user=request.user, pk=pk)
    back = redirect(_back(request, evidence.target(request.user, link.source, link.source_id).url))

    def call() -> str:
        services.evidence_detach(user=request.user, link_id=pk)
        return gettext("已移除佐证材料（条目仍在档案盒中）")

    return page_action(request, call, back)


@login_required
def evidence_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The attached item as its target's readers see it: title, category, date, tags, text and the file."""
    link = selectors.link_get(user=request.user, pk=pk)
    target = evidence.target(request.user, link.source, link.source_id)
    return render(
        request,
        "archives/evidence_item.html",
        {"link": link, "item": link.item, "target": target, "part": target.parts.get(link.part_id)},
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.item_file(selectors.link_get(user=request.user, pk=pk).item)
