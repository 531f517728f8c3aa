"""Assessment pages: schemes and rounds, the scheme tree, a round's units, the scoring page of one unit and stage,
results with a chart and the xlsx export. Thin: selectors read (always in the user's scope), services write."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import uploads
from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.core.forms import checked_text, id_or_none, version_or_none
from linli.core.pages import forbidden
from linli.core.text import Kind

from . import rules, selectors, services, tables
from .api import evidence_response
from .forms import RoundForm, sheet_entries

PAGE_SIZE = 20


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


def _message(exc: DomainError) -> str:
    return "；".join(e.message for e in exc.errors) or exc.detail


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
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("已安装标准指标体系：") + "、".join(s.name for s in schemes))
        return redirect("assessment:home")
    page = Paginator(selectors.round_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/home.html",
        {"schemes": list(selectors.scheme_list(user=user)[:50]), "page": page,
         "organiser": selectors.may_organise(user), "offer_install": selectors.offers_install(user)},
    )  # fmt: skip


@_reader
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_report(user=request.user, pk=pk)
    return render(
        request,
        "assessment/scheme.html",
        {"scheme": scheme, "tree": scheme.tree, "total": scheme.total_points, "rounds": scheme.visible_rounds,
         "organiser": selectors.may_organise(request.user)},
    )  # fmt: skip


# ---------------------------------------------------------------- rounds


@_reader
def round_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_organise(user):
        return forbidden(request, _("只有系统管理员、区级和街道工作人员可以组织测评"))
    form = RoundForm(request.POST or None, user=user, initial={"scheme_id": request.GET.get("scheme")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rnd = services.round_create(user=user, **form.cleaned_data)
            except ValidationFailed as exc:
                form.add_domain_errors(exc.errors)
            else:
                messages.success(request, _("已组织%(name)s，各单位可以开始自评") % {"name": rnd.name})
                return redirect("assessment:round", rnd.pk)
        status = 400
    return render(request, "assessment/round_form.html", {"form": form}, status=status)


@_reader
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's units in the user's scope: stage, each stage's total, result, stars or grade, rank; 认定 here."""
    user = request.user
    error, status = "", 200
    if request.method == "POST":
        try:
            rnd = services.round_confirm(user=user, round_id=pk, version=version_or_none(request.POST.get("version")))
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        except DomainError as exc:
            error, status = _message(exc), exc.status
        else:
            messages.success(request, _("%(name)s已认定，结果已锁定") % {"name": rnd.name})
            return redirect("assessment:results", rnd.pk)
    rnd = selectors.round_report(user=user, pk=pk)
    context = {
        "round": rnd,
        "rows": rnd.results,
        "stages": [(s, rules.STAGE_LABELS[s]) for s in rules.STAGES],
        "stars": rnd.stars,
        "star_range": range(10),
        "unit_count": rnd.unit_count,
        "waiting": rnd.waiting,
        "can_confirm": rnd.can_confirm,
        "error": error,
    }
    return render(request, "assessment/round.html", context, status=status)


# ---------------------------------------------------------------- scoring


def _findings_text(findings: list[dict]) -> str:
    return "\n".join(f"{rules.fmt(Decimal(f['points']))} {f['reason']}" for f in findings)


@_reader
def sheet(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The scoring page of one unit in one stage: every item with its method's input, evidence, save and submit."""
    user = request.user
    try:
        sv = selectors.sheet_view(user=user, unit_id=pk, stage=stage)
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except ValidationFailed as exc:
        messages.error(request, exc.errors[0].message)
        return redirect("assessment:round", selectors.unit_get(user=user, pk=pk).round_id)
    unit = sv.unit
    errors: dict[str, str] = {}
    error, status, posted = "", 200, None
    if request.method == "POST" and request.POST.get("action") in ("save", "submit"):
        posted = request.POST
        submit = request.POST["action"] == "submit"
        try:
            saved = services.sheet_save(
                user=user, unit_id=unit.pk, stage=stage, version=version_or_none(request.POST.get("version")),
                scores=sheet_entries(request.POST, sv.items), submit=submit,
                note=checked_text(request.POST.get("sheet_note", ""), Kind.TEXT, "note"),
            )  # fmt: skip
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        except Conflict as exc:
            error, status, posted = exc.detail, 409, None
        except DomainError as exc:
            errors = {e.field: e.message for e in exc.errors}
            error, status = exc.detail, exc.status
        else:
            if submit:
                messages.success(
                    request,
                    _("%(name)s的%(STAGE_LABELS)s已提交")
                    % {"name": unit.region.name, "STAGE_LABELS": rules.STAGE_LABELS[stage]},
                )
                return redirect("assessment:round", unit.round_id)
            messages.success(request, _("已保存，当前合计%(fmt)s分") % {"fmt": rules.fmt(saved.total)})
            return redirect("assessment:sheet", unit.pk, stage)
        sv = selectors.sheet_view(user=user, unit_id=pk, stage=stage)
    return _sheet_page(request, sv, errors=errors, error=error, posted=posted, status=status)


def _sheet_page(request, sv: selectors.SheetView, *, errors, error, posted, status, evidence_error=""):
    evidence: dict[int, list] = {}
    for e in sv.evidence:
        evidence.setdefault(e.item_id, []).append(e)
    aspects = {}
    for i in sv.items:
        aspects.setdefault(i.aspect_id, []).append(i)
    scores = sv.scores
    rows = []
    for item in sv.items:
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
                "measured": sv.measured.get(item.pk, ""),
            }
        )
    context = {
        "unit": sv.unit,
        "round": sv.unit.round,
        "scheme": sv.unit.round.scheme,
        "sheet": sv.sheet,
        "stage_label": sv.stage_label,
        "rows": rows,
        "can_score": sv.can_score,
        "rating": sv.rating,
        "error": error,
        "evidence_error": evidence_error,
        "other_errors": [m for f, m in errors.items() if not f.startswith("items.")],
        "sheet_note": posted.get("sheet_note", "") if posted is not None else sv.sheet.note,
        "submittable": sv.sheet.stage != rules.CONFIRM,
        "methods": rules.METHOD_LABELS,
        "evidence_accepts": uploads.EVIDENCE,
    }
    return render(request, "assessment/sheet.html", context, status=status)


@_reader
def evidence_upload(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("assessment:sheet", pk, stage)
    user = request.user
    try:
        e = services.evidence_add(
            user=user, unit_id=pk, item_id=id_or_none(request.POST.get("item_id")), upload=request.FILES.get("file")
        )
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except DomainError as exc:
        sv = selectors.sheet_view(user=user, unit_id=pk, stage=stage)
        return _sheet_page(
            request, sv, errors={}, error="", posted=None, status=exc.status, evidence_error=_message(exc)
        )
    messages.success(request, _("已上传佐证材料“%(name)s”") % {"name": e.name})
    return redirect(reverse("assessment:sheet", args=[pk, stage]) + f"#item-{e.item_id}")


@_reader
def evidence_file(request: HttpRequest, pk: int, eid: int) -> HttpResponse:
    return evidence_response(selectors.evidence_get(user=request.user, unit_id=pk, pk=eid))


# ---------------------------------------------------------------- results


@_reader
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking with a bar chart: totals (and stars for a star scheme) of the units in the user's scope."""
    rnd = selectors.round_report(user=request.user, pk=pk)
    context = {
        "round": rnd,
        "rows": rnd.results,
        "stars": rnd.stars,
        "chart": selectors.results_chart(rnd),
        "star_range": range(10),
        "unit_count": rnd.unit_count,
    }
    return render(request, "assessment/results.html", context)


@_reader
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking as .xlsx, with a second sheet of each unit's item scores in its final stage."""
    return tables.results_download(selectors.round_report(user=request.user, pk=pk))
