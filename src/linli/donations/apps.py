from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DonationsConfig(AppConfig):
    name = "linli.donations"
    verbose_name = gettext_lazy("公益捐助")

    def ready(self):
        from linli.residents.entries import Entry, register

        register(Entry("donations", _("公益捐助"), "donations_public:list", hint=_("社区公益捐助的收支公示"), order=80))
