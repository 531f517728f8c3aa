"""Region pages: the tree of the user's subtree, a node with its map and staff, edits through regions.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden

from . import rules, services
from .forms import RegionForm, StaffForm
from .models import Region
from .selectors import can_add_below, can_edit_region, region_ancestors, region_get, region_overview, region_tree


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The user's subtree; the template adds households and persons per node (stats' population library)."""
    roots, nodes = region_tree(user=request.user)
    return render(request, "regions/tree.html", {"roots": roots, "nodes": nodes, "count": len(nodes)})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = region_get(user=request.user, pk=pk)
    return _render_detail(request, node)


def _render_detail(request, node, *, staff_form=None, status=200) -> HttpResponse:
    context = {
        **region_overview(user=request.user, node=node),
        "node": node,
        "node_param": "grid" if node.level == rules.GRID else "region",
        "child_level": Region.Level(rules.child_level(node.level)).label,
        "can_edit": can_edit_region(request.user, node),
        "can_add_below": can_add_below(request.user, node),
        "staff_form": staff_form or (StaffForm() if node.level == rules.GRID else None),
    }
    return render(request, "regions/detail.html", context, status=status)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = region_get(user=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = RegionForm(request.POST, level=node.level)
        status = 400
        if form.is_valid():
            try:
                services.region_update(
                    user=request.user, pk=node.pk, version=form.cleaned_data["version"] or 0, **form.values()
                )
            except ValidationFailed as exc:
                form.add_domain_errors(exc.errors)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                status = 409
            except PermissionDenied as exc:
                return forbidden(request, exc)
            else:
                messages.success(request, _("已保存区域信息"))
                return redirect("regions:detail", pk=node.pk)
    else:
        form = RegionForm(initial=RegionForm.initial_for(node), level=node.level)
    context = {"form": form, "node": node, "crumbs": region_ancestors(user=request.user, node=node)}
    return render(request, "regions/form.html", context, status=status)


@login_required
def add_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = region_get(user=request.user, pk=pk)
    level = rules.child_level(parent.level)
    status = 200
    if request.method == "POST":
        form = RegionForm(request.POST, level=level)
        status = 400
        if form.is_valid():
            try:
                child = services.region_create(user=request.user, parent_id=parent.pk, level=level, **form.values())
            except ValidationFailed as exc:
                form.add_domain_errors(exc.errors)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            else:
                messages.success(request, _("已添加“%(name)s”") % {"name": child.name})
                return redirect("regions:detail", pk=child.pk)
    else:
        form = RegionForm(initial={"code": parent.path}, level=level)
    context = {
        "form": form,
        "node": None,
        "parent": parent,
        "crumbs": [*region_ancestors(user=request.user, node=parent), parent],
        "level_label": Region.Level(level).label,
    }
    return render(request, "regions/form.html", context, status=status)


@login_required
@require_POST
def staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    grid = region_get(user=request.user, pk=pk)
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            services.grid_staff_add(user=request.user, grid_id=grid.pk, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_domain_errors(exc.errors)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        else:
            messages.success(request, _("已添加%(cleaned_data)s") % {"cleaned_data": form.cleaned_data["name"]})
            return redirect("regions:detail", pk=grid.pk)
    return _render_detail(request, grid, staff_form=form, status=400)
