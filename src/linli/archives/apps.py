from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "linli.archives"
    verbose_name = "电子台账与档案"
