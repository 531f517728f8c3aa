from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "linli.residents"
    verbose_name = "居民端"

    def ready(self):
        from .entries import Entry, register

        register(Entry("account", "我的账号", "portal:account", hint="手机号、告知同意、注销", order=900))
