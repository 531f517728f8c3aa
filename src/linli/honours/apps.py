from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "linli.honours"
    verbose_name = _("挂牌荣誉")

    def ready(self):
        # Honours listen to the case engine; the case engine never imports honours.
        from linli.cases.signals import case_changed

        from .services import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="honours.review_case")
