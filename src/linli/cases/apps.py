from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

from . import rules


class CasesConfig(AppConfig):
    name = "linli.cases"
    verbose_name = _("事件闭环")

    def ready(self):
        checks.register(visit_settings)


def visit_settings(app_configs=None, **kwargs) -> list[checks.Error]:
    """The return visits' settings (LINLI_VISIT_TRIES, LINLI_VISIT_UNREACHABLE), refused at start rather than on the
    first indicator page."""
    errors = []
    if settings.VISIT_TRIES < 1:
        errors.append(checks.Error("LINLI_VISIT_TRIES must be 1 or more", id="cases.E001"))
    if settings.VISIT_UNREACHABLE not in rules.UNREACHABLE_RULES:
        errors.append(checks.Error(f"LINLI_VISIT_UNREACHABLE must be one of {', '.join(rules.UNREACHABLE_RULES)}",
                                   id="cases.E002"))  # fmt: skip
    return errors
