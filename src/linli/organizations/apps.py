from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "linli.organizations"
    verbose_name = "组织机构"
