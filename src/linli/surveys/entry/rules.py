"""入户登记: what an enumerator may record of a unit and which forms complete it. Pure rules, no Django."""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from linli.surveys import rules as survey_rules

# 完成 is never set by hand: it follows from the forms received (response_submit).
SETTABLE_STATES = (survey_rules.NOT_VISITED, survey_rules.VISITED, survey_rules.REFUSED, survey_rules.EMPTY)
# A household that refused or was found empty is followed up by the supervisor: the enumerator says why.
NOTE_REQUIRED = {survey_rules.REFUSED, survey_rules.EMPTY}
NOTE_MAX = 200

# Census forms are filled in on the spot and read back to the respondent (当场填报, 当面宣读核对).
CENSUS_FORMS = {survey_rules.SHORT, survey_rules.LONG, survey_rules.DEATH}
MAIN_FORMS = {survey_rules.SHORT, survey_rules.LONG, survey_rules.UNIT}
# The census forms' question on deaths in the reference year (上年11月1日至本年10月31日): above 0, a death form.
DEATHS = "H3"
# Phones' clocks drift: a form may say it was filled in a little after the server's now.
CLOCK_SKEW = timedelta(minutes=10)


def state_errors(current: str, new: str, note: str) -> list[tuple[str, str]]:
    """Why an enumerator may not record `new` (with `note`) for a unit now at `current`: (field, message)."""
    labels = survey_rules.UNIT_STATES
    if new not in SETTABLE_STATES:
        if new == survey_rules.DONE:
            return [("state", _("入户状态：“完成”在调查表提交后自动记录，不能手工设置"))]
        return [("state", _("入户状态：请选择未访、已访、拒访或空户"))]
    if current == survey_rules.DONE:
        return [("state", _("入户状态：该户调查表已提交，不能再改为“%(labels)s”") % {"labels": labels[new]})]
    if new in NOTE_REQUIRED and not note.strip():
        return [("note", _("情况说明：记为“%(labels)s”时请写明情况") % {"labels": labels[new]})]
    if len(note) > NOTE_MAX:
        return [("note", _("情况说明：不能超过%(NOTE_MAX)s个字") % {"NOTE_MAX": NOTE_MAX})]
    return []


def deaths(answers: dict | None) -> int:
    """The number of deaths a census form reports (0 when absent or not a whole number)."""
    value = (answers or {}).get(DEATHS)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def forms_needed(main_role: str, main_answers: dict | None) -> list[str]:
    """The forms a unit fills in: its main form, and the death form when its census form reports a death."""
    needed = [main_role]
    if main_role in (survey_rules.SHORT, survey_rules.LONG) and deaths(main_answers) > 0:
        needed.append(survey_rules.DEATH)
    return needed


def role_error(asked: str, main_role: str, main_answers: dict | None) -> str | None:
    """Why a unit whose main form is `main_role` (its answers if received) may not submit an `asked` form."""
    labels = survey_rules.FORM_ROLES
    if asked == main_role:
        return None
    if asked == survey_rules.DEATH and main_role in (survey_rules.SHORT, survey_rules.LONG):
        if main_answers is None:
            return _("请先提交本户的%(labels)s，再填死亡人口调查表") % {"labels": labels[main_role]}
        if deaths(main_answers) == 0:
            return _("本户%(labels)s中“本户死亡人数”为0，不填死亡人口调查表") % {"labels": labels[main_role]}
        return None
    if asked in MAIN_FORMS:
        return _("本户应填%(labels)s，不是%(labels2)s") % {"labels": labels[main_role], "labels2": labels[asked]}
    return _("%(get)s不在入户登记时填写") % {"get": labels.get(asked, asked)}


def complete(main_role: str, received: dict[str, dict]) -> bool:
    """Whether the forms received ({role: answers}) are all the unit needs."""
    return main_role in received and set(forms_needed(main_role, received[main_role])) <= set(received)


def filled_at_error(filled_at: datetime, now: datetime) -> str | None:
    if filled_at > now + CLOCK_SKEW:
        return _("填报时间：不能晚于当前时间，请检查手机的日期和时间")
    return None
