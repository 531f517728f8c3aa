from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    verbose_name = "账户"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from linli.core.sessions import refreshed_at_login

        user_logged_in.connect(refreshed_at_login, dispatch_uid="linli.sessions.refreshed_at_login")
