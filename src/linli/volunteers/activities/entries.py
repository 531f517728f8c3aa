"""The portal's home entry of volunteer activities (registered from VolunteersConfig.ready)."""

from django.utils.translation import gettext as _

from linli.residents.entries import Entry, register


def register_entry() -> None:
    register(
        Entry(
            "activities",
            _("志愿活动"),
            "activities_portal:list",
            hint=_("附近的志愿服务活动，报名、签到、我的时长"),
            order=45,
        )
    )
