from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "linli.donations"
    verbose_name = "公益捐助"
