from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "linli.donations"
    verbose_name = "公益捐助"

    def ready(self):
        from linli.residents.entries import Entry, register

        register(Entry("donations", "公益捐助", "donations_public:list", hint="社区公益捐助的收支公示", order=80))
