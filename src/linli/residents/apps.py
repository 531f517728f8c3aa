from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "linli.residents"
    verbose_name = "居民端"
