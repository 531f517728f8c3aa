from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "linli.audit"
    verbose_name = "审计"
