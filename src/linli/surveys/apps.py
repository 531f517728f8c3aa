from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "linli.surveys"
    verbose_name = "调查与普查"
