from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "linli.volunteers"
    verbose_name = "志愿服务"

    def ready(self):
        # part B (activities): the portal's 志愿活动 entry
        from .activities.entries import register_entry

        register_entry()
