"""The template loader: constant translations become text once per language; the rest stay translated as drawn."""

from django.template import Context, Engine, engines
from django.template.base import TextNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation

from linli.core.templateloader import Loader

SOURCE = (
    "{% load i18n %}"
    '<h1>{% translate "人员" %}</h1>'
    '{% if rows %}{% for r in rows %}<td>{% translate "人员" %}</td>{% endfor %}'
    "{% else %}<p>{% blocktranslate %}没有符合条件的人员。{% endblocktranslate %}</p>{% endif %}"
    '{% translate "人员" as label %}<b>{{ label }}</b>'
    "<i>{% translate word %}</i>"
    "{% blocktranslate with n=count %}共 {{ n }} 名人员{% endblocktranslate %}"
)


def engine() -> Engine:
    locmem = ("django.template.loaders.locmem.Loader", {"page.html": SOURCE})
    loaders = [("linli.core.templateloader.Loader", [locmem])]
    return Engine(loaders=loaders, libraries={"i18n": "django.templatetags.i18n"})


def nodes(template, kind):
    return template.nodelist.get_nodes_by_type(kind)


def test_each_language_gets_its_own_copy_with_the_constants_as_text():
    e = engine()
    context = {"rows": [1, 2], "word": "人员", "count": 3}
    with translation.override("zh-hans"):
        hans = e.get_template("page.html")
        assert hans.render(Context(context)) == (
            "<h1>人员</h1><td>人员</td><td>人员</td><b>人员</b><i>人员</i>共 3 名人员"
        )
    with translation.override("zh-hant"):
        hant = e.get_template("page.html")
        assert hant is not hans
        assert hant.render(Context(context)).startswith("<h1>人員</h1><td>人員</td><td>人員</td><b>人員</b><i>人員</i>")
        assert hant.render(Context({"rows": []})).startswith("<h1>人員</h1><p>沒有符合條件的人員。</p>")
    with translation.override("zh-hans"):
        assert e.get_template("page.html") is hans
    # What remains a node: the translation kept `as` a variable, the one of a variable, the one with a value.
    assert len(nodes(hans, TranslateNode)) == 2 and len(nodes(hans, BlockTranslateNode)) == 1
    assert sum(node.s == "人员" for node in nodes(hans, TextNode)) == 2  # the heading's and the cells'


def test_the_project_loads_its_templates_through_it():
    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
