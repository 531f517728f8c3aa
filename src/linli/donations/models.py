from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.pii import mask_name

from . import rules

MONEY = {"max_digits": 14, "decimal_places": 2}


class Drive(models.Model):
    """公益捐助活动: a drive of a community, street or the district for a purpose, with a target. It keeps the ledger's
    totals per fund, changed only under its row lock, and the database refuses a disbursed total above the received
    one: the balance never goes below zero, whatever path writes."""

    class State(models.TextChoices):
        OPEN = rules.OPEN, rules.STATES[rules.OPEN]
        CLOSED = rules.CLOSED, rules.STATES[rules.CLOSED]

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起单位"))
    title = models.CharField(_("活动名称"), max_length=rules.TITLE_MAX)
    purpose = models.TextField(_("募集目的"))
    target = models.DecimalField(_("目标金额(元)"), **MONEY)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    received_money = models.DecimalField(_("收到资金(元)"), default=0, **MONEY)
    received_goods = models.DecimalField(_("收到物资折价(元)"), default=0, **MONEY)
    disbursed_money = models.DecimalField(_("支出资金(元)"), default=0, **MONEY)
    disbursed_goods = models.DecimalField(_("发放物资折价(元)"), default=0, **MONEY)
    # Ledger entries so far: each receipt and each approved disbursement takes the next number under the row lock,
    # so the ledger's order is the order in which they took effect, whatever the clocks say.
    entries = models.PositiveIntegerField(default=0)
    summary = models.TextField(_("结项说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    closed_at = models.DateTimeField(_("结项时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("公益捐助活动")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["region", "state"], name="drive_region_state")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="drive_ends_after_start"),
            models.CheckConstraint(condition=Q(target__gt=0), name="drive_target_positive"),
            models.CheckConstraint(
                condition=Q(disbursed_money__gte=0, disbursed_goods__gte=0), name="drive_disbursed_not_negative"
            ),  # fmt: skip
            models.CheckConstraint(condition=Q(disbursed_money__lte=F("received_money")), name="drive_money_covered"),
            models.CheckConstraint(condition=Q(disbursed_goods__lte=F("received_goods")), name="drive_goods_covered"),
            models.CheckConstraint(condition=Q(state=rules.OPEN) | Q(closed_at__isnull=False), name="drive_closed"),
        ]

    def __str__(self):
        return self.title

    @property
    def balance(self) -> rules.Balance:
        return rules.Balance(self.received_money, self.received_goods, self.disbursed_money, self.disbursed_goods)

    @property
    def reached(self) -> int:
        return rules.percent(self.received_money + self.received_goods, self.target)


class Beneficiary(models.Model):
    """受助对象: recorded only with their consent (or their guardian's); the public sees the name masked."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="beneficiaries")
    name = models.CharField(_("姓名"), max_length=rules.NAME_MAX)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("人口档案"))  # fmt: skip
    need = models.TextField(_("困难情况"))
    consent_on = models.DateField(_("同意公开受助情况的日期"))
    consent_note = models.CharField(_("同意方式"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("受助对象")
        ordering = ["drive", "id"]

    def __str__(self):
        return self.name

    @property
    def masked(self) -> str:
        return mask_name(self.name)


class Pledge(models.Model):
    """认捐: a promise; it enters the ledger only when a receipt records what came in."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="pledges")
    donor_name = models.CharField(_("捐赠人"), max_length=rules.NAME_MAX)
    donor_kind = models.CharField(_("捐赠人类型"), max_length=20, choices=list(rules.DONOR_KINDS.items()))
    anonymous = models.BooleanField(_("匿名"), default=False)
    fund = models.CharField(_("认捐类型"), max_length=10, choices=list(rules.FUNDS.items()))
    amount = models.DecimalField(_("认捐金额或物资折价(元)"), **MONEY)
    goods = models.CharField(_("物资"), max_length=200, blank=True)
    pledged_on = models.DateField(_("认捐日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("认捐")
        ordering = ["drive", "-pledged_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive")]

    @property
    def shown(self) -> str:
        return rules.donor_shown(self.donor_name, self.donor_kind, self.anonymous)


class Receipt(models.Model):
    """收到的捐赠: cash, a bank transfer, or goods valued in yuan. Numbered per drive; the ledger counts it from the
    moment it is recorded (`recorded_at`)."""

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField(_("收据序号"))
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="receipts",
                               verbose_name=_("对应认捐"))  # fmt: skip
    donor_name = models.CharField(_("捐赠人"), max_length=rules.NAME_MAX)
    donor_kind = models.CharField(_("捐赠人类型"), max_length=20, choices=list(rules.DONOR_KINDS.items()))
    anonymous = models.BooleanField(_("匿名"), default=False)
    method = models.CharField(_("方式"), max_length=10, choices=list(rules.METHODS.items()))
    amount = models.DecimalField(_("金额或物资折价(元)"), **MONEY)
    goods = models.CharField(_("物资名称及数量"), max_length=200, blank=True)
    valuation = models.CharField(_("折价依据"), max_length=200, blank=True)
    reference = models.CharField(_("转账流水号或收据号"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("入账时间"))
    seq = models.PositiveIntegerField(_("账目序号"))

    class Meta:
        verbose_name = verbose_name_plural = _("捐赠收入")
        ordering = ["drive", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["drive", "number"], name="receipt_number_unique"),
            models.UniqueConstraint(fields=["drive", "seq"], name="receipt_seq_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method=rules.GOODS) | (~Q(goods="") & ~Q(valuation="")), name="receipt_goods_valued"
            ),  # fmt: skip
        ]

    @property
    def fund(self) -> str:
        return rules.FUND_OF[self.method]

    @property
    def code(self) -> str:
        return f"{self.drive_id}-{self.number:04d}"

    @property
    def shown(self) -> str:
        return rules.donor_shown(self.donor_name, self.donor_kind, self.anonymous)


class Disbursement(models.Model):
    """支出: money paid or goods handed out, asked with evidence and approved or refused by an office at or above the
    drive's — never by the one who asked. Approved, it enters the ledger at `decided_at`."""

    class Decision(models.TextChoices):
        ASKED = rules.ASKED, rules.DECISIONS[rules.ASKED]
        APPROVED = rules.APPROVED, rules.DECISIONS[rules.APPROVED]
        REFUSED = rules.REFUSED, rules.DECISIONS[rules.REFUSED]

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="disbursements")
    beneficiary = models.ForeignKey(Beneficiary, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="disbursements", verbose_name=_("受助对象"))  # fmt: skip
    fund = models.CharField(_("支出类型"), max_length=10, choices=list(rules.FUNDS.items()))
    amount = models.DecimalField(_("金额或物资折价(元)"), **MONEY)
    goods = models.CharField(_("物资名称及数量"), max_length=200, blank=True)
    purpose = models.TextField(_("用途"))
    evidence = models.FileField(_("支出凭证"), upload_to="donations/%Y/%m/")
    evidence_name = models.CharField(max_length=200, blank=True)
    state = models.CharField(_("审批"), max_length=10, choices=Decision.choices, default=Decision.ASKED)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=200, blank=True)
    seq = models.PositiveIntegerField(_("账目序号"), null=True, blank=True)  # set when approved
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("捐助支出")
        ordering = ["drive", "asked_at", "id"]
        indexes = [models.Index(fields=["drive", "state"], name="disbursement_drive_state")]
        constraints = [
            models.UniqueConstraint(fields=["drive", "seq"], name="disbursement_seq_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=Q(state=rules.APPROVED, seq__isnull=False) | (~Q(state=rules.APPROVED) & Q(seq__isnull=True)),
                name="disbursement_in_ledger_when_approved",
            ),
            models.CheckConstraint(condition=~Q(fund=rules.GOODS) | ~Q(goods=""), name="disbursement_goods_named"),
            models.CheckConstraint(
                condition=Q(state=rules.ASKED) | Q(decided_at__isnull=False), name="disbursement_decided"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("asked_by")), name="disbursement_not_by_asker"
            ),  # fmt: skip
        ]

    @property
    def to(self) -> str:
        return self.beneficiary.name if self.beneficiary_id else ""
