import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.pii import EncryptedCharField, mask_phone

from . import rules


class Resident(models.Model):
    """居民: the portal account of one phone number (a User with the resident role, no password), bound to a person of
    the registry once 实名认证 passes. The phone is encrypted at rest, found by its keyed hash."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="resident",
        verbose_name=_("账号"),
    )  # fmt: skip
    phone = EncryptedCharField(_("手机号码"))
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    # One account per person: a second phone claiming the same person waits for the community (binding requests).
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="resident",
        verbose_name=_("实名人员"),
    )  # fmt: skip
    bound_at = models.DateTimeField(_("实名时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("居民账号")

    def __str__(self) -> str:
        return mask_phone(self.phone)


class Consent(models.Model):
    """告知同意: the privacy notice a resident agreed to, by version, before any personal data was asked."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents", verbose_name=_("居民"))
    version = models.CharField(_("告知书版本"), max_length=20)
    accepted_at = models.DateTimeField(_("同意时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("告知同意记录")
        constraints = [models.UniqueConstraint(fields=["resident", "version"], name="consent_once_per_version")]


# ---------------------------------------------------------------- 实名认证与更正 (rules: residents/rules.py)

REVIEW_STATUS = [(s.value, label) for s, label in rules.STATUS_LABELS.items()]


class BindingTry(models.Model):
    """One 实名认证 attempt, matched or not: what the daily limit counts (rules.BINDING_TRIES_PER_DAY)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="binding_tries")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["resident", "at"], name="binding_try_resident_at")]


class Review(models.Model):
    """What a request the community decides keeps of its decision: pending until approved, refused (with the note the
    resident reads) or withdrawn; who decided, when."""

    status = models.CharField(_("状态"), max_length=10, choices=REVIEW_STATUS, default=rules.Status.PENDING)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("审核人"),
    )  # fmt: skip
    note = models.CharField(_("审核说明"), max_length=200, blank=True)

    class Meta:
        abstract = True


class BindingRequest(Review):
    """A binding of an account to a person: bound at once (why empty, approved without a reviewer) or waiting for the
    person's community to confirm. Kept after the decision: how each binding came about."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="binding_requests", verbose_name=_("申请账号")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="binding_requests", verbose_name=_("登记人员")
    )
    why = models.CharField(
        _("待核实原因"), max_length=20, blank=True, choices=[(w.value, label) for w, label in rules.WHY_LABELS.items()]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("实名认证申请")
        indexes = [models.Index(fields=["status", "created_at"], name="binding_status_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=models.Q(status="pending"), name="binding_one_pending_per_resident"
            )
        ]


class CorrectionRequest(Review):
    """更正申请: a bound resident asks to correct fields of their own record. The old and new values are personal
    data (a phone number among them), so they are stored encrypted, as JSON: [{"field", "old", "new"}, …]."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("申请账号")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="correction_requests", verbose_name=_("登记人员")
    )
    changes_json = EncryptedCharField(_("更正内容"))
    reason = models.CharField(_("更正原因"), max_length=200)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("更正申请")
        indexes = [models.Index(fields=["status", "created_at"], name="correction_status_created")]

    @property
    def changes(self) -> list[rules.Change]:
        return [
            rules.Change(c["field"], rules.CORRECTABLE[c["field"]], c["old"], c["new"])
            for c in json.loads(self.changes_json)
        ]

    @changes.setter
    def changes(self, value: list[rules.Change]) -> None:
        self.changes_json = json.dumps(
            [{"field": c.field, "old": c.old, "new": c.new} for c in value], ensure_ascii=False
        )
