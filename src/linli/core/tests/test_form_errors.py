"""Errors tied to fields: every invalid input is marked and described by ids that exist on the page (its error and
its help text, drawn by the field partials), and a failed form opens with a summary linking to each field."""

import re
from html.parser import HTMLParser

from django import forms
from django.template.loader import render_to_string

from linli.core.forms import Form


class Parsed(HTMLParser):
    """The ids on a page, the elements pointing at ids (aria-describedby), the summary's links."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.described: dict[str, list[str]] = {}
        self.invalid: set[str] = set()
        self.links: list[str] = []
        self._summary_depth = 0  # divs open inside the error summary, 0 outside it
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        key = a.get("id") or a.get("name") or tag
        if a.get("aria-describedby"):
            self.described.setdefault(key, []).extend(a["aria-describedby"].split())
        if a.get("aria-invalid") == "true":
            self.invalid.add(key)
        if tag == "div" and (self._summary_depth or "data-error-summary" in a):
            self._summary_depth += 1
        if tag == "a" and self._summary_depth and (a.get("href") or "").startswith("#"):
            self.links.append(a["href"][1:])

    def handle_endtag(self, tag):
        if tag == "div" and self._summary_depth:
            self._summary_depth -= 1


def assert_tied(html: str) -> Parsed:
    """Every aria-describedby names ids on the page and every link of the error summary leads to one."""
    page = Parsed(html)
    dangling = {k: [i for i in v if i not in page.ids] for k, v in page.described.items()}
    assert not {k: v for k, v in dangling.items() if v}, dangling
    assert all(target in page.ids for target in page.links), (page.links, page.ids)
    return page


class Sample(Form):
    name = forms.CharField(label="姓名", help_text="与身份证一致")
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    note = forms.CharField(label="备注", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("数据已被他人修改")


def page(template: str, form) -> str:
    fields = "".join(render_to_string(template, {"field": form[name]}) for name in ("name", "kind", "note"))
    return render_to_string("_form_errors.html", {"form": form}) + fields


def test_a_failed_form_ties_each_error_to_its_field_in_every_partial():
    form = Sample({"name": "", "kind": "", "note": "好", "version": "x"})
    assert not form.is_valid()
    for template in ("field.html", "cases/field.html", "cases/public/_field.html"):
        parsed = assert_tied(page(template, form))
        assert {"id_name", "id_name_error", "id_name_helptext"} <= parsed.ids
        assert parsed.described["id_name"] == ["id_name_helptext", "id_name_error"]
        assert "id_name" in parsed.invalid and "id_note" not in parsed.invalid
        assert "id_note" not in parsed.described  # no help text, no error: nothing to point at
        # each choice of a group is marked and described (Django leaves the fieldset alone)
        assert {"id_kind_0", "id_kind_1"} <= parsed.invalid
        assert parsed.described["id_kind_0"] == ["id_kind_error"]
        # the summary: the form's own error, then a link to each field; a hidden field's error as text
        assert parsed.links == ["id_name", "id_kind_0"]


def test_the_summary_says_what_is_wrong_and_is_where_focus_goes():
    form = Sample({"name": "", "kind": "", "version": "x"})
    form.is_valid()
    html = render_to_string("_form_errors.html", {"form": form})
    assert 'role="alert" tabindex="-1" data-error-summary' in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "提交没有成功" in text and "数据已被他人修改" in text
    assert f"姓名：{form.errors['name'][0]}" in text
    assert form.errors["version"][0] in text  # the hidden version's error, as text: nothing to link to


def test_a_valid_or_unbound_form_has_no_summary():
    assert render_to_string("_form_errors.html", {"form": Sample()}).strip() == ""
    assert "data-error-summary" in render_to_string("_form_errors.html", {"form": Sample(), "page_error": "稍后再试"})
