"""What every page form shares: services' field errors shown next to the fields they name."""

from .errors import FieldError


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
