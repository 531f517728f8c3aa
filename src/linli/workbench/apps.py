from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "linli.workbench"
    verbose_name = "工作台"
