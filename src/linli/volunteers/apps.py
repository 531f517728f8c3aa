from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VolunteersConfig(AppConfig):
    name = "linli.volunteers"
    verbose_name = gettext_lazy("志愿服务")

    def ready(self):
        from linli.residents.entries import Entry, register

        # ---- the volunteer card (or registering), for residents bound to a registry person
        register(
            Entry(
                "volunteer",
                _("志愿服务"),
                "volunteers_portal:home",
                hint=_("注册志愿者、服务时长与星级、时长证明"),
                order=40,
                needs_binding=True,
            )
        )

        # ---- activities: the portal's 志愿活动 entry
        from .activities.entries import register_entry

        register_entry()
