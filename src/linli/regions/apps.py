from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "linli.regions"
    verbose_name = "区域与网格"
