"""The frame's accessibility pieces: the 大字 toggle and its class on <html>, and the warning before the sign-in ends
(docs/accessibility.md)."""

from django import template
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.core import sessions, textsize

register = template.Library()

# The warning shows this long before the session ends (WCAG 2.2.1: at least 20 seconds to answer it).
WARN_SECONDS = 120


@register.simple_tag(takes_context=True)
def big_text_class(context) -> str:
    """` class="big-text"` on the <html> of a page that offers 大字, when the reader chose it (the cookie)."""
    request = context.get("request")
    return mark_safe(' class="big-text"') if request is not None and textsize.is_big(request) else ""


@register.inclusion_tag("_text_size.html", takes_context=True)
def text_size_toggle(context) -> dict:
    request = context["request"]
    return {
        "big": textsize.is_big(request),
        "cookie": textsize.COOKIE,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("_session_expiry.html", takes_context=True)
def session_expiry(context) -> dict:
    """The warning before an idle sign-in ends, on every page of a signed-in user (base_plain.html)."""
    request = context.get("request")
    try:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"shown": False}
        left = sessions.seconds_left(request.session)
    except DatabaseError:  # the busy page (503) must not fail on the warning
        return {"shown": False}
    warn = min(WARN_SECONDS, settings.SESSION_COOKIE_AGE // 2)
    return {
        "shown": True,
        "seconds_left": left,
        "warn_seconds": warn,
        "warn_text": _("%(value)s 分钟") % {"value": warn // 60} if warn >= 60 else _("%(warn)s 秒") % {"warn": warn},
        "login_url": reverse("portal:login") if roles.is_resident(user) else settings.LOGIN_URL,
        "user_key": user.pk,
        "csrf_token": context.get("csrf_token"),
    }
