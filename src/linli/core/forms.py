"""What every page form shares: the text rule on every text field, services' field errors shown next to the fields
they name, and numbers and days within the API's bounds."""

from functools import cached_property
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, ProhibitNullCharactersValidator
from django.forms import renderers
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist

from .errors import FieldError, ValidationFailed
from .schemas import DAY_MAX, DAY_MIN, ID_MAX, VERSION_MAX, whole_number
from .text import Kind, check


class BoundField(forms.BoundField):
    """A field on a page, its errors tied to it. Django marks an invalid input `aria-invalid="true"` and points its
    `aria-describedby` at `<id>_helptext` and `<id>_error`: the field partials (jinja2/field.html and the
    apps' own) give the help text and the error those ids, one convention everywhere. A group of choices (radios,
    checkboxes) is drawn in a fieldset, which Django leaves undescribed: each choice is described instead.
    `anchor` is the id the form's error summary (templates/_form_errors.html) links to: the input, the first
    choice of a group, or, for a hidden field (a point set on a map, say), the input the form's `error_anchors` names
    ({hidden field: input id}), which is then marked and described by the hidden field's error too."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.use_fieldset and not attrs.get("aria-describedby") and self.aria_describedby:
            attrs["aria-describedby"] = self.aria_describedby
        for name, anchor in getattr(self.form, "error_anchors", {}).items():
            if anchor == self.auto_id and self.form.is_bound and self.form[name].errors:
                described = attrs.get("aria-describedby") or self.field.widget.attrs.get("aria-describedby") or ""
                attrs["aria-describedby"] = f"{described} {self.form[name].auto_id}_error".strip()
                attrs["aria-invalid"] = "true"
        return attrs

    @property
    def anchor(self) -> str:
        named = getattr(self.form, "error_anchors", {}).get(self.name)
        if named or self.is_hidden or not self.auto_id:
            return named or ""
        return self.id_for_label or f"{self.auto_id}_0"


class WidgetRenderer(Jinja2):
    """Form widgets through Django's Jinja2 widget templates (settings.FORM_RENDERER): the template language renders
    every <option> as a template of its own, which cost a list page's filters 10 ms of its 40. A widget template
    that exists only for the template language (the admin's) is rendered by it. Every form's fields are
    BoundFields of ours (errors tied to fields)."""

    fallback = DjangoTemplates()
    bound_field_class = BoundField

    @cached_property
    def engine(self):
        """Django's engine for its widget templates (as Jinja2's own), with our few (core/formwidgets) found first."""
        widgets = Path(renderers.__file__).parent / self.backend.app_dirname
        dirs = [Path(__file__).parent / "formwidgets", widgets]
        return self.backend({"APP_DIRS": True, "DIRS": dirs, "NAME": "djangoforms", "OPTIONS": {}})

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)


class TextValidator:
    """linli.core.text's rule for one kind of field, as a Django validator."""

    def __init__(self, kind: Kind):
        self.kind = kind

    def __call__(self, value) -> None:
        problem = check(str(value), self.kind)
        if problem:
            raise ValidationError(problem.message, code=f"text_{problem.name.lower()}")


class TextRulesMixin:
    """Every text field of the form passes the text rule, its error beside the field: a Textarea is multi-line text,
    the fields listed in `name_fields` are names (of people, organisations, places, and titles), any other is one
    line. Django's own NUL check gives way to the rule, which includes it."""

    name_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                field.validators = [
                    v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
                ] + [TextValidator(self.text_kind(name, field))]

    def text_kind(self, name: str, field: forms.Field) -> Kind:
        if name in self.name_fields:
            return Kind.NAME
        if isinstance(field.widget, forms.Textarea):
            return Kind.TEXT
        return Kind.LINE


class Form(TextRulesMixin, forms.Form):
    """The base of every page form."""


class ModelForm(TextRulesMixin, forms.ModelForm):
    """The base of every model form (the admin's)."""


def checked_text(value: str, kind: Kind, field: str) -> str:
    """Text a page reads from its request without a form, under the same rule: refused with a ValidationFailed
    naming `field`, which the page shows as it shows a service's refusal."""
    problem = check(value, kind)
    if problem:
        raise ValidationFailed([FieldError(field, problem.message)])
    return value


class DomainErrorsMixin:
    """Put a service's FieldErrors next to the fields they name; unknown fields go on top of the form.
    `field_aliases` maps a service field to the form field showing it; `field_messages` rewords a service message
    for the form's readers (residents rather than staff, say)."""

    field_aliases: dict[str, str] = {}
    field_messages: dict[str, str] = {}

    def add_domain_errors(self, errors: list[FieldError]) -> None:
        for error in errors:
            name = self.field_aliases.get(error.field, error.field)
            message = self.field_messages.get(error.field, error.message)
            self.add_error(name if name in self.fields else None, message)

    def add_domain_error(self, exc, errors: list[FieldError] | None = None) -> None:
        """A service's refusal on the form: its FieldErrors (or `errors`, already placed elsewhere in part) beside
        their fields, or, when it names no field, its message on top of the form."""
        self.add_domain_errors(exc.errors if errors is None else errors)
        if not exc.errors:
            self.add_error(None, exc.detail)


# ---------------------------------------------------------------- numbers
# Pages take numbers and days within the API's bounds (linli.core.schemas): past them a value names no row and
# breaks date arithmetic, so a form field refuses it, and a value read by hand outside them is no value at all.


def id_or_none(value) -> int | None:
    return whole_number(value, 1, ID_MAX)


def version_or_none(value) -> int | None:
    return whole_number(value, 0, VERSION_MAX)


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class VersionField(forms.IntegerField):
    """The hidden version a form was read at."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=VERSION_MAX, widget=forms.HiddenInput, **kwargs)


class DayField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators += [MinValueValidator(DAY_MIN), MaxValueValidator(DAY_MAX)]
