"""Writes of assessment: index systems, rounds, scoring per stage, evidence, 认定. Keyword-only, transactional,
scope- and permission-checked: out of scope → 404, not allowed → 403, bad input → 400 (nothing saved), a stale
version → 409."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.scope import get_or_404, subtree, subtree_or_above_q
from linli.campaigns.models import Plan
from linli.core import uploads
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.regions.models import Region

from . import rules, selectors, standard
from .models import Evidence, Indicator, Item, Round, RoundUnit, Scheme, Score, Sheet

NAME_MAX = 100
CONTENT_MAX = 500
STANDARD_MAX = 200
NOTE_MAX = 300
REASON_MAX = 100


def _organiser_path(user) -> str:
    """Admin, district and street staff organise assessment for their region; others may only take part."""
    path = selectors.reader_path(user)
    if not selectors.may_organise(user):
        raise PermissionDenied(_("只有系统管理员、区级和街道工作人员可以制定指标体系和组织测评"))
    return path


# ---------------------------------------------------------------- index systems


def _text(value, field: str, label: str, max_length: int, errors: list, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.append(FieldError(field, _("请填写%(label)s") % {"label": label}))
    elif len(text) > max_length:
        errors.append(
            FieldError(field, _("%(label)s不能超过%(max_length)s个字") % {"label": label, "max_length": max_length})
        )
    return text


def _clean_items(items, field: str, errors: list) -> list[dict]:
    cleaned = []
    for i, raw in enumerate(items or [], start=1):
        f = f"{field}.items.{i}"
        raw = raw if isinstance(raw, dict) else {}
        method = raw.get("method")
        if method not in rules.METHOD_LABELS:
            errors.append(FieldError(f"{f}.method", _("评分方式应为扣分制、达标制或评分制")))
        points = rules.decimal(raw.get("max_points"))
        if points is None or points <= 0:
            errors.append(FieldError(f"{f}.max_points", _("分值应为大于0的数（最多两位小数）")))
        cleaned.append(
            {
                "content": _text(raw.get("content"), f"{f}.content", _("测评内容"), CONTENT_MAX, errors),
                "standard": _text(
                    raw.get("standard"), f"{f}.standard", _("评分标准"), STANDARD_MAX, errors, required=False
                ),
                "max_points": points,
                "method": method,
            }
        )
    return cleaned


def _clean_indicators(data: dict, errors: list) -> list[dict]:
    roots = []
    indicators = data.get("indicators") or []
    if not indicators:
        errors.append(FieldError("indicators", _("请至少设置一个一级指标")))
    for i, raw in enumerate(indicators, start=1):
        f = f"indicators.{i}"
        raw = raw if isinstance(raw, dict) else {}
        node = {
            "name": _text(raw.get("name"), f"{f}.name", _("一级指标名称"), NAME_MAX, errors),
            "items": _clean_items(raw.get("items"), f, errors),
            "children": [],
        }
        for j, child in enumerate(raw.get("children") or [], start=1):
            cf = f"{f}.children.{j}"
            child = child if isinstance(child, dict) else {}
            items = _clean_items(child.get("items"), cf, errors)
            if not items:
                errors.append(FieldError(f"{cf}.items", _("二级指标下请至少设置一项测评内容")))
            node["children"].append(
                {"name": _text(child.get("name"), f"{cf}.name", _("二级指标名称"), NAME_MAX, errors), "items": items}
            )
        if not node["items"] and not node["children"]:
            errors.append(FieldError(f"{f}.items", _("一级指标下请设置二级指标或测评内容")))
        roots.append(node)
    return roots


def _aspect_points(node: dict) -> Decimal:
    items = node["items"] + [i for c in node["children"] for i in c["items"]]
    return sum((i["max_points"] or Decimal(0) for i in items), Decimal(0))


@transaction.atomic
def scheme_create(*, user, data: dict, region_id: int | None = None, plan_id: int | None = None) -> Scheme:
    """An index system from a nested description: {name, description, rating, grades, indicators: [{name, items,
    children: [{name, items}]}]}, items {content, standard, max_points, method}. A star scheme has the ten
    ten-point aspects of 001 篇5 as its 一级指标. The region (default: the user's) lies in the user's subtree; the
    plan, if any, is one the user can see."""
    path = _organiser_path(user)
    if region_id is None and user.region_id is None:
        raise ValidationFailed([FieldError("region_id", _("请选择指标体系所属的区域"))])
    region = get_or_404(subtree(path), pk=region_id or user.region_id)
    plan = get_or_404(Plan.objects.filter(subtree_or_above_q(path, "region")), pk=plan_id) if plan_id else None
    return _scheme_build(data=data, region=region, plan=plan, created_by=user)


def _scheme_build(*, data: dict, region: Region, plan, created_by) -> Scheme:
    errors: list[FieldError] = []
    name = _text(data.get("name"), "name", _("名称"), NAME_MAX, errors)
    rating = data.get("rating") or rules.TOTAL
    if rating not in rules.RATING_LABELS:
        errors.append(FieldError("rating", _("评定方式应为星级评定或总分评定")))
    grades = data.get("grades") or []
    if not isinstance(grades, list):
        grades = [None]
    errors += [FieldError("grades", message) for message in rules.grades_errors(grades)]
    roots = _clean_indicators(data, errors)
    if rating == rules.STARS and not errors:
        if len(roots) != len(rules.STAR_ASPECTS) or any(_aspect_points(r) != rules.ASPECT_POINTS for r in roots):
            errors.append(FieldError("indicators", _("星级评定须有十个一级指标（方面），每个方面满分10分")))
    if errors:
        raise ValidationFailed(errors)
    scheme = Scheme.objects.create(
        region=region,
        plan=plan,
        key=data.get("key", ""),
        name=name,
        description=str(data.get("description") or "").strip(),
        rating=rating,
        grades=[[str(g[0]).strip(), float(rules.decimal(g[1]))] for g in grades],
        created_by=created_by,
    )
    order = 0
    items = []
    for i, root in enumerate(roots):
        top = Indicator.objects.create(scheme=scheme, order=i, name=root["name"])
        groups = [(top, root["items"])]
        for j, child in enumerate(root["children"]):
            second = Indicator.objects.create(scheme=scheme, parent=top, order=j, name=child["name"])
            groups.append((second, child["items"]))
        for indicator, raw_items in groups:
            for raw in raw_items:
                items.append(Item(scheme=scheme, indicator=indicator, aspect=top, order=order, **raw))
                order += 1
    Item.objects.bulk_create(items)
    return scheme


@transaction.atomic
def standard_schemes_install(*, region: Region, user=None, plan=None) -> list[Scheme]:
    """Install the star scheme (001 篇5) and the key-point deduction scheme (003 篇3) for a region, once: a second
    call returns the schemes already there. For the command and the demo; users go through the _as variant."""
    schemes = []
    for data in (standard.star_scheme(), standard.keypoint_scheme()):
        existing = Scheme.objects.filter(region=region, key=data["key"]).first()
        schemes.append(existing or _scheme_build(data=data, region=region, plan=plan, created_by=user))
    return schemes


def standard_schemes_install_as(*, user) -> list[Scheme]:
    """The organiser installs the standard schemes for their own region."""
    _organiser_path(user)
    if user.region is None:
        raise ValidationFailed([FieldError("region", _("系统管理员请用命令 assessment_install 为指定区域安装"))])
    return standard_schemes_install(region=user.region, user=user)


# ---------------------------------------------------------------- rounds


@transaction.atomic
def round_create(*, user, scheme_id: int, name: str, period: str, unit_ids: list[int]) -> Round:
    """A round of a visible scheme over communities or streets of the organiser's region; every unit starts at 自评
    with an empty sheet for each stage."""
    _organiser_path(user)
    scheme = selectors.scheme_get(user=user, pk=scheme_id)
    errors: list[FieldError] = []
    name = _text(name, "name", _("轮次名称"), NAME_MAX, errors)
    period = _text(period, "period", _("测评期间"), 40, errors)
    ids = list(dict.fromkeys(unit_ids or []))
    units = list(selectors.unit_regions(user=user).filter(pk__in=ids))
    if not ids:
        errors.append(FieldError("unit_ids", _("请选择被测评的社区或街道")))
    elif len(units) != len(ids):
        errors.append(FieldError("unit_ids", _("被测评单位须为本辖区内的社区或街道")))
    if errors:
        raise ValidationFailed(errors)
    region = user.region if user.region_id else scheme.region
    rnd = Round.objects.create(scheme=scheme, region=region, name=name, period=period, created_by=user)
    round_units = RoundUnit.objects.bulk_create([RoundUnit(round=rnd, region=r) for r in units])
    Sheet.objects.bulk_create([Sheet(unit=u, stage=s) for u in round_units for s in rules.STAGES])
    return rnd


# ---------------------------------------------------------------- scoring


def _check_stage(user, unit: RoundUnit, stage: str) -> None:
    """The unit is at `stage`, the round is open and the user scores in that stage."""
    if stage not in rules.STAGES:
        raise ValidationFailed([FieldError("stage", _("阶段应为自评、初审、复核或认定"))])
    if not selectors.may_score(user, unit, stage):
        raise PermissionDenied(
            _("您不能为%(name)s进行%(STAGE_LABELS)s")
            % {"name": unit.region.name, "STAGE_LABELS": rules.STAGE_LABELS[stage]}
        )
    if unit.round.status == Round.CONFIRMED:
        raise ValidationFailed([FieldError("stage", _("本轮测评已认定，结果已锁定，不能再修改"))])
    if unit.stage != stage:
        raise ValidationFailed(
            [
                FieldError(
                    "stage",
                    _("%(name)s当前处于%(STAGE_LABELS)s阶段，不能进行%(STAGE_LABELS2)s")
                    % {
                        "name": unit.region.name,
                        "STAGE_LABELS": rules.STAGE_LABELS[unit.stage],
                        "STAGE_LABELS2": rules.STAGE_LABELS[stage],
                    },
                )
            ]  # fmt: skip
        )


def _locked_sheet(unit: RoundUnit, stage: str, version) -> Sheet:
    sheet = Sheet.objects.select_for_update().get(unit=unit, stage=stage)
    if version is None or isinstance(version, bool) or version != sheet.version:
        raise Conflict(_("评分表已被他人修改，请刷新后重试"))
    return sheet


def _item_label(item: Item) -> str:
    content = item.content if len(item.content) <= 16 else item.content[:16] + "…"
    return f"“{content}”"


def _clean_scores(items: dict[int, Item], entries: list, errors: list) -> list[Score]:
    scores, seen = [], set()
    for entry in entries:
        entry = entry if isinstance(entry, dict) else {}
        item_id = entry.get("item_id")
        item = items.get(item_id) if isinstance(item_id, int) else None
        if item is None:
            errors.append(FieldError(f"items.{item_id}", _("测评内容不属于本指标体系")))
            continue
        field = f"items.{item.pk}"
        if item.pk in seen:
            errors.append(FieldError(field, _("%(item_label)s重复评分") % {"item_label": _item_label(item)}))
            continue
        seen.add(item.pk)
        findings = entry.get("findings") or []
        if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
            errors.append(
                FieldError(field, _("%(item_label)s：扣分记录格式不正确") % {"item_label": _item_label(item)})
            )
            continue
        points, problem = rules.item_score(
            item.method, item.max_points, points=entry.get("points"), passed=entry.get("passed"), findings=findings
        )
        note = str(entry.get("note") or "").strip()
        reasons_too_long = any(len(str(f.get("reason") or "")) > REASON_MAX for f in findings)
        if problem or len(note) > NOTE_MAX or reasons_too_long:
            too_long = (
                _("扣分原因不能超过%(REASON_MAX)s个字") % {"REASON_MAX": REASON_MAX}
                if reasons_too_long
                else _("说明不能超过%(NOTE_MAX)s个字") % {"NOTE_MAX": NOTE_MAX}
            )
            problem = problem or too_long
            errors.append(FieldError(field, f"{_item_label(item)}：{problem}"))
            continue
        scores.append(
            Score(
                item=item,
                points=points,
                passed=entry.get("passed") if item.method == rules.PASSFAIL else None,
                findings=[
                    {"points": str(rules.decimal(f["points"])), "reason": str(f["reason"]).strip()} for f in findings
                ]
                if item.method == rules.DEDUCTION
                else [],
                note=note,
            )
        )
    return scores


def _totals(sheet: Sheet, scheme: Scheme) -> None:
    """Store the sheet's total, stars and count of scored items from its scores."""
    rows = list(sheet.scores.select_related("item"))
    sheet.total = sum((s.points for s in rows), Decimal(0))
    sheet.scored = len(rows)
    if scheme.rating == rules.STARS:
        aspects: dict[int, Decimal] = defaultdict(Decimal)
        for aspect in scheme.indicators.filter(parent=None).values_list("pk", flat=True):
            aspects[aspect] = Decimal(0)
        for s in rows:
            aspects[s.item.aspect_id] += s.points
        sheet.stars = rules.star_rating(aspects.values()).stars
    else:
        sheet.stars = None


@transaction.atomic
def sheet_save(
    *, user, unit_id: int, stage: str, version, scores: list, note: str | None = None, submit: bool = False
) -> Sheet:
    """Save some or all of a stage's scores for a unit (a draft until submitted). Every entry is checked first:
    one bad entry (over the points, negative, a deduction without its reason) saves nothing. With `submit` the
    stage is submitted as well (the scoring page's 提交, as sheet_submit): both happen, or neither."""
    unit = selectors.unit_get(user=user, pk=unit_id)
    _check_stage(user, unit, stage)
    cleaned = _clean_entries(unit.round.scheme, scores, note)
    sheet = _write(_locked_sheet(unit, stage, version), unit.round.scheme, cleaned, note, user)
    if submit:
        _check_submittable(stage)
        _advance(unit, sheet, user, timezone.now())
        sheet.refresh_from_db()
    return sheet


def _clean_entries(scheme: Scheme, scores, note: str | None) -> list[Score]:
    if not isinstance(scores, list):
        raise ValidationFailed([FieldError("scores", _("评分数据格式不正确"))])
    errors: list[FieldError] = []
    cleaned = _clean_scores({i.pk: i for i in scheme.items.all()}, scores, errors)
    if note is not None and len(note) > 2000:
        errors.append(FieldError("note", _("评语不能超过2000个字")))
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _write(sheet: Sheet, scheme: Scheme, cleaned: list[Score], note: str | None, user) -> Sheet:
    Score.objects.filter(sheet=sheet, item_id__in=[s.item_id for s in cleaned]).delete()
    for s in cleaned:
        s.sheet = sheet
    Score.objects.bulk_create(cleaned)
    _totals(sheet, scheme)
    if note is not None:
        sheet.note = note.strip()
    sheet.updated_by = user
    sheet.version = F("version") + 1
    sheet.save()
    sheet.refresh_from_db()
    return sheet


@transaction.atomic
def sheet_record(*, unit: RoundUnit, stage: str, scores: list, by=None, submit: bool = False, at=None) -> Sheet:
    """Record a stage's scores taken elsewhere (the paper forms of an earlier round), checked like sheet_save but
    without a user's permission: the caller vouches for who scored. For the demo builder and imports."""
    if unit.stage != stage:
        raise ValidationFailed(
            [
                FieldError(
                    "stage",
                    _("%(name)s当前不在%(STAGE_LABELS)s阶段")
                    % {"name": unit.region.name, "STAGE_LABELS": rules.STAGE_LABELS[stage]},
                )
            ]
        )
    scheme = unit.round.scheme
    sheet = _write(Sheet.objects.get(unit=unit, stage=stage), scheme, _clean_entries(scheme, scores, None), None, by)
    if submit:
        _advance(unit, sheet, by, at or timezone.now())
    return sheet


def _copy_scores(source: Sheet, target: Sheet) -> None:
    """The next stage starts from this stage's scores: reviewers change what they find otherwise."""
    Score.objects.filter(sheet=target).delete()
    Score.objects.bulk_create(
        [
            Score(sheet=target, item_id=s.item_id, points=s.points, passed=s.passed, findings=s.findings, note=s.note)
            for s in source.scores.all()
        ]
    )
    target.total, target.stars, target.scored = source.total, source.stars, source.scored
    target.version = F("version") + 1
    target.save(update_fields=["total", "stars", "scored", "version"])


@transaction.atomic
def sheet_submit(*, user, unit_id: int, stage: str, version) -> RoundUnit:
    """Submit 自评, 初审 or 复核 for a unit: every item must be scored; the unit moves on to the next stage, whose
    sheet starts from these scores. 认定 is not submitted per unit but for the whole round (round_confirm)."""
    unit = selectors.unit_get(user=user, pk=unit_id)
    _check_stage(user, unit, stage)
    _check_submittable(stage)
    sheet = _locked_sheet(unit, stage, version)
    _advance(unit, sheet, user, timezone.now())
    return unit


def _check_submittable(stage: str) -> None:
    if stage == rules.CONFIRM:
        raise ValidationFailed([FieldError("stage", _("认定由区级对整轮测评统一进行，请在轮次页面认定"))])


def _advance(unit: RoundUnit, sheet: Sheet, user, at) -> None:
    scored = set(sheet.scores.values_list("item_id", flat=True))
    missing = [i for i in unit.round.scheme.items.all() if i.pk not in scored]
    if missing:
        raise ValidationFailed(
            [
                FieldError(
                    f"items.{i.pk}", _("%(item_label)s尚未评分，全部评分后才能提交") % {"item_label": _item_label(i)}
                )
                for i in missing
            ]
        )
    Sheet.objects.filter(pk=sheet.pk).update(submitted_at=at, submitted_by=user, version=F("version") + 1)
    _copy_scores(sheet, Sheet.objects.get(unit=unit, stage=rules.NEXT_STAGE[sheet.stage]))
    unit.stage = rules.NEXT_STAGE[sheet.stage]
    unit.save(update_fields=["stage"])


@transaction.atomic
def round_confirm(*, user, round_id: int, version, now=None) -> Round:
    """认定: district staff confirm every unit's result (the 认定 sheet: the 复核 scores as adjusted at 认定) and lock
    the round. Every unit must have finished 复核."""
    rnd = selectors.round_get(user=user, pk=round_id)
    if not selectors.may_confirm(user, rnd):
        raise PermissionDenied(_("只有区级工作人员或系统管理员可以认定测评结果"))
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    if version is None or isinstance(version, bool) or version != rnd.version:
        raise Conflict()
    if rnd.status == Round.CONFIRMED:
        raise ValidationFailed([FieldError("round", _("本轮测评已经认定"))])
    waiting = list(rnd.units.exclude(stage=rules.CONFIRM).select_related("region"))
    if waiting:
        names = "、".join(u.region.name for u in waiting[:5]) + (_("等") if len(waiting) > 5 else "")
        raise ValidationFailed([FieldError("round", _("%(names)s尚未完成复核，不能认定") % {"names": names})])
    now = now or timezone.now()
    Sheet.objects.filter(unit__round=rnd, stage=rules.CONFIRM).update(
        submitted_at=now, submitted_by=user, version=F("version") + 1
    )
    rnd.units.update(stage=rules.DONE)
    Round.objects.filter(pk=rnd.pk).update(
        status=Round.CONFIRMED, confirmed_at=now, confirmed_by=user, version=F("version") + 1
    )
    rnd.refresh_from_db()
    return rnd


# ---------------------------------------------------------------- evidence


@transaction.atomic
def evidence_add(*, user, unit_id: int, item_id: int, upload) -> Evidence:
    """Attach a file to an item of a unit: whoever scores the unit in its current stage may."""
    unit = selectors.unit_get(user=user, pk=unit_id)
    _check_stage(user, unit, unit.stage if unit.stage in rules.STAGES else rules.CONFIRM)
    item = get_or_404(unit.round.scheme.items.all(), pk=item_id)
    if upload is None:
        raise ValidationFailed([FieldError("file", _("请选择要上传的文件"))])
    checked = uploads.check(upload, uploads.EVIDENCE, field="file", label=_("佐证材料"))
    name = checked.name[-200:]
    evidence = Evidence(
        unit=unit,
        item=item,
        stage=unit.stage,
        name=name,
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=user,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence
