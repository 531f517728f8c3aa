from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "linli.bulletins"
    verbose_name = "考核通报"
