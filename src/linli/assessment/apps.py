from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "linli.assessment"
    verbose_name = "测评考核"
