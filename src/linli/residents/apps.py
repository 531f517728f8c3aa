from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ResidentsConfig(AppConfig):
    name = "linli.residents"
    verbose_name = gettext_lazy("居民端")

    def ready(self):
        from linli.cases.signals import case_changed

        from .binding.entries import register_entries
        from .entries import Entry, register
        from .reports.services import on_case_changed

        case_changed.connect(on_case_changed, dispatch_uid="residents.tell_reporter")
        register(Entry("reports", _("我的反映"), "portal:reports", hint=_("反映过的问题和办理进度"), order=20))
        register(Entry("account", _("我的账号"), "portal:account", hint=_("手机号、告知同意、注销"), order=900))
        register_entries()
