"""志愿服务 pages for staff under /volunteers/: the volunteers of the user's scope, registering one from a signed
paper form, a volunteer's file (stars, hours, teams, certificates), skills and state; teams with leader and
members. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.core.errors import DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden
from linli.core.pagination import CappedPaginator

from .. import rules as vocabulary
from .. import selectors as scoped
from ..hours import selectors as hours
from . import rules, selectors, services
from .forms import MemberForm, RegisterForm, SkillsForm, StateForm, TeamEditForm, TeamForm

PAGE_SIZE = 30
NO_SUCH_PERSON = gettext_lazy("本辖区人员档案中没有这个身份证号码的人员，请先在人员档案中登记")


def viewer_page(view):
    """Pages of offices reading volunteers (the hours' pages too); others are answered 403."""

    def wrapper(request, *args, **kwargs):
        try:
            selectors.check_viewer(request.user)
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, exc)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return login_required(wrapper)


@viewer_page
def volunteer_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") if request.GET.get("state") in vocabulary.VOLUNTEER_STATES else None
    skill = request.GET.get("skill") if request.GET.get("skill") in vocabulary.SKILLS else None
    name = request.GET.get("q", "")[:30]
    qs = selectors.volunteer_list(user=request.user, state=state, name=name, skill=skill)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "skill": skill, "q": name, "states": vocabulary.VOLUNTEER_STATES,
               "skills": vocabulary.SKILLS, "may_manage": selectors.may_manage(request.user)}  # fmt: skip
    return render(request, "volunteers/registry/list.html", context)


@viewer_page
def volunteer_register(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage(request.user):
        return forbidden(request, _("您没有登记志愿者的权限"))
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.person_by_id_number(user=request.user, id_number=data["id_number"])
        try:
            if person is None:
                raise ValidationFailed([FieldError("person_id", NO_SUCH_PERSON)])
            volunteer = services.volunteer_register(
                user=request.user, person_id=person.pk, skills=data["skills"], availability=data["availability"],
                paper_consent=data["paper_consent"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已登记为志愿者，编号 %(number)s") % {"number": volunteer.number})
            return redirect("volunteers:detail", volunteer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "volunteers/registry/register.html", {"form": form, "notice": rules.NOTICE_VERSION},
                  status=status)  # fmt: skip


@viewer_page
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    manages = scoped.manages(request.user, volunteer.region)
    context = {
        "v": volunteer,
        "card": hours.card(volunteer),
        "teams": selectors.teams_of(volunteer),
        "credits": hours.history(volunteer)[:50],
        "corrections": hours.corrections(volunteer)[:20],
        "certificates": hours.certificates_of(volunteer),
        "manages": manages,
        "skills": rules.labels(volunteer.skills, vocabulary.SKILLS),
        "availability": rules.labels(volunteer.availability, vocabulary.AVAILABILITY),
    }
    if manages:
        context["skills_form"] = SkillsForm(initial={"version": volunteer.version, "skills": volunteer.skills,
                                                     "availability": volunteer.availability})  # fmt: skip
        context["state_form"] = StateForm(initial={"version": volunteer.version, "state": volunteer.state})
    return render(request, "volunteers/registry/detail.html", context)


@viewer_page
@require_POST
def volunteer_skills(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, SkillsForm(request.POST), services.volunteer_update, _("技能特长与可服务时间已保存"),
                 redirect("volunteers:detail", pk), volunteer_id=pk)  # fmt: skip


@viewer_page
@require_POST
def volunteer_state(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, StateForm(request.POST), services.volunteer_set_state, _("状态已更改"),
                 redirect("volunteers:detail", pk), volunteer_id=pk)  # fmt: skip


def _post(request, form, service, done: str, back, **ids) -> HttpResponse:
    """A small form posted from a detail page: the service, then back with its message or refusal."""
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return back
    try:
        service(user=request.user, **ids, **form.cleaned_data)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, "；".join(e.message for e in exc.errors) if exc.errors else exc.detail)
    else:
        messages.success(request, done)
    return back


# ---------------------------------------------------------------- teams
@viewer_page
def team_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") if request.GET.get("kind") in vocabulary.TEAM_KINDS else None
    page = CappedPaginator(selectors.team_list(user=request.user, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "kind": kind, "kinds": vocabulary.TEAM_KINDS, "may_manage": selectors.may_manage(
        request.user)}  # fmt: skip
    return render(request, "volunteers/registry/teams.html", context)


@viewer_page
def team_create(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage(request.user):
        return forbidden(request, _("您没有组建队伍的权限"))
    regions = scope.office_regions(request.user).filter(level__lte=5).order_by("path")[:500]
    form = TeamForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(user=request.user, region_id=data["region"], name=data["name"],
                                        kind=data["kind"], description=data["description"])  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("队伍已组建，请添加队员并指定队长"))
            return redirect("volunteers:team", team.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "volunteers/registry/team_form.html", {"form": form}, status=status)


@viewer_page
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk)
    members = list(selectors.team_members(team))
    manages = scoped.manages(request.user, team.region)
    context = {"team": team, "members": members, "manages": manages}
    if manages:
        form = TeamEditForm(request.POST or None, members=members, initial={
            "version": team.version, "name": team.name, "kind": team.kind, "description": team.description,
            "leader": team.leader_id, "active": team.active})  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.team_update(
                    user=request.user, team_id=team.pk, version=data["version"], name=data["name"],
                    kind=data["kind"], description=data["description"], leader_id=data["leader"],
                    active=data["active"],
                )  # fmt: skip
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("队伍信息已保存"))
                return redirect("volunteers:team", team.pk)
        context["form"] = form
        context["candidates"] = selectors.team_candidates(user=request.user, team=team)[:200]
    elif request.method == "POST":
        return forbidden(request, _("您没有管理这支队伍的权限"))
    return render(request, "volunteers/registry/team.html", context, status=400 if request.method == "POST" else 200)


@viewer_page
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = MemberForm(request.POST)
    if form.is_valid():
        form.cleaned_data["volunteer_id"] = form.cleaned_data.pop("volunteer")
    return _post(request, form, services.team_member_add, _("已加入队伍"), redirect("volunteers:team", pk), team_id=pk)


@viewer_page
@require_POST
def member_remove(request: HttpRequest, pk: int, volunteer: int) -> HttpResponse:
    try:
        services.team_member_remove(user=request.user, team_id=pk, volunteer_id=volunteer)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("已移出队伍"))
    return redirect("volunteers:team", pk)
