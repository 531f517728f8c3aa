from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "linli.notifications"
    verbose_name = "消息通知"
