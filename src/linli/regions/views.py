"""Region pages: the tree of the user's subtree, a node with its map and staff, edits through regions.services."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.accounts.roles import EDIT_REGIONS, REGISTRY, can
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.forms import DomainErrorsMixin
from linli.core.pages import forbidden

from . import rules, services
from .models import GridStaff, Region
from .selectors import region_ancestors, region_get, region_overview, region_tree

BOUNDARY_HELP = (
    '粘贴GeoJSON的Polygon或MultiPolygon，如 {"type": "Polygon", "coordinates": [[[123.45, 41.79], …]]}，留空表示无边界'
)


class DomainForm(DomainErrorsMixin, forms.Form):
    pass


class RegionForm(DomainForm):
    name = forms.CharField(label="名称", required=False, max_length=100)
    code = forms.CharField(label="区划代码", required=False, max_length=24)
    grid_kind = forms.ChoiceField(
        label="网格类型", required=False, choices=[("", "（请选择）"), *Region.GridKind.choices]
    )
    households_planned = forms.IntegerField(label="服务户数", required=False, min_value=0)
    boundary = forms.CharField(
        label="边界(GeoJSON)",
        required=False,
        help_text=BOUNDARY_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "mono"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, level: int, **kwargs):
        super().__init__(*args, **kwargs)
        if level != rules.GRID:
            del self.fields["grid_kind"]

    @staticmethod
    def initial_for(node: Region) -> dict:
        return {
            "name": node.name,
            "code": node.code,
            "grid_kind": node.grid_kind,
            "households_planned": node.households_planned,
            "boundary": json.dumps(node.boundary, ensure_ascii=False) if node.boundary else "",
            "version": node.version,
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "code": data["code"],
            "boundary": data["boundary"] or None,
            "grid_kind": data.get("grid_kind", ""),
            "households_planned": data["households_planned"],
        }


class StaffForm(DomainForm):
    duty = forms.ChoiceField(label="职务", choices=GridStaff.Duty.choices)
    name = forms.CharField(label="姓名", required=False, max_length=50)
    phone = forms.CharField(label="电话", required=False, max_length=20)


def may_edit(user) -> bool:
    """Whether to offer edit buttons; regions.services decides for real."""
    return can(user, REGISTRY, EDIT_REGIONS)


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
        "can_edit": may_edit(request.user),
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
                messages.success(request, "已保存区域信息")
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
                messages.success(request, f"已添加“{child.name}”")
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
            messages.success(request, f"已添加{form.cleaned_data['name']}")
            return redirect("regions:detail", pk=grid.pk)
    return _render_detail(request, grid, staff_form=form, status=400)
