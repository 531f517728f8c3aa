"""Staff pages of the case engine: the dispatcher's workbench, intake, the case page with its actions, the to-do
list and the grid worker's phone pages. Thin: selectors read, services write; scope decides what exists."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from linli.accounts import roles
from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.core.files import file_response
from linli.core.pages import error_text, forbidden
from linli.core.pagination import CappedPaginator

from . import access, rules, selectors, services
from .duplicates import selectors as duplicates
from .forms import (
    ActionForm,
    BulkDispatchForm,
    CaseFilterForm,
    HouseSearchForm,
    IntakeForm,
    PatrolReportForm,
    department_choices,
)
from .visits import selectors as visit_selectors

PAGE_SIZE = 20
MOBILE_ACTIONS = ("verify", "rework")
# The case page lists the actions that move the case forward first; the first one is unfolded.
ACTION_ORDER = (
    *("register", "dispatch", "accept", "feedback", "verify", "approve_extension", "approve_deferral", "resume"),
    *("visit", "visit_try", "rate", "assist_note", "request_extension", "request_deferral", "deny_extension"),
    *("deny_deferral", "rework", "return", "reopen", "reject", "merge", "supervise"),
)


def paginate(request: HttpRequest, qs):
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def rows_page(request: HttpRequest, qs) -> dict:
    """A page of cases drawn by cases/rows.html: the page, and the names its rows show (selectors.row_labels)."""
    page = paginate(request, selectors.list_rows(qs))
    return {"page": page, "labels": selectors.row_labels(list(page.object_list))}


# ---------------------------------------------------------------- workbench and lists


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """调度台: new, registered and returned cases to register and dispatch, most urgent and oldest first."""
    try:
        access.check_dispatcher(request.user)  # before the filters: a refused user learns nothing about regions
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = CaseFilterForm(request.GET, user=request.user, states=rules.QUEUE_STATES)
    rows = rows_page(request, selectors.dispatch_queue(user=request.user, filters=form.to_filter()))
    bulk = BulkDispatchForm(departments=department_choices())
    return render(request, "cases/workbench.html", {"form": form, "bulk": bulk, **rows})


@login_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """派遣 the ticked cases, registering (立案) received ones first. Each case is all or nothing; the others go on."""
    if not roles.can(request.user, roles.CASES, roles.DISPATCHER):
        return forbidden(request, PermissionDenied(_("只有街道、区级调度人员可以派遣案件")))
    form = BulkDispatchForm(request.POST, departments=department_choices())
    back = reverse("cases:workbench") + _query(request.POST.get("query", ""))
    if not form.is_valid():
        messages.error(request, _("所选处置单位无效，请重新选择"))
        return redirect(back)
    try:
        outcomes = services.cases_dispatch(user=request.user, cases=form.selected(), **form.params())
    except ValidationFailed as exc:  # nothing ticked
        messages.error(request, error_text(exc))
        return redirect(back)
    done = [f"{o.number}→{o.case.lead_department.name}" for o in outcomes if o.error is None]
    if done:
        registered = sum(o.registered for o in outcomes)
        also = _("（其中%(registered)s件先行立案）") % {"registered": registered} if registered else ""
        messages.success(request, _("已派遣%(len)s件%(also)s：") % {"len": len(done), "also": also} + "；".join(done))
    for o in outcomes:
        if isinstance(o.error, services.NotFound):
            messages.error(
                request, _("案件#%(case_id)s：%(detail)s") % {"case_id": o.case_id, "detail": o.error.detail}
            )
        elif o.error is not None:
            messages.error(
                request,
                _("案件%(value)s派遣失败：%(dispatch_error)s")
                % {"value": o.number or f"#{o.case_id}", "dispatch_error": _dispatch_error(o.error)},
            )
    return redirect(back)


def _dispatch_error(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed) and any(e.field == "department_id" for e in exc.errors):
        return _("该分类没有默认处置单位，请指定主办单位")
    return error_text(exc)


def _query(value: str) -> str:
    """The workbench's filters to return to, as posted back by the page, parsed and encoded again."""
    query = QueryDict(value).urlencode()
    return "?" + query if query else ""


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    """全部事件: every case of the user's scope, newest first."""
    form = CaseFilterForm(request.GET, user=request.user, states=rules.STATE_LABELS, with_department=True)
    rows = rows_page(request, selectors.case_list(user=request.user, filters=form.to_filter()))
    return render(request, "cases/list.html", {"form": form, **rows})


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: a handler's cases to sign for, handle or assist with; a grid or community worker's fixed cases
    waiting for the on-site check. Earliest deadline first."""
    rows = rows_page(request, selectors.todo(user=request.user))
    org = access.organization_of(request.user)
    for case in rows["page"].object_list:
        case.task = _task(case, org)
    return render(request, "cases/todo.html", {"handler": org is not None, **rows})


def _task(case, org) -> str:
    if org is None:
        return _("现场核查")
    if case.lead_department_id != org:
        return _("协办")
    return _("待签收") if case.state == rules.DISPATCHED else _("处置中")


# ---------------------------------------------------------------- intake


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """受理: a call, a visitor at the window, an inspection finding, typed in by staff."""
    if not roles.can(request.user, roles.CASES, roles.INTAKE):
        return forbidden(request, PermissionDenied(_("您无权受理事件")))
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, user=request.user)
        case, status = _create(request, form, form.data.get("channel", ""))
        if case is not None:
            messages.success(
                request,
                _("已受理，案件编号%(number)s，查询码%(tracking_code)s（请告知反映人）")
                % {"number": case.number, "tracking_code": case.tracking_code},
            )
            return redirect("cases:detail", pk=case.pk)
    else:
        form, status = IntakeForm(user=request.user, initial={"channel": "hotline"}), 200
    geojson = selectors.grids_geojson(user=request.user)
    context = {"form": form, "houses": HouseSearchForm(user=request.user), "geojson": geojson}
    return render(request, "cases/create.html", context, status=status)


def _create(request, form, channel: str):
    """(the new case or None, HTTP status); the service's errors go next to the fields."""
    if not form.is_valid():
        return None, 400
    try:
        case = services.case_create(
            user=request.user,
            channel=channel,
            data=form.service_data(),
            photos=form.cleaned_data.get("photos", []),
        )
    except ValidationFailed as exc:
        form.add_domain_errors(exc.errors)
        return None, 400
    return case, 200


@login_required
def house_search(request: HttpRequest) -> HttpResponse:
    """htmx: houses of one estate in scope matching the building, unit and room typed, at most 20."""
    form = HouseSearchForm(request.GET, user=request.user)
    houses = []
    if form.is_valid() and form.cleaned_data["estate"]:
        houses = selectors.houses_matching(user=request.user, **form.cleaned_data)
    return render(request, "cases/_house_results.html", {"houses": houses, "searched": form.is_valid()})


# ---------------------------------------------------------------- the case page


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    services.case_opened(user=request.user, case=case)
    return _render_case(request, case)


@login_required
@require_http_methods(["GET", "POST"])
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST takes the action. GET is its form: alone when htmx asks (a folded action of the case page unfolded),
    else the case page with it unfolded, which is what the folded action's link opens without JavaScript."""
    case = selectors.case_get(user=request.user, pk=pk)
    if request.method == "GET":
        if action not in rules.TRANSITIONS:
            raise Http404(_("未知的操作"))
        if not request.headers.get("HX-Request"):
            services.case_opened(user=request.user, case=case)
            return _render_case(request, case, open_action=action)
        drawn = _action_forms(request.user, case, drawn=action)
        form = next((af for af in drawn if af.transition.action == action and not isinstance(af, Folded)), None)
        context = {"case": case, "af": form, **(_form_context(request.user, case, action) if form else {})}
        return render(request, "cases/action_body.html", context)
    outcome = _act(request, case, action)
    if outcome.response is not None:
        return outcome.response
    if outcome.done:
        return redirect("cases:detail", pk=case.pk)
    return _render_case(request, outcome.case, bound=outcome.form, conflict=outcome.conflict, status=outcome.status)


@dataclass
class Outcome:
    case: object
    form: ActionForm | None = None
    status: int = 200
    done: bool = False
    conflict: str = ""
    response: HttpResponse | None = None


def _act(request, case, action: str, *, camera: bool = False, one_step: bool = False) -> Outcome:
    """Take `action` on `case` from a posted ActionForm; with `one_step`, 立案 and 派遣 together (the form is
    派遣's). Who may act is asked first (403), so a user who may never take the action does not learn whether
    their input would have been valid."""
    t = rules.TRANSITIONS.get(action)
    if t is None or action == "receive":
        raise Http404(_("未知的操作"))
    try:
        access.check_action(request.user, case, "register" if one_step else action)
    except PermissionDenied as exc:
        return Outcome(case, response=forbidden(request, exc))
    departments = department_choices() if action == "dispatch" else None

    def action_form(of, data=None, files=None, **kwargs):
        form = ActionForm(data, files, transition=t, case=of, user=request.user, departments=departments,
                          camera=camera, **kwargs)  # fmt: skip
        return _one_step(form, of) if one_step else form

    form = action_form(case, request.POST, request.FILES)
    if not form.is_valid():
        return Outcome(case, form, status=400)
    d = form.cleaned_data
    try:
        if one_step:
            services.case_register_and_dispatch(
                user=request.user, case_id=case.pk, version=d["version"], note=d["note"], **form.params()
            )
        else:
            services.case_act(user=request.user, case_id=case.pk, action=action, version=d["version"],
                              note=d["note"], photos=d.get("photos", []), **form.params())  # fmt: skip
    except ValidationFailed as exc:
        form.add_domain_errors(exc.errors)
        return Outcome(case, form, status=400)
    except Conflict as exc:
        fresh = selectors.case_get(user=request.user, pk=case.pk)
        # The page now shows the case as it is; what the user typed stays, ready for a deliberate second try.
        again = action_form(fresh, initial={"version": fresh.version, "note": d["note"]})
        return Outcome(fresh, again, status=409, conflict=exc.detail)
    except PermissionDenied as exc:
        return Outcome(case, response=forbidden(request, exc))
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return Outcome(selectors.case_get(user=request.user, pk=case.pk), form, status=400)
    messages.success(request, _("已%(label)s") % {"label": form.label})
    return Outcome(case, done=True)


ONE_STEP = gettext_lazy("立案并派遣")


def _one_step(form: ActionForm, case) -> ActionForm:
    """派遣's form, posted to 立案并派遣 for a case still waiting to be registered."""
    form.label, form.one_step = ONE_STEP, True
    form.post_url = reverse("cases:register_dispatch", args=[case.pk])
    return form


@login_required
@require_POST
def register_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    """立案并派遣: a case just received, registered and dispatched in one step (services.case_register_and_dispatch)."""
    case = selectors.case_get(user=request.user, pk=pk)
    outcome = _act(request, case, "dispatch", one_step=True)
    if outcome.response is not None:
        return outcome.response
    if outcome.done:
        return redirect("cases:detail", pk=case.pk)
    return _render_case(request, outcome.case, bound=outcome.form, conflict=outcome.conflict, status=outcome.status)


@dataclass(frozen=True)
class Folded:
    """An action the case page draws folded: its label only. Its form is fetched when it is unfolded (case_act's
    GET): five forms built for one drawn cost the page about a millisecond."""

    transition: rules.Transition
    label: str


def _action_forms(user, case, bound: ActionForm | None = None, *, drawn: str = "") -> list[ActionForm | Folded]:
    """The actions `user` may take on `case` now, in the page's order: `bound` (a form that came back) in place of
    its action's, or first when the case has moved on and the action is no longer offered. Only the drawn action is
    a form (`bound`'s, else `drawn` if it is offered, else the first); the others are Folded."""
    transitions = sorted(selectors.actions_for(user=user, case=case), key=lambda t: ACTION_ORDER.index(t.action))
    actions = {t.action for t in transitions}
    one_step = bound is not None and bound.one_step
    entries = [(t, False) for t in transitions]  # (transition, whether it is 立案并派遣's form)
    if "register" in actions:  # 立案并派遣 first: the usual way on from the desk
        entries.insert(0, (rules.TRANSITIONS["dispatch"], True))
    if bound is not None:
        drawn = bound.transition.action
        if bound.errors and not any(t.action == drawn and step == one_step for t, step in entries):
            entries.insert(0, (bound.transition, one_step))  # the state had moved on: it stays to say why it failed
    if not any(t.action == drawn for t, _ in entries):
        drawn = entries[0][0].action if entries else ""
    departments = department_choices() if drawn == "dispatch" else None
    result = []
    for t, step in entries:
        if t.action != drawn:
            result.append(Folded(t, ONE_STEP if step else t.label))
        elif bound is not None and bound.transition.action == t.action and step == one_step:
            result.append(bound)
        else:
            form = ActionForm(transition=t, case=case, user=user, departments=departments)
            result.append(_one_step(form, case) if step else form)
    return result


def _form_context(user, case, action: str) -> dict:
    """What the action's form shows besides its fields."""
    if action == "visit":
        return {"visit_script": visit_selectors.calls(user=user, cases=[case])[0].script}
    return {}


def _render_case(request, case, *, bound: ActionForm | None = None, conflict: str = "", status: int = 200,
                 open_action: str = ""):  # fmt: skip
    """The case page. Only the unfolded action's form is drawn (`bound`'s, else `open_action`'s, else the first);
    the others are drawn when unfolded (case_act's GET): the forms were half of the page's template time."""
    user = request.user
    action_forms = _action_forms(user, case, bound, drawn=open_action)
    open_action = next((af.transition.action for af in action_forms if not isinstance(af, Folded)), "")
    actions = {af.transition.action for af in action_forms}
    history = selectors.case_history(case=case)
    context = {
        "case": case,
        "place": selectors.case_place(case),
        "lead_department": selectors.case_department(case),
        "events": history.entries,
        "clock": history.clock,
        "action_forms": action_forms,
        "open_action": open_action,
        "assisting": selectors.case_assisting(case),
        "conflict": conflict,
        "can_reveal": access.can_view_reporter(user),
        "geo": _case_geo(case),
        "photos": history.reported_photos,
        **_form_context(user, case, open_action),
    }
    if "merge" in actions:
        context.update(similar=duplicates.similar_to(user=user, case=case), **duplicates.window())
    if roles.can(user, roles.CASES, roles.DISPATCHER):
        context["desk"], context["on_desk"] = True, case.state in rules.QUEUE_STATES
    return render(request, "cases/detail.html", context, status=status)


@login_required
def next_case(request: HttpRequest, pk: int) -> HttpResponse:
    """下一件待调度 from a case page: the case after it in the desk's order (the first when it has left the desk),
    else the desk, which says it is empty. Looked up when asked, not for every case page a dispatcher opens."""
    try:
        access.check_dispatcher(request.user)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    following = selectors.next_on_desk(user=request.user, after=selectors.case_get(user=request.user, pk=pk))
    if following is None:
        messages.info(request, _("调度台已没有其他待调度的事件。"))
        return redirect("cases:workbench")
    return redirect("cases:detail", pk=following["pk"])


def _case_geo(case) -> dict | None:
    boundary = case.region.boundary
    if boundary is None and case.latitude is None:
        return None
    point = [float(case.latitude), float(case.longitude)] if case.latitude is not None else None
    return {"boundary": boundary, "name": case.region.name, "point": point}


@login_required
def attachment(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """A photo of a case, only to those who may open the case (as GET /api/v1/cases/{id}/attachments/{aid})."""
    photo = selectors.photo_get(user=request.user, case_id=pk, pk=aid)
    return file_response(photo.file, photo.content_type, max_age=selectors.PHOTO_MAX_AGE)


# ---------------------------------------------------------------- the grid worker's phone


@login_required
def mobile_home(request: HttpRequest) -> HttpResponse:
    """手机首页: the big 上报 button and the fixed cases of the worker's grids waiting for the on-site check."""
    if not roles.capabilities(request.user, roles.CASES) & {roles.ON_SITE, roles.INTAKE}:
        return forbidden(request, PermissionDenied(_("手机巡查页面供网格员和社区工作者使用")))
    page = paginate(request, selectors.todo(user=request.user))
    context = {"page": page, "mine": selectors.reported_by(user=request.user)[:5]}
    return render(request, "cases/m_home.html", context)


@login_required
def mobile_report(request: HttpRequest) -> HttpResponse:
    if not roles.can(request.user, roles.CASES, roles.INTAKE):
        return forbidden(request, PermissionDenied(_("您无权上报事件")))
    if request.method == "POST":
        form = PatrolReportForm(request.POST, request.FILES, user=request.user)
        case, status = _create(request, form, "patrol")
        if case is not None:
            messages.success(request, _("已上报，案件编号%(number)s") % {"number": case.number})
            return redirect("cases:mobile")
    else:
        form, status = PatrolReportForm(user=request.user), 200
    context = {"form": form, "geojson": selectors.grids_geojson(user=request.user)}
    return render(request, "cases/m_report.html", context, status=status)


@login_required
def mobile_case(request: HttpRequest, pk: int) -> HttpResponse:
    """核查: what was reported and what the department says it did, then 核查通过 or 返工."""
    case = selectors.case_get(user=request.user, pk=pk)
    bound, conflict, status = None, "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in MOBILE_ACTIONS:
            raise Http404(_("未知的操作"))
        outcome = _act(request, case, action, camera=True)
        if outcome.response is not None:
            return outcome.response
        if outcome.done:
            return redirect("cases:mobile")
        case, bound, conflict, status = outcome.case, outcome.form, outcome.conflict, outcome.status
    transitions = [t for t in selectors.actions_for(user=request.user, case=case) if t.action in MOBILE_ACTIONS]
    forms = {t.action: ActionForm(transition=t, case=case, user=request.user, camera=True) for t in transitions}
    if bound is not None and (bound.transition.action in forms or bound.errors):
        forms[bound.transition.action] = bound
    history = selectors.case_history(case=case)
    context = {
        "case": case,
        "forms": forms,
        "open_action": bound.transition.action if bound is not None else "",
        "conflict": conflict,
        "reported": history.reported_photos,
        "feedback": history.feedback,
        "geo": _case_geo(case),
    }
    return render(request, "cases/m_case.html", context, status=status)
