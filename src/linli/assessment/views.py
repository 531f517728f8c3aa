"""Assessment pages: schemes and rounds, the scheme tree, a round's units, the scoring page of one unit and stage,
results with a chart and the xlsx export. Thin: selectors read (always in the user's scope), services write."""

import re
from decimal import Decimal
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden

from . import rules, selectors, services
from .api import evidence_response
from .forms import RoundForm
from .models import Round, RoundUnit, Score

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(view):
    """Login, and a 403 page for those who take no part in assessment."""

    @login_required
    def wrapped(request, *args, **kwargs):
        try:
            selectors.reader_path(request.user)
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# ---------------------------------------------------------------- home and schemes


@_reader
def home(request: HttpRequest) -> HttpResponse:
    """指标体系 and 测评轮次 the user can see."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "install":
        try:
            schemes = services.standard_schemes_install_as(user=user)
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        except DomainError as exc:
            messages.error(request, "；".join(e.message for e in exc.errors) or exc.detail)
        else:
            messages.success(request, "已安装标准指标体系：" + "、".join(s.name for s in schemes))
        return redirect("assessment:home")
    schemes = selectors.scheme_queryset(user=user).annotate(item_count=Count("items"))
    rounds = selectors.round_queryset(user=user).annotate(unit_count=Count("units")).order_by("-created_at", "-id")
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/home.html",
        {"schemes": list(schemes[:50]), "page": page, "organiser": selectors.may_organise(user)},
    )


@_reader
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    tree = selectors.scheme_tree(scheme)
    total = sum((n.points for n in tree), Decimal(0))
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": scheme,
            "tree": tree,
            "total": total,
            "rounds": selectors.round_queryset(user=request.user).filter(scheme=scheme),
            "organiser": selectors.may_organise(request.user),
        },
    )


# ---------------------------------------------------------------- rounds


@_reader
def round_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_organise(user):
        return forbidden(request, "只有系统管理员、区级和街道工作人员可以组织测评")
    form = RoundForm(request.POST or None, user=user, initial={"scheme_id": request.GET.get("scheme")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rnd = services.round_create(user=user, **form.cleaned_data)
            except ValidationFailed as exc:
                form.add_domain_errors(exc.errors)
            else:
                messages.success(request, f"已组织{rnd.name}，各单位可以开始自评")
                return redirect("assessment:round", rnd.pk)
        status = 400
    return render(request, "assessment/round_form.html", {"form": form}, status=status)


@_reader
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's units in the user's scope: stage, each stage's total, result, stars or grade, rank; 认定 here."""
    user = request.user
    rnd = selectors.round_get(user=user, pk=pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            services.round_confirm(user=user, round_id=rnd.pk, version=_int(request.POST.get("version")))
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        except DomainError as exc:
            error, status = "；".join(e.message for e in exc.errors) or exc.detail, exc.status
            rnd = selectors.round_get(user=user, pk=pk)
        else:
            messages.success(request, f"{rnd.name}已认定，结果已锁定")
            return redirect("assessment:results", rnd.pk)
    results = selectors.round_results(user=user, round=rnd)
    rows = [(r, _actions(user, r.unit)) for r in results]
    waiting = rnd.units.exclude(stage__in=(rules.CONFIRM, rules.DONE)).count()
    context = {
        "round": rnd,
        "rows": rows,
        "stages": [(s, rules.STAGE_LABELS[s]) for s in rules.STAGES],
        "stars": rnd.scheme.rating == rules.STARS,
        "star_range": range(10),
        "unit_count": rnd.units.count(),
        "waiting": waiting,
        "can_confirm": rnd.status == Round.OPEN and selectors.may_confirm(user, rnd),
        "error": error,
    }
    return render(request, "assessment/round.html", context, status=status)


def _actions(user, unit: RoundUnit) -> list[tuple[str, str, bool]]:
    """(stage, label, may score) for each stage the unit has reached: the scoring page or a read-only view."""
    out = []
    for stage in rules.STAGES:
        if not rules.stage_reached(unit.stage, stage):
            break
        scoring = unit.stage == stage and unit.round.status == Round.OPEN and selectors.may_score(user, unit, stage)
        out.append((stage, rules.STAGE_LABELS[stage], scoring))
    return out


def _int(value) -> int | None:
    return int(value) if value and str(value).isdecimal() else None


# ---------------------------------------------------------------- scoring


FINDING_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)(?:\s*分)?[\s,，、:：]+(.*)$")


def _findings(text: str) -> list[dict]:
    """One finding a line: "2 楼道堆物" (points, then the reason); a line without points is one point ("发现一处扣1分");
    a line with points only has no reason, which the rules refuse."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = FINDING_LINE.match(line)
        if m:
            out.append({"points": m.group(1), "reason": m.group(2).strip()})
        elif re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", line):
            out.append({"points": line.strip(), "reason": ""})
        else:
            out.append({"points": "1", "reason": line.strip()})
    return out


def _posted_scores(post, items) -> list[dict]:
    """The entries the form holds: an item left blank (no points, no choice) is not part of the save."""
    entries = []
    for item in items:
        note = post.get(f"note_{item.pk}", "")
        if item.method == rules.SCALE:
            raw = post.get(f"points_{item.pk}", "").strip()
            if raw == "":
                continue
            entries.append({"item_id": item.pk, "points": raw, "note": note})
        elif item.method == rules.PASSFAIL:
            raw = post.get(f"passed_{item.pk}")
            if raw not in ("1", "0"):
                continue
            entries.append({"item_id": item.pk, "passed": raw == "1", "note": note})
        else:
            entries.append(
                {"item_id": item.pk, "findings": _findings(post.get(f"findings_{item.pk}", "")), "note": note}
            )
    return entries


def _findings_text(findings: list[dict]) -> str:
    return "\n".join(f"{rules.fmt(Decimal(f['points']))} {f['reason']}" for f in findings)


@_reader
def sheet(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The scoring page of one unit in one stage: every item with its method's input, evidence, save and submit."""
    user = request.user
    try:
        unit, current = selectors.sheet_get(user=user, unit_id=pk, stage=stage)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except ValidationFailed as exc:
        messages.error(request, exc.errors[0].message)
        return redirect("assessment:round", selectors.unit_get(user=user, pk=pk).round_id)
    scheme = unit.round.scheme
    items = selectors.items_of(scheme)
    errors: dict[str, str] = {}
    error, status, posted = "", 200, None
    if request.method == "POST" and request.POST.get("action") in ("save", "submit"):
        posted = request.POST
        entries = _posted_scores(request.POST, items)
        try:
            with transaction.atomic():
                saved = services.sheet_save(
                    user=user, unit_id=unit.pk, stage=stage, version=_int(request.POST.get("version")),
                    scores=entries, note=request.POST.get("sheet_note", ""),
                )  # fmt: skip
                if request.POST["action"] == "submit":
                    services.sheet_submit(user=user, unit_id=unit.pk, stage=stage, version=saved.version)
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        except Conflict as exc:
            error, status, posted = exc.detail, 409, None
        except DomainError as exc:
            errors = {e.field: e.message for e in exc.errors}
            error, status = exc.detail, exc.status
        else:
            if request.POST["action"] == "submit":
                messages.success(request, f"{unit.region.name}的{rules.STAGE_LABELS[stage]}已提交")
                return redirect("assessment:round", unit.round_id)
            messages.success(request, f"已保存，当前合计{rules.fmt(saved.total)}分")
            return redirect("assessment:sheet", unit.pk, stage)
        unit, current = selectors.sheet_get(user=user, unit_id=pk, stage=stage)
    return _sheet_page(request, unit, current, items, errors=errors, error=error, posted=posted, status=status)


def _sheet_page(request, unit, current, items, *, errors, error, posted, status, evidence_error=""):
    user, stage = request.user, current.stage
    scores = {s.item_id: s for s in current.scores.all()}
    evidence: dict[int, list] = {}
    for e in selectors.evidence_of(unit):
        evidence.setdefault(e.item_id, []).append(e)
    aspects = {}
    for i in items:
        aspects.setdefault(i.aspect_id, []).append(i)
    rows = []
    for item in items:
        s = scores.get(item.pk)
        if posted is not None:
            value = {
                "points": posted.get(f"points_{item.pk}", ""),
                "passed": posted.get(f"passed_{item.pk}"),
                "findings": posted.get(f"findings_{item.pk}", ""),
                "note": posted.get(f"note_{item.pk}", ""),
            }
        else:
            value = {
                "points": rules.fmt(s.points) if s and item.method == rules.SCALE else "",
                "passed": ("1" if s.passed else "0") if s and s.passed is not None else None,
                "findings": _findings_text(s.findings) if s else "",
                "note": s.note if s else "",
            }
        rows.append(
            {
                "item": item,
                "first": aspects[item.aspect_id][0] is item,
                "span": len(aspects[item.aspect_id]),
                "score": s,
                "value": value,
                "error": errors.get(f"items.{item.pk}", ""),
                "evidence": evidence.get(item.pk, []),
            }
        )
    can_score = unit.stage == stage and unit.round.status == Round.OPEN and selectors.may_score(user, unit, stage)
    rating = rules.star_level(current.stars) if current.stars is not None else None
    context = {
        "unit": unit,
        "round": unit.round,
        "scheme": unit.round.scheme,
        "sheet": current,
        "stage_label": rules.STAGE_LABELS[stage],
        "rows": rows,
        "can_score": can_score,
        "rating": rating,
        "error": error,
        "evidence_error": evidence_error,
        "other_errors": [m for f, m in errors.items() if not f.startswith("items.")],
        "sheet_note": posted.get("sheet_note", "") if posted is not None else current.note,
        "submittable": stage != rules.CONFIRM,
        "methods": rules.METHOD_LABELS,
        "max_mb": services.MAX_EVIDENCE_BYTES // (1024 * 1024),
    }
    return render(request, "assessment/sheet.html", context, status=status)


@_reader
def evidence_upload(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("assessment:sheet", pk, stage)
    user = request.user
    try:
        e = services.evidence_add(
            user=user, unit_id=pk, item_id=_int(request.POST.get("item_id")), upload=request.FILES.get("file")
        )
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except DomainError as exc:
        unit, current = selectors.sheet_get(user=user, unit_id=pk, stage=stage)
        items = selectors.items_of(unit.round.scheme)
        message = "；".join(e.message for e in exc.errors) or exc.detail
        return _sheet_page(
            request, unit, current, items, errors={}, error="", posted=None, status=exc.status, evidence_error=message
        )
    messages.success(request, f"已上传佐证材料“{e.name}”")
    return redirect(reverse("assessment:sheet", args=[pk, stage]) + f"#item-{e.item_id}")


@_reader
def evidence_file(request: HttpRequest, pk: int, eid: int) -> HttpResponse:
    return evidence_response(selectors.unit_get(user=request.user, pk=pk), eid)


# ---------------------------------------------------------------- results


@_reader
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking with a bar chart: totals (and stars for a star scheme) of the units in the user's scope."""
    user = request.user
    rnd = selectors.round_get(user=user, pk=pk)
    rows = selectors.round_results(user=user, round=rnd)
    ranked = [r for r in rows if r.rank is not None]
    stars = rnd.scheme.rating == rules.STARS
    chart = {
        "names": [r.unit.region.name for r in ranked],
        "totals": [float(r.total) for r in ranked],
        "stars": [r.stars or 0 for r in ranked] if stars else [],
        "max": float(sum((i.max_points for i in rnd.scheme.items.all()), Decimal(0))),
    }
    context = {
        "round": rnd,
        "rows": rows,
        "stars": stars,
        "chart": chart,
        "star_range": range(10),
        "unit_count": rnd.units.count(),
    }
    return render(request, "assessment/results.html", context)


@_reader
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking as .xlsx, with a second sheet of each unit's item scores in its final stage."""
    user = request.user
    rnd = selectors.round_get(user=user, pk=pk)
    rows = selectors.round_results(user=user, round=rnd)
    stars = rnd.scheme.rating == rules.STARS
    wb = Workbook()
    ws = wb.active
    ws.title = "测评结果"
    header = ["名次", "单位", "所处阶段"] + [f"{rules.STAGE_LABELS[s]}得分" for s in rules.STAGES] + ["最终得分"]
    header += ["星数", "评定结果"] if stars else ["等次"]
    ws.append(header)
    for r in rows:
        line = [r.rank or "—", r.unit.region.name, r.stage_label]
        line += [float(r.stage_totals[s]) if r.stage_totals[s] is not None else "" for s in rules.STAGES]
        line += [float(r.total) if r.total is not None else ""]
        line += [r.stars if r.stars is not None else "", r.level] if stars else [r.level]
        ws.append(line)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 18
    ws.freeze_panes = "C2"
    _detail_sheet(wb.create_sheet("得分明细"), rnd, rows)
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{rnd.name}_测评结果.xlsx")
    return response


def _detail_sheet(ws, rnd: Round, rows: list[selectors.UnitResult]) -> None:
    items = selectors.items_of(rnd.scheme)
    ws.append(
        ["单位", "阶段"] + [f"{i.indicator.name}：{i.content[:12]}（{rules.fmt(i.max_points)}分）" for i in items]
    )
    finals = {r.unit.pk: r.final_stage for r in rows if r.final_stage}
    points: dict[tuple[int, int], Decimal] = {}
    scores = Score.objects.filter(sheet__unit_id__in=list(finals)).values_list(
        "sheet__unit_id", "sheet__stage", "item_id", "points"
    )
    for unit_id, stage, item_id, value in scores:
        if finals[unit_id] == stage:
            points[unit_id, item_id] = value
    for r in rows:
        if r.final_stage:
            ws.append([r.unit.region.name, r.final_label] + [float(points.get((r.unit.pk, i.pk), 0)) for i in items])
    for cell in ws[1]:
        cell.font = Font(bold=True)
