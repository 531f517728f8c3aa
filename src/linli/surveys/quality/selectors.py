"""质量控制 reads: the forms drawn for the on-site re-check that a user sees, who may re-check or correct one, and
the error rates (差错率) per item, per enumerator and per area. Which survey, area and unit a user sees is
surveys.selectors' business; this module only narrows it."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied

from .. import rules as survey_rules
from .. import selectors as survey_selectors
from ..forms.selectors import survey_form
from ..models import Correction, Draw, FormVersion, Recheck, Response, Survey
from . import rules


def check_viewer(user) -> None:
    if not roles.can(user, roles.SURVEYS, roles.VIEW_SURVEYS):
        raise PermissionDenied(_("只有调查工作人员可以查看质量控制情况"))


def recheck_draw(survey: Survey) -> Draw | None:
    return Draw.objects.filter(survey=survey, purpose=survey_rules.DRAW_RECHECK).first()


def drawn_responses(user, survey: Survey) -> QuerySet:
    """The returned forms the re-check draw picked, in the areas the user sees, in frame order."""
    draw = recheck_draw(survey)
    if draw is None:
        return Response.objects.none()
    units = survey_selectors.unit_queryset(user, survey).filter(pk__in=draw.picks.values("unit_id"))
    return (
        Response.objects.filter(unit__in=units)
        .exclude(role__in=[survey_rules.DEATH, survey_rules.RECHECK])
        .select_related("unit__area", "entered_by", "recheck__checked_by")
        .order_by("unit__position", "role")
    )


def response_get(user, survey: Survey, pk: int) -> Response:
    """A form of `survey` in a unit the user sees; 404 otherwise."""
    units = survey_selectors.unit_queryset(user, survey)
    qs = Response.objects.filter(unit__in=units).select_related("unit__area", "form_version__form", "entered_by")
    return scope.get_or_404(qs, pk=pk)


def survey_and_response(user, response_id: int):
    """The survey of the response, as the user sees it (404 when the response or its survey is out of sight)."""
    survey_id = Response.objects.filter(pk=response_id).values_list("unit__frame__survey_id", flat=True).first()
    survey = survey_selectors.survey_get(user, survey_id or 0)
    return survey, response_get(user, survey, response_id)


def is_drawn(response: Response) -> bool:
    draw = recheck_draw(response.unit.frame.survey)
    return draw is not None and draw.picks.filter(unit_id=response.unit_id).exists()


def _entered_it(user, response: Response) -> bool:
    return user.pk in {response.entered_by_id, response.unit.visited_by_id}


def may_recheck(user, response: Response) -> bool:
    """A re-checker holds RECHECK, sees the unit (response_get found it) and did not enter the form itself."""
    return roles.can(user, roles.SURVEYS, roles.RECHECK) and not _entered_it(user, response)


def may_correct(user, survey: Survey, response: Response) -> bool:
    """The survey's office corrects any form; a re-checker those it may re-check."""
    return survey_selectors.can_run(user, survey) or may_recheck(user, response)


@dataclass(frozen=True)
class RecheckForm:
    """What a re-checker fills in for `response`, and which of its items are compared with the original."""

    version: FormVersion
    compared: dict  # the definition of the compared items


def recheck_form(survey: Survey, response: Response) -> RecheckForm:
    """A census household is re-checked on its own form (the items of its short or long form); an organisation on
    the survey's quality-control record, compared on the items it shares with the unit form."""
    if survey.kind == survey_rules.CENSUS:
        return RecheckForm(response.form_version, response.form_version.definition)
    version = survey_form(survey, survey_rules.RECHECK)
    keys = [q["key"] for q in rules.questions(response.form_version.definition)]
    return RecheckForm(version, rules.shared(version.definition, keys))


@dataclass
class ErrorReport:
    rechecks: int = 0
    overall: rules.Rate = field(default_factory=lambda: rules.Rate("all", _("合计")))
    by_item: list[rules.Rate] = field(default_factory=list)
    by_enumerator: list[rules.Rate] = field(default_factory=list)
    by_area: list[rules.Rate] = field(default_factory=list)


def _enumerator_label(user) -> str:
    if user is None:
        return _("（未记录）")
    return user.get_full_name() or user.username


def error_report(user, survey: Survey) -> ErrorReport:
    """差错率 over the re-checks in the areas the user sees. Items per form: the rate per item counts each table
    cell as one check of its column."""
    check_viewer(user)
    rechecks = list(
        Recheck.objects.filter(response__unit__in=survey_selectors.unit_queryset(user, survey))
        .select_related("response__unit__area", "response__entered_by", "response__form_version")
        .order_by("response__unit__position", "response__role")
    )
    report = ErrorReport(rechecks=len(rechecks))
    if not rechecks:
        return report
    labels: dict[str, str] = {}
    for version in {r.response.form_version for r in rechecks}:
        labels |= {k: v for k, v in rules.item_labels(version.definition).items() if k not in labels}
    report.by_item = rules.item_rates((r.differences for r in rechecks), labels)
    report.by_enumerator = rules.rates(
        (r.response.entered_by_id, _enumerator_label(r.response.entered_by), r.items_checked, r.items_wrong)
        for r in rechecks
    )
    report.by_area = sorted(
        rules.rates(
            (r.response.unit.area, str(r.response.unit.area or rules.NO_AREA), r.items_checked, r.items_wrong)
            for r in rechecks
        ),
        key=lambda rate: rate.label,
    )
    overall = rules.rates(("all", _("合计"), r.items_checked, r.items_wrong) for r in rechecks)
    report.overall = overall[0]
    return report


def corrections(response: Response) -> QuerySet:
    return response.corrections.select_related("corrected_by")


def user_label(user) -> str:
    return _enumerator_label(user)


def rate_dict(rate: rules.Rate) -> dict:
    return {"label": rate.label, "forms": rate.forms, "checked": rate.checked, "wrong": rate.wrong, "rate": rate.rate}


def recheck_dict(recheck: Recheck) -> dict:
    return {
        "id": recheck.pk,
        "response_id": recheck.response_id,
        "form_version_id": recheck.form_version_id,
        "answers": recheck.answers,
        "differences": recheck.differences,
        "items_checked": recheck.items_checked,
        "items_wrong": recheck.items_wrong,
        "rate": rules.error_rate(recheck.items_wrong, recheck.items_checked),
        "conclusion": recheck.conclusion,
        "checked_by": user_label(recheck.checked_by),
        "checked_at": recheck.checked_at,
    }


def correction_dict(c: Correction) -> dict:
    return {
        "id": c.pk,
        "path": c.path,
        "old": c.old,
        "new": c.new,
        "reason": c.reason,
        "version": c.version,
        "corrected_by": user_label(c.corrected_by),
        "at": c.at,
    }


def overview(user, survey: Survey) -> dict:
    """The drawn forms in the user's areas with their re-check state, and the error rates."""
    report = error_report(user, survey)
    draw = recheck_draw(survey)
    drawn = []
    for r in drawn_responses(user, survey):
        recheck = getattr(r, "recheck", None)
        drawn.append(
            {
                "response_id": r.pk,
                "unit": r.unit.label,
                "area": str(r.unit.area or ""),
                "role": survey_rules.FORM_ROLES[r.role],
                "entered_by": user_label(r.entered_by),
                "rechecked": recheck is not None,
                "items_checked": recheck and recheck.items_checked,
                "items_wrong": recheck and recheck.items_wrong,
            }
        )
    return {
        "survey_id": survey.pk,
        "draw_seed": draw and draw.seed,
        "drawn": drawn,
        "rechecks": report.rechecks,
        "overall": rate_dict(report.overall),
        "by_item": [rate_dict(r) for r in report.by_item],
        "by_enumerator": [rate_dict(r) for r in report.by_enumerator],
        "by_area": [rate_dict(r) for r in report.by_area],
    }


def response_detail(user, survey: Survey, response: Response) -> dict:
    recheck = Recheck.objects.filter(response=response).select_related("checked_by").first()
    return {
        "id": response.pk,
        "unit": response.unit.label,
        "area": str(response.unit.area or ""),
        "role": response.role,
        "version": response.version,
        "answers": response.answers,
        "recheck_form": recheck_form(survey, response).version.definition,
        "may_recheck": recheck is None and is_drawn(response) and may_recheck(user, response),
        "may_correct": may_correct(user, survey, response),
        "recheck": recheck and recheck_dict(recheck),
        "corrections": [correction_dict(c) for c in corrections(response)],
    }
