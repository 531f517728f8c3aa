"""The template loader: Django's cached loader, with one compiled copy of each template per language in which every
constant translation is already text.

A page's `{% translate "姓名" %}` is a node that looks up the active language and the catalogue each time it is
drawn: a list of twenty rows draws a column's header label twenty times, and the persons' list draws about two
hundred such nodes, a tenth of its template time. A template compiled for one language never changes its constant
texts, so they are translated once, when the template is first loaded in that language, by rendering the node
itself (the same lookup, the same escaping: a template's literal is trusted text). Translations that take a value,
a context, `as` or `noop` stay nodes.
"""

from django.template import Context
from django.template.base import TextNode, TokenType
from django.template.loaders import cached
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils.translation import get_language


class Loader(cached.Loader):
    def cache_key(self, template_name, skip=None):
        return f"{get_language()}:{super().cache_key(template_name, skip)}"

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "constants_translated", False):
            context = Context()
            with context.bind_template(template):
                translate_constants(template.nodelist, context)
            template.constants_translated = True
        return template


def translate_constants(nodelist, context) -> None:
    """Replace, in place and through every nested node list, each constant translation by its text (the node
    drawn in an empty context bound to its template)."""
    for index, node in enumerate(nodelist):
        if is_constant(node):
            nodelist[index] = TextNode(str(node.render(context)))
            continue
        for child in nested_nodelists(node):
            translate_constants(child, context)


def is_constant(node) -> bool:
    if isinstance(node, TranslateNode):
        expression = node.filter_expression
        return (not node.noop and node.asvar is None and node.message_context is None and not expression.filters
                and getattr(expression.var, "literal", None) is not None)  # fmt: skip
    if isinstance(node, BlockTranslateNode):
        plain = node.countervar is None and node.asvar is None and node.message_context is None
        return (
            plain
            and not node.plural
            and not node.extra_context
            and all(t.token_type == TokenType.TEXT for t in node.singular)
        )
    return False


def nested_nodelists(node):
    if hasattr(node, "conditions_nodelists"):  # {% if %}: one list per branch (its `nodelist` is a copy of them all)
        yield from (nodelist for _condition, nodelist in node.conditions_nodelists)
        return
    for attribute in node.child_nodelists:
        nodelist = getattr(node, attribute, None)
        if nodelist is not None:
            yield nodelist
