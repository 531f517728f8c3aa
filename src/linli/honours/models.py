"""Honours (挂牌): honour types with their revocation rules, and each application through to grant and 摘牌."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class HonourType(models.Model):
    """无疫小区, 文明社区, 无传销社区, 平安小区…: the level of unit, the validity and the rules that revoke it."""

    Level = models.TextChoices("Level", [(k, (k, v)) for k, v in rules.LEVEL_LABELS.items()])

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    level = models.CharField(_("授牌对象"), max_length=10, choices=Level.choices)
    validity_months = models.PositiveSmallIntegerField(_("有效期(月)"), default=12)
    criteria = models.TextField(_("创建标准"), blank=True)
    active = models.BooleanField(_("接受申报"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = verbose_name_plural = _("荣誉类型")
        constraints = [models.CheckConstraint(condition=Q(validity_months__gte=1), name="honour_type_validity")]

    def __str__(self):
        return self.name


class RevocationRule(models.Model):
    """A 摘牌 rule of a type: its kind (rules.RULE_LABELS) and the case categories it watches."""

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.RULE_LABELS.items() if k != rules.MANUAL])

    honour_type = models.ForeignKey(HonourType, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("规则"), max_length=24, choices=Kind.choices)
    categories = models.ManyToManyField("cases.Category", blank=True, related_name="+", verbose_name=_("事件分类"))

    class Meta:
        ordering = ["honour_type", "kind"]
        verbose_name = verbose_name_plural = _("摘牌规则")
        constraints = [models.UniqueConstraint(fields=["honour_type", "kind"], name="revocation_rule_once")]

    def __str__(self):
        return f"{self.honour_type}：{self.get_kind_display()}"


class Honour(models.Model):
    """One application of a unit (an estate or a community) for an honour type, and what became of it."""

    Status = models.TextChoices("Status", [(k, (k, v)) for k, v in rules.STATUS_LABELS.items()])

    honour_type = models.ForeignKey(HonourType, on_delete=models.PROTECT, related_name="honours")
    estate = models.ForeignKey("people.Estate", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    # The region node the unit lies in (the estate's region, or the community itself): what scopes are read on.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="honours")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=rules.APPLIED)
    version = models.PositiveIntegerField(default=1)

    statement = models.TextField(_("申报说明"))
    evidence = models.FileField(_("佐证材料"), upload_to="honours/%Y/%m/", blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("申报时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    review_note = models.TextField(_("初审意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decision_note = models.TextField(_("认定意见"), blank=True)

    number = models.CharField(_("牌匾编号"), max_length=40, blank=True)
    granted_at = models.DateTimeField(_("授牌时间"), null=True, blank=True)
    granted_on = models.DateField(_("授牌日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    revoked_at = models.DateTimeField(_("摘牌时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_kind = models.CharField(_("摘牌依据"), max_length=24, blank=True)
    revocation_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("摘牌案件")
    )
    revocation_reason = models.TextField(_("摘牌原因"), blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = verbose_name_plural = _("挂牌")
        indexes = [
            models.Index(fields=["status", "valid_until"], name="honour_status"),
            models.Index(fields=["estate", "honour_type"], name="honour_estate"),
            models.Index(fields=["community", "honour_type"], name="honour_community"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estate__isnull=False, community__isnull=True)
                | Q(estate__isnull=True, community__isnull=False),
                name="honour_one_unit",
            ),
            # One open application or live plate per unit and type; refused and revoked ones stay as history.
            models.UniqueConstraint(
                fields=["honour_type", "estate"],
                condition=Q(status__in=[rules.APPLIED, rules.REVIEWED, rules.GRANTED], estate__isnull=False),
                name="honour_estate_once",
            ),
            models.UniqueConstraint(
                fields=["honour_type", "community"],
                condition=Q(status__in=[rules.APPLIED, rules.REVIEWED, rules.GRANTED], community__isnull=False),
                name="honour_community_once",
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="honour_number_unique"),
        ]

    def __str__(self):
        return f"{self.unit_name} {self.honour_type}"

    @property
    def unit_name(self) -> str:
        return self.estate.name if self.estate_id else self.community.name

    @property
    def revocation_label(self) -> str:
        return rules.RULE_LABELS.get(self.revocation_kind, "")
