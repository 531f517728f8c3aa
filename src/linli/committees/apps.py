from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "linli.committees"
    verbose_name = _("业主委员会与红色物业")
