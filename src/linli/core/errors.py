"""Domain errors that services raise and the API and pages turn into Chinese messages."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    row: int | None = None

    def __post_init__(self):
        # A message kept in a constant is lazy (gettext_lazy): it is said in the interface's language when raised.
        object.__setattr__(self, "message", str(self.message))

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


class DomainError(Exception):
    """A request the domain refuses: answered 400 with a Chinese `detail` and per-field `errors`."""

    status = 400

    def __init__(self, detail: str, errors: list[FieldError] | None = None):
        detail = str(detail)  # a default below is lazy: said in the interface's language when raised
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class ValidationFailed(DomainError):
    def __init__(self, errors: list[FieldError], detail: str = _("提交的数据有误，请按提示修改")):
        super().__init__(detail, errors)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, detail: str = _("您没有执行此操作的权限")):
        super().__init__(detail)


class Conflict(DomainError):
    """Optimistic concurrency: someone else saved first."""

    status = 409

    def __init__(self, detail: str = _("数据已被他人修改，请刷新后重试")):
        super().__init__(detail)


class TooManyRequests(DomainError):
    """A rate limit is reached: the message says when to try again."""

    status = 429
