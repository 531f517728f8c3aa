from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "linli.honours"
    verbose_name = "挂牌荣誉"
