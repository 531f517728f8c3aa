from django.conf import settings
from django.db import models

from linli.core.pii import EncryptedCharField, mask_phone


class Resident(models.Model):
    """居民: the portal account of one phone number (a User with the resident role, no password), bound to a person of
    the registry once 实名认证 passes. The phone is encrypted at rest, found by its keyed hash."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="resident",
        verbose_name="账号",
    )  # fmt: skip
    phone = EncryptedCharField("手机号码")
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    # One account per person: a second phone claiming the same person waits for the community (binding requests).
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="resident",
        verbose_name="实名人员",
    )  # fmt: skip
    bound_at = models.DateTimeField("实名时间", null=True, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "居民账号"

    def __str__(self) -> str:
        return mask_phone(self.phone)


class Consent(models.Model):
    """告知同意: the privacy notice a resident agreed to, by version, before any personal data was asked."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents", verbose_name="居民")
    version = models.CharField("告知书版本", max_length=20)
    accepted_at = models.DateTimeField("同意时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "告知同意记录"
        constraints = [models.UniqueConstraint(fields=["resident", "version"], name="consent_once_per_version")]
