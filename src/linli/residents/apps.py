from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "linli.residents"
    verbose_name = "居民端"

    def ready(self):
        from .binding.entries import register_entries

        register_entries()
