from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    verbose_name = "账户"
