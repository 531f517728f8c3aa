from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "linli.notices"
    verbose_name = "社区公告"

    def ready(self):
        from linli.residents.entries import Entry, register

        register(Entry("notices", "社区公告", "notices_portal:list", hint="社区、网格、小区和楼栋的通知", order=20,
                       needs_binding=True))  # fmt: skip
