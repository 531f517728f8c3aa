from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "linli.backups"
    verbose_name = "备份"
