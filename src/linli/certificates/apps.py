from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "linli.certificates"
    verbose_name = "居委会证明"

    def ready(self):
        from linli.residents.entries import Entry, register

        hint = "居委会出具证明：在线申请、查看进度"
        register(Entry("certificates", "开具证明", "certificates_portal:home", hint=hint,
                       order=85, needs_binding=True))  # fmt: skip
