import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # the module also holds a third-party app's config
    name = "linli.accounts"
    verbose_name = _("账户")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from linli.core.sessions import refreshed_at_login

        user_logged_in.connect(refreshed_at_login, dispatch_uid="linli.sessions.refreshed_at_login")


class AxesConfig(axes.apps.AppConfig):
    """django-axes (the login lockout) under a Chinese name in the admin; the package names it by its label."""

    verbose_name = _("登录锁定")
