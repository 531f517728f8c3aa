"""Our widget renderer draws Django's widgets as Django's own Jinja2 renderer does, its select (options written in
place rather than included, core/formwidgets) included."""

from django import forms
from django.forms.renderers import Jinja2

from linli.core.forms import WidgetRenderer

CHOICES = [("", "全部"), ("甲街道", [("1", "甲一社区"), ("2", "甲二社区 <旧>")]), ("3", "乙街道 & 丙")]


class Filters(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    plain = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.Select(attrs={"data-autosubmit": ""}))


def test_selects_are_drawn_as_by_djangos_own_templates():
    form = Filters({"one": "2", "many": ["1", "3"], "plain": "b"})
    ours, django = WidgetRenderer(), Jinja2()
    for name in ("one", "many", "plain"):
        widget, field = form[name].field.widget, form[name]
        attrs = {"id": field.auto_id, "disabled": name == "plain"}
        drawn = widget.render(name, field.value(), attrs, renderer=ours)
        assert drawn == widget.render(name, field.value(), attrs, renderer=django)
        assert drawn.count("<option") == (2 if name == "plain" else 4)
        if name != "plain":
            assert '<optgroup label="甲街道">' in drawn and "&lt;旧&gt;" in drawn and "&amp; 丙" in drawn
    select = ours.get_template("django/forms/widgets/select.html")
    assert select.origin.name.endswith("core/formwidgets/django/forms/widgets/select.html")
