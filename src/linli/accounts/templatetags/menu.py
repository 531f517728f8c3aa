"""The main menu: its entries as the user's role is offered them (accounts.roles.menu), and the menu drawn."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template import engines
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from linli.accounts import roles

register = template.Library()


@register.simple_tag
def main_menu(user) -> frozenset[str]:
    return roles.menu(user)


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    """The frame's menu (accounts/nav.html), the current page marked. What it draws follows from the role's entries,
    the page, whether the user may open the admin, the language and the routes, and nothing else; so each is drawn
    once in a process and kept: thirty-odd links cost a page 0.7 ms drawn every time."""
    request, user = context["request"], context["user"]
    match = request.resolver_match
    here = (match.namespace, match.url_name or "") if match else ("", "")
    routes = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    return _nav(roles.menu(user), *here, user.is_staff, get_language(), *routes)


@lru_cache(maxsize=4096)
def _nav(entries: frozenset, ns: str, name: str, is_staff: bool, language, prefix, urlconf) -> str:
    nav = engines["jinja2"].get_template("accounts/nav.html")
    return mark_safe(nav.render({"m": entries, "ns": ns, "name": name, "is_staff": is_staff}))
