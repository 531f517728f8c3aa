"""调查与普查 pages under /surveys/: the surveys of the user's scope with their progress, setting one up on a plan,
one survey's page linking every part (forms, 普查小区 and their coverage, the frame and its draws, entry, quality,
coverage against the registry, results) with its plan, editing it in preparation, and starting or finishing it
with the checks shown. Thin: the API's selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts import roles
from linli.core.errors import DomainError
from linli.core.pages import button_action, forbidden
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .survey_forms import SurveyCreateForm, SurveyEditForm

PAGE_SIZE = 20


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    if not selectors.may_see_surveys(request.user):
        return forbidden(request, gettext("调查与普查只对区、街道、社区和网格工作人员开放"))
    state = request.GET.get("state")
    state = state if state in rules.STATES else None
    surveys = selectors.survey_list(request.user, state=state)
    page = CappedPaginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    for survey in page.object_list:
        units = survey.frame.units if survey.state != rules.DRAFT and hasattr(survey, "frame") else None
        survey.progress = selectors.progress_percent(survey.done, units or 0)
    context = {"page": page, "state": state, "states": rules.STATES, "may_create": services.may_create(request.user)}
    return render(request, "surveys/list.html", context)


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    if not services.may_create(request.user):
        return forbidden(request, services.RUN_ONLY)
    form = SurveyCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(user=request.user, **form.content())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, gettext("调查已建立，工作方案和实施阶段已生成；请核对调查表、划分普查小区并安排普查员")
            )
            return redirect("surveys:detail", survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/form.html", {"form": form}, status=status)


def _parts(survey, reader: bool, may_run: bool) -> list[dict]:
    """The survey's parts in the order of its life, each with the page that holds it; an enumerator who does not
    read surveys (a grid worker) is shown its entry only, and the parts only the office that runs the survey works
    in (registry corrections, entering returned forms) are shown to that office only."""
    pk = survey.pk
    parts = [
        (gettext("调查表"), gettext("本调查使用的表式及其版本"), reverse("survey_forms:survey", args=[pk])),
        (
            gettext("普查小区"),
            gettext("小区划分、地图编辑、不重不漏检查、普查员安排"),
            reverse("survey_areas:list", args=[pk]),
        ),
        (
            gettext("调查名录与随机抽取"),
            gettext("冻结的名录、长表户和复核样本的抽取及验证"),
            reverse("survey_frames:frame", args=[pk]),
        ),
        (gettext("入户登记"), gettext("普查员的小区、住户和填报"), reverse("survey_entry:home")),
        (gettext("回收录入"), gettext("企业寄回的调查表逐家录入"), reverse("survey_entry:returns", args=[pk])),
        (gettext("质量控制"), gettext("复核记录、逐项比对和差错率"), reverse("survey_quality:overview", args=[pk])),
        (
            gettext("覆盖核查与户口整顿"),
            gettext("漏登、未登记、人户分离、无户口、应销未销"),
            reverse("survey_coverage:list", args=[pk]),
        ),
        (gettext("进度与结果"), gettext("应答率、汇总表和数据导出"), reverse("survey_results:dashboard", args=[pk])),
    ]
    # A unit survey's organisations lie in no area: its forms come back from the enterprises, not from door to door.
    hidden = {"回收录入"} if survey.kind == rules.CENSUS else {"普查小区", "入户登记", "覆盖核查与户口整顿"}
    if not may_run:
        hidden |= {"回收录入", "覆盖核查与户口整顿"}
    shown = [{"title": t, "text": x, "href": h} for t, x, h in parts if t not in hidden]
    return shown if reader else [p for p in shown if p["title"] == "入户登记"]


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(request.user, pk)
    may_run = selectors.can_run(request.user, survey)
    overview = selectors.survey_overview(request.user, survey)
    done = next(n for key, _, n in overview["states"] if key == rules.DONE)
    reader = roles.can(request.user, roles.SURVEYS, roles.VIEW_SURVEYS)
    context = {
        "survey": survey, "may_run": may_run, "parts": _parts(survey, reader, may_run), "today": timezone.localdate(),
        "problems": services.start_problems(survey) if may_run and survey.state == rules.DRAFT else [],
        "progress": selectors.progress_percent(done, overview["units"]), **overview,
    }  # fmt: skip
    return render(request, "surveys/detail.html", context)


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(request.user, pk)
    if not selectors.can_run(request.user, survey):
        return forbidden(request, services.RUN_ONLY)
    initial = {"title": survey.title, "registered_before": survey.registered_before,
               "standard_day": timezone.localdate(survey.standard_moment) if survey.standard_moment else None,
               "hazard_only": survey.hazard_only, "area_people": survey.area_people,
               "long_form_percent": survey.long_form_percent, "recheck_percent": survey.recheck_percent,
               "version": survey.version}  # fmt: skip
    form = SurveyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(user=request.user, survey_id=survey.pk, version=form.cleaned_data["version"],
                                   **form.content())  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, gettext("调查已保存"))
            return redirect("surveys:detail", survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/edit.html", {"form": form, "survey": survey}, status=status)


ACTIONS = {
    "start": (services.survey_start, gettext_lazy("调查已开始：名录已冻结，普查员可以入户登记")),
    "finish": (services.survey_finish, gettext_lazy("调查已结束，入户登记已停止")),
}


@login_required
@require_POST
def survey_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service, done = ACTIONS[action]
    return button_action(request, service, done, redirect("surveys:detail", pk), survey_id=pk)
