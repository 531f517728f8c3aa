"""The main menu's entries, as the user's role is offered them (accounts.roles.menu)."""

from django import template

from linli.accounts import roles

register = template.Library()


@register.simple_tag
def main_menu(user) -> frozenset[str]:
    return roles.menu(user)
