from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "linli.campaigns"
    verbose_name = _("创建工作")

    def ready(self):
        from linli.notifications.signals import messages_read

        from .progress.services import notices_read_in_inbox

        messages_read.connect(notices_read_in_inbox, dispatch_uid="campaigns.notices_read_in_inbox")
