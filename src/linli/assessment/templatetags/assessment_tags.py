from django import template

from linli.assessment import rules

register = template.Library()


@register.filter
def points(value) -> str:
    """A score as people write it: 95.5, not 95.50."""
    return rules.fmt(value)
