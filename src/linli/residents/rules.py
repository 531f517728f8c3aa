"""Pure rules of 实名认证 (binding a portal account to a person of the registry) and 更正申请. No Django.

Binding: the resident names themselves (name and ID number); the registry's exact lookup finds the person by the
ID's keyed hash, and the name must agree. Bound at once only when the phone on file for that person is the
account's own phone and nobody else's account holds the person; otherwise the person's community confirms.

Corrections: a bound resident asks to correct their OWN record only. A household member's data is that member's
personal information (PIPL art. 44-46: the right to correct is the data subject's own); members correct theirs
through their own account or at the community office. Name, ID number, gender and birth date are what the binding
rests on (and what the ID number encodes): they are corrected at the office with the document, not from the portal.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Tries of 实名认证 that an account may make in a day, matched or not: the lookup answers whether a name and an ID
# number belong together, so it must not serve as a way to test many of them.
BINDING_TRIES_PER_DAY = 5
TRY_WINDOW = timedelta(days=1)
# 更正申请 a resident may have open at once: the community reviews them one by one.
OPEN_CORRECTIONS_MAX = 3
REASON_MAX = 200

# The fields a resident may ask to correct, with their Chinese labels (people.Person's verbose names).
CORRECTABLE = {
    "phone": gettext_lazy("联系电话"),
    "current_address": gettext_lazy("现住址"),
    "hukou_address": gettext_lazy("户籍地"),
    "ethnicity": gettext_lazy("民族"),
    "education": gettext_lazy("文化程度"),
    "employment": gettext_lazy("就业状况"),
    "employer": gettext_lazy("工作单位"),
    "political_status": gettext_lazy("政治面貌"),
    "marital_status": gettext_lazy("婚姻状况"),
}


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.PENDING: gettext_lazy("待社区审核"),
    Status.APPROVED: gettext_lazy("已通过"),
    Status.REFUSED: gettext_lazy("未通过"),
    Status.WITHDRAWN: gettext_lazy("已撤回"),
}


class Why(StrEnum):
    """Why a binding waits for the community (none: it was bound at once)."""

    NONE = ""
    PHONE_DIFFERS = "phone_differs"  # the phone on file is another number
    NO_PHONE = "no_phone"  # the registry holds no phone for the person
    CLAIMED = "claimed"  # another account is bound to the person


WHY_LABELS = {
    Why.NONE: gettext_lazy("手机号与登记一致，已自动通过"),
    Why.PHONE_DIFFERS: gettext_lazy("登记的联系电话与申请人手机号不一致"),
    Why.NO_PHONE: gettext_lazy("登记信息中没有联系电话"),
    Why.CLAIMED: gettext_lazy("该人员已绑定其他账号"),
}


def binding_outcome(*, phone_on_file: str, applicant_phone: str, other_account: bool) -> Why:
    """Why the binding must wait for the community, or Why.NONE when it binds at once. Phones are compared by
    their keyed hashes (either may be "": none on file)."""
    if other_account:
        return Why.CLAIMED
    if not phone_on_file:
        return Why.NO_PHONE
    if phone_on_file != applicant_phone:
        return Why.PHONE_DIFFERS
    return Why.NONE


_NAME_DOTS = str.maketrans({c: "·" for c in "•・‧⋅∙･"})


def normalize_name(name: str) -> str:
    """A name as the resident types it compared with the registry's: full-width forms folded (NFKC), spaces
    dropped, the middle dots of minority and foreign names (阿依古丽·买买提) written alike."""
    folded = unicodedata.normalize("NFKC", name or "").translate(_NAME_DOTS)
    return "".join(folded.split())


def names_match(given: str, on_file: str) -> bool:
    return bool(normalize_name(given)) and normalize_name(given) == normalize_name(on_file)


def tries_left(tries_since: list[datetime], now: datetime) -> int:
    """Binding tries left in the day before `now`, given the times of the account's earlier tries."""
    recent = sum(1 for t in tries_since if now - TRY_WINDOW < t <= now)
    return max(BINDING_TRIES_PER_DAY - recent, 0)


class Refused(ValueError):
    """A request the rules refuse; `field` names what to fix ("" the request as a whole)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def may_decide(status: str) -> None:
    """Only a pending request is approved, refused or withdrawn, once."""
    if status != Status.PENDING:
        raise Refused("", _("该申请%(get)s，不能再处理") % {"get": STATUS_LABELS.get(Status(status), status)})


def decision_note(approve: bool, note: str) -> str:
    """The reviewer's note: a refusal must say why (the resident reads it)."""
    note = (note or "").strip()
    if not approve and not note:
        raise Refused("note", _("请填写不通过的原因，居民将看到该说明"))
    if len(note) > REASON_MAX:
        raise Refused("note", _("说明不能超过%(REASON_MAX)s个字") % {"REASON_MAX": REASON_MAX})
    return note


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


def correction_changes(current: dict[str, str], proposed: dict[str, str]) -> list[Change]:
    """The fields a correction changes: correctable ones whose proposed value differs from the current one (both
    stripped). Unknown or non-correctable fields, and a request that changes nothing, are refused."""
    unknown = sorted(set(proposed) - set(CORRECTABLE))
    if unknown:
        raise Refused(unknown[0], _("该项不能在线更正，请携带证件到社区办理"))
    changes = []
    for field, label in CORRECTABLE.items():
        if field not in proposed:
            continue
        old, new = (current.get(field) or "").strip(), (proposed[field] or "").strip()
        if new != old:
            changes.append(Change(field, label, old, new))
    if not changes:
        raise Refused("changes", _("请至少修改一项与现有登记不同的信息"))
    return changes


def correction_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Refused("reason", _("请填写更正原因"))
    if len(reason) > REASON_MAX:
        raise Refused("reason", _("更正原因不能超过%(REASON_MAX)s个字") % {"REASON_MAX": REASON_MAX})
    return reason
