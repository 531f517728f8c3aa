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

    def add_domain_error(self, exc, errors: list[FieldError] | None = None) -> None:
        """A service's refusal on the form: its FieldErrors (or `errors`, already placed elsewhere in part) beside
        their fields, or, when it names no field, its message on top of the form."""
        self.add_domain_errors(exc.errors if errors is None else errors)
        if not exc.errors:
            self.add_error(None, exc.detail)
