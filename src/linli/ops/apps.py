from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "linli.ops"
    verbose_name = "运维"
