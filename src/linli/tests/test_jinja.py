"""The Jinja2 rows (linli/jinja.py): drawn inside a page, translated, escaped, and as the template language says."""

from types import SimpleNamespace

from django.template import engines
from django.utils import translation


def tag(name, *, sensitive=False, grade=None):
    return SimpleNamespace(tag=SimpleNamespace(name=name, sensitive=sensitive), grade=grade)


def test_a_row_template_is_translated_and_escapes_what_it_is_given():
    tags = [tag("低保"), tag("<b>重点</b>", sensitive=True, grade=2)]
    template = engines["django"].from_string('{% load jinja %}<p>{% jinja "people/tags.html" tags=tags %}</p>')
    with translation.override("zh-hans"):
        hans = template.render({"tags": tags})
    with translation.override("zh-hant"):
        hant = template.render({"tags": tags})
    assert hans.startswith('<p><span class="tag">低保</span><span class="tag sensitive" title="敏感标签">')
    assert 'title="敏感标签"' in hans and "&lt;b&gt;重点&lt;/b&gt;·2级" in hans and "<b>" not in hans
    assert 'title="敏感標籤"' in hant and "·2級" in hant


def test_display_says_what_get_display_says_in_the_language_of_the_page():
    from linli.jinja import display
    from linli.people.models import Person

    person = Person(residence_type=Person.ResidenceType.REGISTERED)
    with translation.override("zh-hans"):
        assert display(person, "residence_type") == person.get_residence_type_display() == "户籍人口"
    with translation.override("zh-hant"):
        assert display(person, "residence_type") == person.get_residence_type_display() == "戶籍人口"
    person.residence_type = "unknown"  # a value outside the choices is shown as it is, as Django does
    assert display(person, "residence_type") == person.get_residence_type_display() == "unknown"
