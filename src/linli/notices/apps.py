from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class NoticesConfig(AppConfig):
    name = "linli.notices"
    verbose_name = gettext_lazy("社区公告")

    def ready(self):
        from linli.residents.entries import Entry, register

        register(
            Entry(
                "notices",
                _("社区公告"),
                "notices_portal:list",
                hint=_("社区、网格、小区和楼栋的通知"),
                order=20,
                needs_binding=True,
            )
        )
