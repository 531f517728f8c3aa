"""Writes to the region tree: codes checked by rules.validate_code, boundaries by rules.validate_boundary."""

from django.db import transaction
from django.utils.translation import gettext as _

from linli.accounts.roles import EDIT_ROOT_REGIONS, REGISTRY, can
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.core.validators import InvalidValue, validate_phone

from . import rules
from .models import GridStaff, Region
from .selectors import can_add_below, can_edit_region, region_get, region_scope_users


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您无权修改该区域"))


def _validated(*, level, code, name, boundary, parent: Region | None, grid_kind: str) -> dict:
    errors = []
    try:
        code = rules.validate_code(code, level, parent.code if parent else None, parent.level if parent else None)
    except rules.InvalidCode as exc:
        errors.append(FieldError("code", str(exc)))
    try:
        boundary = rules.validate_boundary(boundary)
    except rules.InvalidCode as exc:
        errors.append(FieldError("boundary", str(exc)))
    if not (name or "").strip():
        errors.append(FieldError("name", _("名称不能为空")))
    if level not in Region.Level.values:
        errors.append(FieldError("level", _("层级无效")))
    if level == rules.GRID and grid_kind not in Region.GridKind.values:
        errors.append(FieldError("grid_kind", _("请选择网格类型（大/中/小/微网格）")))
    if errors:
        raise ValidationFailed(errors)
    return {"code": code, "name": name.strip(), "boundary": boundary, "path": rules.path_for(code, level)}


@transaction.atomic
def region_create(
    *,
    user,
    parent_id: int | None,
    level: int,
    code: str,
    name: str,
    boundary=None,
    grid_kind: str = "",
    households_planned: int | None = None,
) -> Region:
    parent = region_get(user=user, pk=parent_id) if parent_id else None
    if parent is None and not can(user, REGISTRY, EDIT_ROOT_REGIONS):
        raise PermissionDenied(_("只有系统管理员可以创建顶级区域"))
    if parent is not None:
        _check(can_add_below(user, parent))
    values = _validated(level=level, code=code, name=name, boundary=boundary, parent=parent, grid_kind=grid_kind)
    if Region.objects.filter(path=values["path"]).exists() or Region.objects.filter(code=values["code"]).exists():
        raise ValidationFailed([FieldError("code", _("该区划代码已存在"))])
    return Region.objects.create(
        parent=parent,
        level=level,
        grid_kind=grid_kind if level == rules.GRID else "",
        households_planned=households_planned,
        **values,
    )


EDITABLE = ("name", "code", "boundary", "grid_kind", "households_planned")


@transaction.atomic
def region_update(*, user, pk: int, version: int, **changes) -> Region:
    """Change some of a node's EDITABLE fields (those not given keep their values); `version` is what the editor saw,
    a stale one answers 409."""
    if unknown := set(changes) - set(EDITABLE):
        raise TypeError(f"region_update() got unexpected fields {sorted(unknown)}")
    node = Region.objects.select_for_update().get(pk=region_get(user=user, pk=pk).pk)
    _check(can_edit_region(user, node))
    if node.version != version:
        raise Conflict()
    name, code, boundary, grid_kind, households_planned = (changes.get(f, getattr(node, f)) for f in EDITABLE)
    parent = node.parent
    values = _validated(
        level=node.level, code=code, name=name, boundary=boundary, parent=parent, grid_kind=grid_kind or node.grid_kind
    )
    if values["code"] != node.code:
        if node.children.exists():
            raise ValidationFailed([FieldError("code", _("该区域下已有下级区域，不能修改区划代码"))])
        if Region.objects.filter(code=values["code"]).exclude(pk=node.pk).exists():
            raise ValidationFailed([FieldError("code", _("该区划代码已存在"))])
    for field, value in values.items():
        setattr(node, field, value)
    node.households_planned = households_planned
    if node.level == rules.GRID:
        node.grid_kind = grid_kind or node.grid_kind
    node.version += 1
    node.save()
    return node


@transaction.atomic
def grid_staff_add(*, user, grid_id: int, duty: str, name: str, phone: str = "", staff_user_id: int | None = None):
    grid = region_get(user=user, pk=grid_id)
    _check(can_edit_region(user, grid))
    errors = []
    if grid.level != rules.GRID:
        errors.append(FieldError("grid", _("只能为网格配置网格人员")))
    if duty not in GridStaff.Duty.values:
        errors.append(FieldError("duty", _("职务无效")))
    if not (name or "").strip():
        errors.append(FieldError("name", _("姓名不能为空")))
    if phone:
        try:
            phone = validate_phone(phone)
        except InvalidValue as exc:
            errors.append(FieldError("phone", str(exc)))
    if staff_user_id and not region_scope_users(user).filter(pk=staff_user_id).exists():
        errors.append(FieldError("user", _("所选账号不在您的管理范围内")))
    if errors:
        raise ValidationFailed(errors)
    return GridStaff.objects.create(grid=grid, duty=duty, name=name.strip(), phone=phone, user_id=staff_user_id)
