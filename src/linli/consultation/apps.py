from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ConsultationConfig(AppConfig):
    name = "linli.consultation"
    verbose_name = gettext_lazy("议事协商")

    def ready(self):
        from linli.residents.entries import Entry, register

        register(
            Entry(
                "consultation",
                _("议事协商"),
                "consultation_portal:list",
                hint=_("提议题、参与讨论和投票"),
                order=30,
                needs_binding=True,
            )
        )
