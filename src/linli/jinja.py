"""Jinja2 for the rows of the longest lists: the environment of the templates in each app's `jinja2/` folder, and the
`{% jinja %}` tag that draws one of them inside a page of the template language.

The template language spends most of a list page's time on its rows: every cell's label, link, filter and
include is a node resolved per row, and twenty rows of the persons' list took half of the page's template time
(docs/performance.md). Jinja2 compiles a template to Python, so a row costs a few function calls. The pages stay
in the template language; what they draw many times over moves, each in one copy: the rows of the longest lists
(cases/rows.html serves the desk, the to-do list and the case list alike), the frame's menu (accounts/nav.html,
about thirty links, drawn once per role and page and kept: accounts.templatetags.menu), the case page's content
and a case's action forms (cases/detail_content.html, cases/actions.html), and what every form and list shares: a
field under its label (the project's jinja2/field.html, `{% jinja "field.html" field=form.name %}` in a page), the
pager (jinja2/pager.html) and the error summary (jinja2/form_errors.html, which the pages include as
templates/_form_errors.html).

In these templates `_("…")` marks text for translation, a value put in by `format` after it
(`_("·%(grade)s级")|format(grade=…)`): that is the form makemessages reads. `url(name, *args)` is `reverse`, and
the filters and badges below are the template language's own functions, so both languages say the same.
"""

from functools import lru_cache
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.template import defaultfilters, defaulttags, engines
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from jinja2 import Environment, Undefined

from linli.cases.templatetags import case_tags
from linli.maps.templatetags.linli_maps import map_config
from linli.people.templatetags import registry


def date(value, format_string=None) -> str:
    """The template language's `date` filter, in the current time zone as it would be."""
    return defaultfilters.date(template_localtime(value), format_string)


@lru_cache(maxsize=4096)
def _translated(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def gettext(message: str) -> str:
    """Django's gettext, remembered per language: a row template asks for each column's label once per row, and
    a catalogue does not change while the process runs."""
    return _translated(translation.get_language(), message)


@lru_cache(maxsize=4096)
def _reversed(prefix: str, urlconf, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def url(name: str, *args) -> str:
    """`reverse`, remembered: the menu asks for the same thirty addresses on every page, and the routes do not
    change while the process runs (the key holds what reverse depends on: the prefix and the URL configuration)."""
    return _reversed(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args)


@lru_cache(maxsize=512)
def _labels(model, name: str, language: str) -> dict:
    with translation.override(language):
        return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def linebreaksbr(value) -> str:
    """The template language's `linebreaksbr`: the text escaped, its line breaks as <br>."""
    return defaultfilters.linebreaksbr(value, autoescape=True)


def querystring(request, **changes) -> str:
    """The template language's `{% querystring %}`: the request's query with `changes` made (None drops a key)."""
    return defaulttags.querystring(SimpleNamespace(request=request), **changes)


def display(obj, name: str):
    """`obj.get_<name>_display()`, with the field's labels read once per language: Django's rebuilds the field's
    table of labels on every call, translating each label to hash it."""
    value = getattr(obj, name)
    return _labels(type(obj), name, translation.get_language()).get(value, value)


def environment(**options) -> Environment:
    # A missing value draws nothing, as in the template language (Django would show it in DEBUG).
    options["undefined"] = Undefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, translation.ngettext)
    env.globals.update(
        url=url,
        display=display,
        state_badge=case_tags.state_badge,
        supervision_badge=case_tags.supervision_badge,
        priority_badge=case_tags.priority_badge,
        light_badge=case_tags.light_badge,
        map_config=map_config,
        querystring=querystring,
    )
    env.filters.update(
        date=date,
        linebreaksbr=linebreaksbr,
        json_script=json_script,
        working_span=case_tags.working_span,
        truncatechars=defaultfilters.truncatechars,
        mask_id=registry.mask_id,
        mask_phone=registry.mask_phone,
        age=registry.age,
    )
    return env


register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str, **values) -> str:
    """Draw a Jinja2 template (an app's jinja2/ folder) here, with the given values and the request."""
    rows = engines["jinja2"].get_template(template_name)
    return mark_safe(rows.render(values, context.get("request")))
