import django_tasks_db.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    default = True  # the module also holds a third-party app's config
    name = "linli.ops"
    verbose_name = _("运维")


class TasksDatabaseConfig(django_tasks_db.apps.TasksAppConfig):
    """The background jobs' database backend under a Chinese name in the admin (the package's is English only)."""

    verbose_name = _("后台任务")
