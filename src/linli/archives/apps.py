from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "linli.archives"
    verbose_name = _("电子台账与档案")
