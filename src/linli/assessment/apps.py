from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "linli.assessment"
    verbose_name = _("测评考核")
