from django.apps import AppConfig


class BurdenConfig(AppConfig):
    name = "linli.burden"
    verbose_name = "社区减负"
