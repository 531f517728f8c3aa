"""What every page form shares: the text rule on every text field, and services' field errors shown next to the
fields they name."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from .errors import FieldError, ValidationFailed
from .text import Kind, check


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
