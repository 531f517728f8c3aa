from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "linli.workdays"
    verbose_name = "工作日历"
