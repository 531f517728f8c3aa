"""Badges and links of the case pages: lights and priorities say their meaning in words, not by colour only."""

from functools import lru_cache

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import pii
from linli.workdays import services as workdays

from .. import rules
from ..models import Category

register = template.Library()

LIGHT_WORDS = {rules.GREEN: gettext_lazy("绿灯"), rules.YELLOW: gettext_lazy("黄灯"), rules.RED: gettext_lazy("红灯")}
PRIORITY_CLASSES = {1: "urgent", 2: "high", 3: "normal"}


def case_light(case, now=None) -> str:
    """The traffic light of an open case; "" for a case nobody has to act on any more."""
    if case.state not in rules.OPEN_STATES:
        return ""
    return rules.case_light(now or timezone.now(), case)


# A badge's HTML depends on its value and the language only, and a list draws four a row: each is made once per
# value and language (its label is a lazy translation, translated anew on every use).


@register.simple_tag
def light_badge(case):
    return _light(case_light(case), translation.get_language())


@lru_cache(maxsize=64)
def _light(value: str, language: str) -> str:
    if not value:
        return ""
    return format_html(
        '<span class="light light-{}" title="{}"><i aria-hidden="true"></i>{}</span>',
        value,
        rules.LIGHT_LABELS[value],
        LIGHT_WORDS[value] if value == rules.GREEN else rules.LIGHT_LABELS[value],
    )


@register.simple_tag
def priority_badge(case):
    return _priority(case.priority, translation.get_language())


@lru_cache(maxsize=64)
def _priority(priority: int, language: str) -> str:
    label = dict(Category.Priority.choices).get(priority, priority)
    return format_html('<span class="prio prio-{}">{}</span>', PRIORITY_CLASSES.get(priority, "normal"), label)


@register.simple_tag
def state_badge(case):
    return _state(case.state, translation.get_language())


@lru_cache(maxsize=256)
def _state(state: str, language: str) -> str:
    return format_html('<span class="state state-{}">{}</span>', state, rules.STATE_LABELS[state])


@register.simple_tag
def supervision_badge(case):
    return _supervision(case.supervision_level, translation.get_language())


@lru_cache(maxsize=64)
def _supervision(level: int, language: str) -> str:
    label = rules.SUPERVISION_LABELS.get(level, "")
    return format_html('<span class="sup sup-{}">{}</span>', level, label) if label else ""


@register.filter
def mask_phone(value: str) -> str:
    return pii.mask_phone(value or "")


@register.filter
def working_span(seconds) -> str:
    """Working seconds in words: 2个工作日3.5小时, 4.5小时, 40分钟."""
    seconds = max(int(seconds or 0), 0)
    days, rest = divmod(seconds, workdays.working_day_seconds())
    hours = round(rest / 3600, 1)
    parts = []
    if days:
        parts.append(_("%(days)s个工作日") % {"days": days})
    if hours >= 1 or (days and hours):
        parts.append(_("%(hours)s小时") % {"hours": format(hours, "g")})
    elif not days:
        parts.append(_("%(max)s分钟") % {"max": max(round(rest / 60), 0 if not rest else 1)})
    return "".join(parts)


@register.filter
def house_label(house) -> str:
    building = house.unit.building
    return _("%(name)s %(number)s号楼%(number2)s单元%(number3)s") % {
        "name": building.estate.name,
        "number": building.number,
        "number2": house.unit.number,
        "number3": house.number,
    }
