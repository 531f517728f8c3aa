"""{% notices_for_user user as notices %}: the open notices the user can act on (the banner of base.html)."""

from django import template

from linli.ops.selectors import notices_for

register = template.Library()


@register.simple_tag
def notices_for_user(user):
    return notices_for(user)
