"""{% unread_messages user as n %}: the count beside 消息 in the top bar of base.html."""

from django import template

from linli.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_messages(user):
    return unread_count(user) if user.is_authenticated else 0
