"""普查小区 pages: the survey's areas with people per area and the coverage check, the map (buildings coloured by
area; a click moves one), an area's buildings and enumerators. Thin: the API's selectors and services."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.burden.work import rules as work_rules
from linli.burden.work import selectors as work_selectors
from linli.burden.work.forms import BasisForm
from linli.core.errors import Conflict, DomainError, PermissionDenied
from linli.core.forms import checked_text, id_or_none, version_or_none
from linli.core.pages import error_text, forbidden
from linli.core.text import Kind

from .. import rules as survey_rules
from .. import selectors as survey_selectors
from ..models import AreaEnumerator
from . import selectors, services


def _context(request: HttpRequest, survey_id: int) -> dict:
    survey = survey_selectors.survey_get(request.user, survey_id)
    return {
        "survey": survey,
        "can_run": survey_selectors.can_run(request.user, survey),
        "draft": survey.state == survey_rules.DRAFT,
    }


@login_required
def area_list(request: HttpRequest, survey_id: int) -> HttpResponse:
    context = _context(request, survey_id)
    report = selectors.coverage_report(context["survey"]).visible_to(request.user)
    communities = selectors.communities(context["survey"]) if context["can_run"] else []
    # 社区工作准入 (burden): the basis of the forms, and which communities do not see them yet
    work = work_selectors.work_of(survey_rules.WORK_SOURCE, survey_id) if context["can_run"] else []
    basis_form = BasisForm(choices=work_selectors.basis_choices(request.user)) if context["can_run"] else None
    held_work = [w for w in work if not work_rules.visible(w.state)]
    context |= {"report": report, "communities": communities, "held_work": held_work, "basis_form": basis_form}
    return render(request, "surveys/areas/list.html", context)


@login_required
def area_map(request: HttpRequest, survey_id: int) -> HttpResponse:
    context = _context(request, survey_id)
    data = selectors.area_map(context["survey"])
    data["editable"] = context["can_run"] and context["draft"]
    data["move"] = reverse("survey_areas:move", args=[survey_id, 0]).replace("/0/", "/{area}/")
    return render(request, "surveys/areas/map.html", {**context, "data": data})


@login_required
def area_detail(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    context = _context(request, survey_id)
    survey = context["survey"]
    area = survey_selectors.area_get(request.user, survey, area_id)
    report = selectors.coverage_report(survey)
    row = next(r for r in report.areas if r.area.pk == area.pk)
    held = selectors.area_buildings(survey)[area.pk]
    where = selectors.place(survey)
    named = {b.pk: b for b in where.buildings}
    buildings = [(named[b], where.households.get(b, 0), where.people.get(b, 0)) for b in held if b in named]
    others = [b for b in where.buildings if where.community[b.pk].pk == area.community_id and b.pk not in held]
    candidates = selectors.enumerator_candidates(area) if context["can_run"] else []
    return render(request, "surveys/areas/detail.html", {
        **context, "area": area, "row": row, "buildings": buildings, "others": others,
        "candidates": candidates, "duties": AreaEnumerator.Duty.choices,
    })  # fmt: skip


def _act(request: HttpRequest, action: Callable[[], object], done: str, then: str) -> HttpResponse:
    """Runs a service on a POST: its refusal as a message, a permission refusal as the 403 page; `action` may
    return a message saying more than `done`."""
    try:
        said = action()
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, said or done)
    return redirect(then)


def _version(request: HttpRequest) -> int:
    version = version_or_none(request.POST.get("version"))
    if version is None:
        raise Conflict()
    return version


def _then(request: HttpRequest, survey_id: int, area_id: int | None = None) -> str:
    """Back to the map when the move came from it, else to the area (or the list)."""
    if request.POST.get("next") == "map":
        return reverse("survey_areas:map", args=[survey_id])
    if area_id:
        return reverse("survey_areas:detail", args=[survey_id, area_id])
    return reverse("survey_areas:list", args=[survey_id])


@login_required
@require_POST
def propose(request: HttpRequest, survey_id: int) -> HttpResponse:
    def act():
        made = services.areas_propose(user=request.user, survey_id=survey_id, basis=request.POST.get("basis"))
        return _("已按楼栋顺序划分为%(len)s个普查小区，请核对后分配普查员") % {"len": len(made)}

    return _act(request, act, _("普查小区已划分"), _then(request, survey_id))


@login_required
@require_POST
def area_create(request: HttpRequest, survey_id: int) -> HttpResponse:
    def act():
        name = checked_text(request.POST.get("name", ""), Kind.NAME, "name")
        community = id_or_none(request.POST.get("community_id")) or 0
        services.area_create(user=request.user, survey_id=survey_id, community_id=community, name=name,
                             basis=request.POST.get("basis"))  # fmt: skip

    return _act(request, act, _("已新建普查小区，可在地图上把楼栋划入"), _then(request, survey_id))


@login_required
@require_POST
def area_rename(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    def act():
        name = checked_text(request.POST.get("name", ""), Kind.NAME, "name")
        services.area_update(user=request.user, survey_id=survey_id, area_id=area_id, version=_version(request),
                             name=name)  # fmt: skip

    return _act(request, act, _("名称已保存"), _then(request, survey_id, area_id))


@login_required
@require_POST
def area_delete(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    def act():
        services.area_delete(user=request.user, survey_id=survey_id, area_id=area_id, version=_version(request))

    return _act(request, act, _("普查小区已删除，其楼栋请划入其他小区"), _then(request, survey_id))


@login_required
@require_POST
def building_move(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    def act():
        building = id_or_none(request.POST.get("building_id")) or 0
        services.building_move(user=request.user, survey_id=survey_id, area_id=area_id, building_id=building,
                               version=_version(request))  # fmt: skip

    return _act(request, act, _("楼栋已划入该小区"), _then(request, survey_id, area_id))


@login_required
@require_POST
def building_remove(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    def act():
        building = id_or_none(request.POST.get("building_id")) or 0
        services.building_remove(user=request.user, survey_id=survey_id, area_id=area_id, building_id=building,
                                 version=_version(request))  # fmt: skip

    return _act(request, act, _("楼栋已移出该小区"), _then(request, survey_id, area_id))


@login_required
@require_POST
def enumerator_assign(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    def act():
        person = id_or_none(request.POST.get("user_id")) or 0
        services.enumerator_assign(user=request.user, survey_id=survey_id, area_id=area_id, user_id=person,
                                   duty=request.POST.get("duty", AreaEnumerator.Duty.ENUMERATOR))  # fmt: skip

    return _act(request, act, _("已分配"), _then(request, survey_id, area_id))


@login_required
@require_POST
def enumerator_remove(request: HttpRequest, survey_id: int, area_id: int) -> HttpResponse:
    def act():
        person = id_or_none(request.POST.get("user_id")) or 0
        services.enumerator_remove(user=request.user, survey_id=survey_id, area_id=area_id, user_id=person)

    return _act(request, act, _("已取消分配"), _then(request, survey_id, area_id))
