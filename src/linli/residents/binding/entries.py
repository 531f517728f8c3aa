"""The portal home's entries of 实名认证, 我的家庭 and 更正申请 (residents.entries)."""

from django.utils.translation import gettext as _

from ..entries import Entry, register


def _unbound(resident) -> bool:
    return resident.person_id is None


def register_entries() -> None:
    register(
        Entry("binding", _("实名认证"), "portal:binding", hint=_("认证后可查看家庭信息"), order=10, shown=_unbound)
    )
    register(
        Entry("household", _("我的家庭"), "portal:household", hint=_("住址与家庭成员"), order=20, needs_binding=True)
    )
    register(Entry("corrections", _("更正申请"), "portal:corrections", hint=_("登记信息有误时申请更正"), order=30,
                   needs_binding=True))  # fmt: skip
