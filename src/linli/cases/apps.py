from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "linli.cases"
    verbose_name = "事件闭环"
