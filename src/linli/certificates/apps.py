from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class CertificatesConfig(AppConfig):
    name = "linli.certificates"
    verbose_name = gettext_lazy("居委会证明")

    def ready(self):
        from linli.residents.entries import Entry, register

        hint = _("居委会出具证明：在线申请、查看进度")
        register(Entry("certificates", _("开具证明"), "certificates_portal:home", hint=hint,
                       order=85, needs_binding=True))  # fmt: skip
