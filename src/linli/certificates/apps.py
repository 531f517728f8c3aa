from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "linli.certificates"
    verbose_name = "居委会证明"
