"""Writes of campaign plans and their task trees: permission-checked, validated as a whole, all or nothing.

A plan is written with everything it holds (targets, leading group, phases, sections) in one call; nested rows come
as lists of dicts and replace what was there (targets keep their reported figure when they come back with their id).
Errors name the field and, for nested rows, the row (1-based): `FieldError("targets.value", "…", row=2)`.
Units on a task are given as keys: "org:<organisation id>" or "region:<region id>".
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from linli.burden.work import rules as work_rules
from linli.burden.work import selectors as work_selectors
from linli.burden.work import services as work_services
from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.regions import rules as region_rules
from linli.regions.models import Region

from ..models import GroupMember, Phase, Plan, PlanSection, ProgressReport, Target, Task, TaskUnit
from . import rules
from .selectors import can_create_in, can_edit_plan, plan_period_of, unit_candidates

PLAN_FIELDS = ("title", "issuer", "doc_number", "issued_on", "preamble", "guiding_idea", "scope", "office",
               "requirements", "report_cycle")  # fmt: skip
NESTED = ("targets", "group", "phases", "sections")
TASK_FIELDS = ("title", "content", "direct_person", "handler", "due_on", "deliverables", "weight")
# Rates the system measures are percentages (the complaint rate a count per hundred households).
RATE_MEASURES = {m for m in rules.MEASURE_LABELS if m != rules.REPORTED and rules.measure_unit(m) == "%"}


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None  # NaN and Infinity are not figures anyone reported


def _date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _check_version(obj, version) -> None:
    try:
        stale = version is None or int(version) != obj.version
    except (TypeError, ValueError):
        stale = True  # a page that sent no usable version cannot be known to be current
    if stale:
        raise Conflict()


def _lengths(model, values: dict, errors: list[FieldError], *, prefix: str = "", row: int | None = None) -> None:
    """Text longer than its column is refused here with the field's name, not by the database."""
    for name, value in values.items():
        field = model._meta.get_field(name) if isinstance(value, str) else None
        if field is not None and field.max_length and len(value) > field.max_length:
            where = gettext("第%(row)s行：") % {"row": row} if row else ""
            errors.append(
                FieldError(
                    prefix + name,
                    gettext("%(where)s%(verbose_name)s不能超过%(max_length)s个字")
                    % {"where": where, "verbose_name": field.verbose_name, "max_length": field.max_length},
                    row,
                )
            )


# ---------------------------------------------------------------- plan validation


def _clean_plan(data: dict, errors: list[FieldError]) -> dict:
    out = {k: _text(data, k) for k in PLAN_FIELDS if k not in ("issued_on", "report_cycle")}
    if not out["title"]:
        errors.append(FieldError("title", gettext("请填写方案标题")))
    if not out["issuer"]:
        errors.append(FieldError("issuer", gettext("请填写发文机关")))
    issued_on = data.get("issued_on")
    out["issued_on"] = _date(issued_on)
    if issued_on not in (None, "") and out["issued_on"] is None:
        errors.append(FieldError("issued_on", gettext("日期格式应为YYYY-MM-DD")))
    out["report_cycle"] = data.get("report_cycle") or rules.MONTHLY
    if out["report_cycle"] not in rules.CYCLE_LABELS:
        errors.append(FieldError("report_cycle", gettext("报送周期应为每月或每季度")))
    _lengths(Plan, out, errors)
    return out


def _clean_targets(rows, errors) -> list[dict]:
    out = []
    for n, row in enumerate(rows or [], 1):
        t = {"id": row.get("id"), "indicator": _text(row, "indicator"), "unit": _text(row, "unit"),
             "description": _text(row, "description"), "comparator": row.get("comparator") or ">=",
             "measure": row.get("measure") or rules.REPORTED, "value": _decimal(row.get("value"))}  # fmt: skip
        if not t["indicator"]:
            errors.append(FieldError("targets.indicator", gettext("目标第%(n)s行：请填写指标名称") % {"n": n}, n))
        if t["comparator"] not in rules.COMPARATORS:
            errors.append(
                FieldError("targets.comparator", gettext("目标第%(n)s行：比较方式不在可选范围内") % {"n": n}, n)
            )
        if t["measure"] not in rules.MEASURE_LABELS:
            errors.append(FieldError("targets.measure", gettext("目标第%(n)s行：取数方式不在可选范围内") % {"n": n}, n))
        if t["value"] is None:
            errors.append(FieldError("targets.value", gettext("目标第%(n)s行：请填写目标值（数字）") % {"n": n}, n))
        elif t["measure"] in RATE_MEASURES and not 0 <= t["value"] <= 100:
            errors.append(FieldError("targets.value", gettext("目标第%(n)s行：比率应在0到100之间") % {"n": n}, n))
        elif abs(t["value"]) >= Decimal("1e10"):
            errors.append(FieldError("targets.value", gettext("目标第%(n)s行：目标值过大") % {"n": n}, n))
        if t["measure"] != rules.REPORTED:
            t["unit"] = rules.measure_unit(t["measure"])
        _lengths(Target, t, errors, prefix="targets.", row=n)
        out.append(t)
    return out


def _clean_group(rows, errors) -> list[dict]:
    out = []
    for n, row in enumerate(rows or [], 1):
        g = {"duty": row.get("duty") or "", "name": _text(row, "name"), "title": _text(row, "title"),
             "unit": _text(row, "unit")}  # fmt: skip
        if g["duty"] not in rules.DUTY_LABELS:
            errors.append(
                FieldError(
                    "group.duty",
                    gettext("领导小组第%(n)s行：请选择职务（组长、副组长、成员或办公室主任）") % {"n": n},
                    n,
                )
            )
        if not g["name"] and not g["unit"]:
            errors.append(FieldError("group.name", gettext("领导小组第%(n)s行：请填写姓名或成员单位") % {"n": n}, n))
        _lengths(GroupMember, g, errors, prefix="group.", row=n)
        out.append(g)
    return out


def _clean_phases(rows, errors) -> list[dict]:
    out = []
    for n, row in enumerate(rows or [], 1):
        p = {"name": _text(row, "name"), "description": _text(row, "description"),
             "starts_on": _date(row.get("starts_on")), "ends_on": _date(row.get("ends_on"))}  # fmt: skip
        if not p["name"]:
            errors.append(FieldError("phases.name", gettext("阶段第%(n)s行：请填写阶段名称") % {"n": n}, n))
        if p["starts_on"] is None:
            errors.append(FieldError("phases.starts_on", gettext("阶段第%(n)s行：请填写开始日期") % {"n": n}, n))
        if p["ends_on"] is None:
            errors.append(FieldError("phases.ends_on", gettext("阶段第%(n)s行：请填写结束日期") % {"n": n}, n))
        if p["starts_on"] and p["ends_on"] and p["ends_on"] < p["starts_on"]:
            errors.append(FieldError("phases.ends_on", gettext("阶段第%(n)s行：结束日期早于开始日期") % {"n": n}, n))
        _lengths(Phase, p, errors, prefix="phases.", row=n)
        out.append(p)
    return out


def _clean_sections(rows, errors) -> list[dict]:
    out = []
    for n, row in enumerate(rows or [], 1):
        s = {"heading": _text(row, "heading"), "body": (row.get("body") or "").strip()}
        if not s["heading"]:
            errors.append(FieldError("sections.heading", gettext("章节第%(n)s行：请填写章节标题") % {"n": n}, n))
        _lengths(PlanSection, s, errors, prefix="sections.", row=n)
        out.append(s)
    return out


CLEANERS = {"targets": _clean_targets, "group": _clean_group, "phases": _clean_phases, "sections": _clean_sections}


def _clean(data: dict) -> tuple[dict, dict]:
    errors: list[FieldError] = []
    fields = _clean_plan(data, errors)
    nested = {k: CLEANERS[k](data.get(k), errors) for k in NESTED if k in data}
    if errors:
        raise ValidationFailed(errors)
    return fields, nested


def _has_reports(plan: Plan) -> bool:
    return ProgressReport.objects.filter(task_unit__task__plan=plan).exists()


def _write_nested(plan: Plan, nested: dict) -> None:
    if "targets" in nested:
        kept = {t.pk: t for t in plan.targets.all()}
        Target.objects.filter(plan=plan).delete()
        for order, t in enumerate(nested["targets"]):
            old = kept.get(t.pop("id") or 0)
            if old is not None and old.measure == t["measure"] == rules.REPORTED:
                t.update(reported_value=old.reported_value, reported_at=old.reported_at)
            Target.objects.create(plan=plan, order=order, **t)
    models = {"group": GroupMember, "phases": Phase, "sections": PlanSection}
    for key, model in models.items():
        if key in nested:
            model.objects.filter(plan=plan).delete()
            model.objects.bulk_create(model(plan=plan, order=i, **row) for i, row in enumerate(nested[key]))


# ---------------------------------------------------------------- plans


@transaction.atomic
def plan_create(*, user, data: dict) -> Plan:
    """Draw up a plan (草拟中) for `data["region_id"]` with everything it holds."""
    region = Region.objects.filter(pk=data.get("region_id") or 0).first()
    if region is None:
        raise ValidationFailed([FieldError("region_id", gettext("请选择方案所属区域"))])
    if not can_create_in(user, region):
        raise PermissionDenied(gettext("只有所属区域及上级的区、街道工作人员可以制定方案"))
    fields, nested = _clean(data)
    plan = Plan.objects.create(region=region, created_by=user, **fields)
    _write_nested(plan, nested)
    return plan


def _locked_plan(user, plan: Plan, version) -> Plan:
    plan = Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied(gettext("只有方案所属区域及上级的区、街道工作人员可以修改方案"))
    _check_version(plan, version)
    return plan


@transaction.atomic
def plan_update(*, user, plan: Plan, version: int, data: dict) -> Plan:
    """Change a plan; nested lists present in `data` replace the old rows. Issued plans stay editable."""
    plan = _locked_plan(user, plan, version)
    if plan.status == rules.FINISHED:
        raise DomainError(gettext("方案已结束，不能再修改"))
    merged = {k: getattr(plan, k) for k in PLAN_FIELDS} | {k: v for k, v in data.items() if k in PLAN_FIELDS}
    fields, nested = _clean(merged | {k: data[k] for k in NESTED if k in data})
    if fields["report_cycle"] != plan.report_cycle and _has_reports(plan):
        # Reports are filed per period of the old cycle: a new cycle would leave them in periods nobody owes.
        raise ValidationFailed([FieldError("report_cycle", gettext("已有单位报送进度，不能再更改报送周期"))])
    for k, v in fields.items():
        setattr(plan, k, v)
    plan.version += 1
    plan.save()
    _write_nested(plan, nested)
    return plan


@transaction.atomic
def plan_issue(*, user, plan: Plan, version: int) -> Plan:
    """印发: a draft becomes issued; it needs a document number, a date and at least one phase."""
    plan = _locked_plan(user, plan, version)
    if plan.status != rules.DRAFT:
        raise DomainError(gettext("只有草拟中的方案可以印发"))
    errors = []
    if not plan.doc_number:
        errors.append(FieldError("doc_number", gettext("印发前请填写发文字号")))
    if not plan.phases.exists():
        errors.append(FieldError("phases", gettext("印发前请至少安排一个实施阶段")))
    if errors:
        raise ValidationFailed(errors, gettext("方案尚不能印发"))
    plan.status = rules.ISSUED
    plan.issued_on = plan.issued_on or timezone.localdate()
    plan.version += 1
    plan.save(update_fields=["status", "issued_on", "version", "updated_at"])
    return plan


@transaction.atomic
def plan_finish(*, user, plan: Plan, version: int) -> Plan:
    plan = _locked_plan(user, plan, version)
    if plan.status != rules.ISSUED:
        raise DomainError(gettext("只有已印发的方案可以结束"))
    plan.status = rules.FINISHED
    plan.version += 1
    plan.save(update_fields=["status", "version", "updated_at"])
    return plan


@transaction.atomic
def target_report(*, user, target: Target, version: int, value) -> Target:
    """Record the figure of a reported target (the plan's version guards it like any edit of the plan)."""
    plan = _locked_plan(user, target.plan, version)
    if target.measure != rules.REPORTED:
        raise ValidationFailed([FieldError("value", gettext("该目标由系统数据计算，无需填报"))])
    number = _decimal(value)
    if number is None:
        raise ValidationFailed([FieldError("value", gettext("请填写数字"))])
    if target.unit == "%" and not 0 <= number <= 100:
        raise ValidationFailed([FieldError("value", gettext("比率应在0到100之间"))])
    target.reported_value, target.reported_at = number, timezone.now()
    target.save(update_fields=["reported_value", "reported_at"])
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    return target


# ---------------------------------------------------------------- tasks


def _parse_units(plan: Plan, keys, field: str, errors: list[FieldError]) -> list[tuple[str, int]]:
    parsed = []
    for key in keys or []:
        kind, _, pk = str(key).partition(":")
        if kind not in ("org", "region") or not pk.isdigit():
            errors.append(FieldError(field, gettext("单位“%(key)s”格式不正确") % {"key": key}))
            continue
        parsed.append((kind, int(pk)))
    orgs_qs, offices_qs = unit_candidates(plan)
    orgs = set(orgs_qs.filter(pk__in=[pk for k, pk in parsed if k == "org"]).values_list("pk", flat=True))
    regions = set(offices_qs.filter(pk__in=[pk for k, pk in parsed if k == "region"]).values_list("pk", flat=True))
    for kind, pk in parsed:
        if pk not in (orgs if kind == "org" else regions):
            errors.append(FieldError(field, gettext("所选单位不在方案范围内")))
    return list(dict.fromkeys(parsed))


def _clean_task(plan: Plan, data: dict, errors: list[FieldError]) -> dict:
    t = {k: _text(data, k) for k in ("title", "content", "direct_person", "handler", "deliverables")}
    if not t["title"]:
        errors.append(FieldError("title", gettext("请填写任务名称")))
    t["due_on"] = _date(data.get("due_on"))
    if data.get("due_on") not in (None, "") and t["due_on"] is None:
        errors.append(FieldError("due_on", gettext("日期格式应为YYYY-MM-DD")))
    if t["due_on"]:
        start, end = plan_period_of(plan)
        if t["due_on"] < start or (end is not None and t["due_on"] > end):
            until = f"{end:%Y年%-m月%-d日}" if end else gettext("方案结束")
            errors.append(
                FieldError(
                    "due_on",
                    gettext("完成时限应在方案期限内（%(start)s至%(until)s）")
                    % {"start": format(start, "%Y年%-m月%-d日"), "until": until},
                )
            )
    weight = data.get("weight", 1)
    try:
        t["weight"] = int(weight if weight not in (None, "") else 1)
    except (TypeError, ValueError):
        t["weight"] = 0
    if not 1 <= t["weight"] <= 100:
        errors.append(FieldError("weight", gettext("权重应为1到100的整数")))
    _lengths(Task, t, errors)
    return t


def _write_units(task: Task, units: dict[str, list[tuple[str, int]]]) -> None:
    task.units.all().delete()
    TaskUnit.objects.bulk_create(
        TaskUnit(
            task=task,
            role=role,
            organization_id=pk if kind == "org" else None,
            region_id=pk if kind == "region" else None,
        )  # fmt: skip
        for role, keys in units.items()
        for kind, pk in keys
    )


# 社区工作准入 (burden): a community office named on a task is given the task, and the progress reports it then owes.
WORK_SOURCE, REPORT_SOURCE = rules.WORK_SOURCE, rules.REPORT_SOURCE


def _basis(data: dict, errors: list[FieldError]):
    """The task's "依据" (burden's basis key), resolved; KEEP when the input does not give one."""
    if "basis" not in data:
        return work_services.KEEP
    try:
        return work_services.basis_resolve(data.get("basis"))
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return work_services.KEEP


def _give_work(user, plan: Plan, task: Task, basis) -> None:
    """Record the work each community unit of the task is given (burden.work.admit), with the task's basis; the
    requesting body is the task's lead organisation, or else the plan's office."""
    units = list(task.units.select_related("region", "organization"))
    roles_named = {u.role for u in units}
    lead_org = next((u.organization for u in units if rules.is_lead(u.role) and u.organization_id), None)
    requester = {"requester_org": lead_org} if lead_org else {"requester_office": plan.region}
    leaf = not Task.objects.filter(parent=task).exists()
    if basis is work_services.KEEP:  # a unit named later is given the task's basis, when its units share one
        try:
            basis = (
                work_services.basis_resolve(work_selectors.basis_of(WORK_SOURCE, [u.pk for u in units]))
                or work_services.KEEP
            )
        except ValidationFailed:
            pass
    for u in units:
        if u.region_id is None or u.region.level != region_rules.COMMUNITY:
            continue
        common = {"user": user, "community": u.region, "source_id": u.pk, "basis": basis, **requester}
        work_services.admit(kind=work_rules.TASK, source=WORK_SOURCE, title=task.title, **common)
        if leaf and rules.reports_on(u.role, roles_named):
            title = gettext("%(title)s（进度报送）") % {"title": task.title}
            work_services.admit(kind=work_rules.REPORT, source=REPORT_SOURCE, title=title, **common)
        else:
            work_services.forget(source=REPORT_SOURCE, source_ids=[u.pk])


def _locked_task(user, task: Task, version) -> tuple[Plan, Task]:
    plan = Plan.objects.select_for_update().select_related("region").get(pk=task.plan_id)
    if not can_edit_plan(user, plan):
        raise PermissionDenied(gettext("只有方案所属区域及上级的区、街道工作人员可以分解任务"))
    if plan.status == rules.FINISHED:
        raise DomainError(gettext("方案已结束，不能再修改任务"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    _check_version(task, version)
    return plan, task


@transaction.atomic
def task_create(*, user, plan: Plan, data: dict) -> Task:
    plan = Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied(gettext("只有方案所属区域及上级的区、街道工作人员可以分解任务"))
    if plan.status == rules.FINISHED:
        raise DomainError(gettext("方案已结束，不能再添加任务"))
    errors: list[FieldError] = []
    parent = None
    if data.get("parent_id"):
        parent = Task.objects.filter(plan=plan, pk=data["parent_id"]).first()
        if parent is None:
            errors.append(FieldError("parent_id", gettext("上级任务不属于本方案")))
        elif ProgressReport.objects.filter(task_unit__task=parent).exists():
            # A task with children is no longer reported on: its reports would be left with nobody owing them.
            errors.append(
                FieldError("parent_id", gettext("上级任务已有单位报送进度，不能再分解子任务；请新增同级任务"))
            )
    fields = _clean_task(plan, data, errors)
    units = {
        rules.LEAD: _parse_units(plan, data.get("lead_units"), "lead_units", errors),
        rules.RESPONSIBLE: _parse_units(plan, data.get("responsible_units"), "responsible_units", errors),
    }
    basis = _basis(data, errors)
    if errors:
        raise ValidationFailed(errors)
    last = Task.objects.filter(plan=plan, parent=parent).aggregate(m=Max("order"))["m"]
    task = Task.objects.create(plan=plan, parent=parent, order=0 if last is None else last + 1, **fields)
    _write_units(task, units)
    _give_work(user, plan, task, None if basis is work_services.KEEP else basis)
    if parent is not None:  # a parent with children is no longer reported on
        _give_work(user, plan, parent, work_services.KEEP)
    return task


@transaction.atomic
def task_update(*, user, task: Task, version: int, data: dict) -> Task:
    """Change a task; unit lists present in `data` replace the old ones (a unit with reports cannot be dropped)."""
    plan, task = _locked_task(user, task, version)
    errors: list[FieldError] = []
    merged = {k: getattr(task, k) for k in TASK_FIELDS} | {k: v for k, v in data.items() if k in TASK_FIELDS}
    fields = _clean_task(plan, merged, errors)
    units = {}
    for unit_role, key in ((rules.LEAD, "lead_units"), (rules.RESPONSIBLE, "responsible_units")):
        if key in data:
            units[unit_role] = _parse_units(plan, data[key], key, errors)
    if units:
        current = {(u.role, "org" if u.organization_id else "region", u.organization_id or u.region_id): u.pk
                   for u in task.units.all()}  # fmt: skip
        wanted = {(unit_role, kind, pk) for unit_role, keys in units.items() for kind, pk in keys}
        for unit_role in (rules.LEAD, rules.RESPONSIBLE):
            if unit_role not in units:  # a list not sent keeps its units
                wanted |= {k for k in current if k[0] == unit_role}
        dropped = [pk for k, pk in current.items() if k not in wanted]
        if ProgressReport.objects.filter(task_unit_id__in=dropped).exists():
            errors.append(FieldError("responsible_units", gettext("已报送进度的单位不能移除")))
    basis = _basis(data, errors)
    if errors:
        raise ValidationFailed(errors)
    if basis is work_services.KEEP:  # units named now are given the basis the task's units had
        had = work_selectors.basis_of(WORK_SOURCE, list(task.units.values_list("pk", flat=True)))
        basis = _basis({"basis": had}, []) or work_services.KEEP
    for k, v in fields.items():
        setattr(task, k, v)
    task.version += 1
    task.save()
    if units:
        keep = {k: pk for k, pk in current.items() if k in wanted}
        TaskUnit.objects.filter(task=task).exclude(pk__in=keep.values()).delete()
        TaskUnit.objects.bulk_create(
            TaskUnit(
                task=task,
                role=unit_role,
                organization_id=pk if kind == "org" else None,
                region_id=pk if kind == "region" else None,
            )  # fmt: skip
            for unit_role, kind, pk in wanted - set(keep)
        )
        dropped = [pk for pk in current.values() if pk not in keep.values()]
        work_services.forget(source=WORK_SOURCE, source_ids=dropped)
        work_services.forget(source=REPORT_SOURCE, source_ids=dropped)
    _give_work(user, plan, task, basis)
    return task


@transaction.atomic
def task_move(*, user, task: Task, version: int, direction: str) -> Task:
    """Swap a task with its previous ("up") or next ("down") sibling."""
    if direction not in ("up", "down"):
        raise ValidationFailed([FieldError("direction", gettext("移动方向应为up或down"))])
    plan, task = _locked_task(user, task, version)
    siblings = list(Task.objects.filter(plan=plan, parent_id=task.parent_id).order_by("order", "id"))
    i = next(n for n, s in enumerate(siblings) if s.pk == task.pk)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(siblings):
        raise DomainError(gettext("已经在最前面") if direction == "up" else gettext("已经在最后面"))
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for order, s in enumerate(siblings):
        s.order = order
        if s.pk == task.pk:
            s.version = task.version + 1
    Task.objects.bulk_update(siblings, ["order", "version"])
    return next(s for s in siblings if s.pk == task.pk)


@transaction.atomic
def task_delete(*, user, task: Task, version: int) -> None:
    """Delete a task and its subtasks; refused once any unit has reported on one of them."""
    plan, task = _locked_task(user, task, version)
    ids, frontier = {task.pk}, [task.pk]
    while frontier:
        frontier = list(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    if ProgressReport.objects.filter(task_unit__task_id__in=ids).exists():
        raise DomainError(gettext("该任务（或其子任务）已有进度报送，不能删除"))
    unit_ids = list(TaskUnit.objects.filter(task_id__in=ids).values_list("pk", flat=True))
    Task.objects.filter(pk__in=ids).delete()
    work_services.forget(source=WORK_SOURCE, source_ids=unit_ids)
    work_services.forget(source=REPORT_SOURCE, source_ids=unit_ids)
