"""Certificates of the residents' committee (居委会出具证明): the district's list of matters, applications with their
evidence and promise of truth, issued certificates with a serial and a verification code, and the count of wrong
codes behind the public check's rate limit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class Matter(models.Model):
    """One matter of a district's 《社区居委会日常出具证明事项》, with its legal basis."""

    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区"))
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("证明事项"), max_length=60)
    basis = models.CharField(_("依据"), max_length=300)
    wording = models.CharField(_("证明用语"), max_length=200)
    materials = models.CharField(_("佐证材料"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("在清单内"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["district", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="certificate_matter_code"),
            models.UniqueConstraint(fields=["district", "name"], name="certificate_matter_name"),
        ]
        verbose_name = verbose_name_plural = _("证明事项")

    def __str__(self):
        return self.name


class Application(models.Model):
    """A request for a certificate, at the window or in the portal. `matter` is None for a request outside the list,
    which is refused as it is made (`asked` names what was asked)."""

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.STATES.items()])
    Via = models.TextChoices("Via", [(k, (k, v)) for k, v in rules.VIA.items()])

    community = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人"))
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="applications")
    asked = models.CharField(_("申请事项"), max_length=100)
    via = models.CharField(_("渠道"), max_length=10, choices=Via.choices)
    requester = models.CharField(_("要求出具的单位"), max_length=100, blank=True)
    article = models.CharField(_("依据条款"), max_length=500, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    promised_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=rules.SUBMITTED)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "state", "created_at"], name="certificate_app_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(matter__isnull=False) | Q(state=rules.REFUSED), name="certificate_unlisted_refused"
            ),
        ]
        verbose_name = verbose_name_plural = _("证明申请")

    def __str__(self):
        return self.asked


class Evidence(models.Model):
    """A file the applicant gave: ID, household register or other evidence (checked by core.uploads)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("材料类型"), max_length=10)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to="certificates/%Y/%m/")

    class Meta:
        ordering = ["application", "id"]
        verbose_name = verbose_name_plural = _("证明申请材料")


class Certificate(models.Model):
    """An issued certificate: what it certified (kept as issued), its serial and verification code."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    community = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(_("证明编号"), max_length=40, unique=True)
    code = models.CharField(_("验证码"), max_length=20, unique=True)
    title = models.CharField(_("证明事项"), max_length=60)
    statement = models.CharField(_("证明内容"), max_length=500)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = verbose_name_plural = _("居委会证明")

    def __str__(self):
        return self.serial


class VerifyFailure(models.Model):
    """A wrong code given to the public check, by the keyed hash of the address: the hour's count behind 429."""

    ip_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ip_hash", "at"], name="certificate_verify_fail")]
