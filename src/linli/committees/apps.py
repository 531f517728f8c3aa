from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "linli.committees"
    verbose_name = "业主委员会与红色物业"
