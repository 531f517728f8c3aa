"""考核通报 pages: the bulletins a user reads and issues, one bulletin with its downloads, a region's scoring scheme.
Thin: selectors read, services write; the API's checks and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.campaigns.downloads import DOCX, XLSX, download
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import forbidden
from linli.core.pagination import CappedPaginator
from linli.regions.selectors import region_get

from . import documents, rules, selectors, services
from .forms import IssueForm, SchemeForm

PAGE_SIZE = 20


def _may_issue(user) -> bool:
    return roles.can(user, roles.CASES, roles.ISSUE_BULLETINS)


@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    try:
        qs = selectors.bulletin_list(user=user)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    form, status = None, 200
    if _may_issue(user):
        form = IssueForm(request.POST or None, user=user, today=timezone.localdate())
        if request.method == "POST" and form.is_valid():
            try:
                b = services.bulletin_issue(user=user, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("已发布%(title)s") % {"title": documents.title(b)})
                return redirect("bulletins:detail", b.pk)
        elif request.method == "POST":
            status = 400
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bulletins/list.html", {"page": page, "form": form}, status=status)


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        b = selectors.bulletin_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    services.bulletin_seen(user=request.user, bulletin=b)
    columns = documents.table_columns()
    context = {
        "bulletin": b,
        "title": documents.title(b),
        "columns": columns,
        "rows": [(e, list(zip(columns, documents.table_row(e), strict=True))) for e in selectors.entries(b)],
        "scheme": documents.scheme_lines(b.scheme),
    }
    return render(request, "bulletins/detail.html", context)


@login_required
def bulletin_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    try:
        b = selectors.bulletin_get(user=request.user, pk=pk)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    build, content_type = {"docx": (documents.bulletin_docx, DOCX), "xlsx": (documents.bulletin_xlsx, XLSX)}[kind]
    return download(build(b, selectors.entries(b)), f"{documents.title(b)}.{kind}", content_type)


@login_required
def scheme_edit(request: HttpRequest, region: int) -> HttpResponse:
    user = request.user
    try:
        services.check_issuer(user)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    node = region_get(user=user, pk=region)
    row = selectors.scheme_row(node)
    own = row if row is not None and row.region_id == node.pk else None
    form = SchemeForm(request.POST or None, scheme=selectors.as_scheme(row), initial={"version": own and own.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                version = form.cleaned_data["version"]
                services.scheme_set(user=user, region=node.pk, scheme=form.scheme(), version=version)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, _("已保存%(name)s的计分办法") % {"name": node.name})
                return redirect("bulletins:scheme", node.pk)
    context = {"form": form, "region": node, "inherited": row if own is None else None, "events": rules.EVENTS}
    return render(request, "bulletins/scheme.html", context, status=status)
