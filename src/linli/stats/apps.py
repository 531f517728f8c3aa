from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "linli.stats"
    verbose_name = "统计"
