from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "linli.bulletins"
    verbose_name = _("考核通报")
