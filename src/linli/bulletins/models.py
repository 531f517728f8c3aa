"""The monthly bulletin (通报) and the scoring scheme (计分办法) of a locality.

A scheme belongs to a region office and applies to the bulletins of its subtree unless a scheme nearer the bulletin's
region replaces it. A bulletin keeps what it was issued with: the scheme as it stood, and per unit the counts, rates,
score, rank and every deduction with its reason, so a bulletin reads the same after later changes to cases or scheme.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases.supervision.rules import GROUP_LABELS


class ScoringScheme(models.Model):
    region = models.OneToOneField(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("适用区域")
    )
    weights = models.JSONField(_("指标权重"))  # {rate: weight}, rates of cases.rules.Indicators
    deductions = models.JSONField(_("扣分标准"))  # {event: points per event}, events of bulletins.rules.EVENTS
    floor = models.DecimalField(_("最低分"), max_digits=5, decimal_places=2, default=0)
    caps = models.JSONField(
        _("扣分上限"), default=dict
    )  # {event: most points a month}, events of bulletins.rules.EVENTS
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("计分办法")


class Bulletin(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("通报范围"))
    month = models.DateField(_("月份"))  # the first day of the month
    group = models.CharField(_("通报对象"), max_length=12, choices=list(GROUP_LABELS.items()))
    issuer = models.CharField(_("发文机关"), max_length=100)
    number = models.CharField(_("发文字号"), max_length=60, blank=True)
    scheme = models.JSONField(_("计分办法"))  # the scheme applied, as it stood when the bulletin was issued
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = verbose_name_plural = _("考核通报")
        constraints = [
            models.UniqueConstraint(fields=["region", "month", "group"], name="bulletin_once_a_month"),
        ]


class Entry(models.Model):
    """One unit of a bulletin, in the bulletin's order (rank, then name)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField()
    unit_id = models.PositiveBigIntegerField(null=True)  # the department's or region's id
    name = models.CharField(_("单位"), max_length=100)
    counts = models.JSONField(_("件数"))  # the fields of cases.rules.Counts
    rates = models.JSONField(_("指标"))  # the fields of cases.rules.Indicators, as text (Decimal) or null
    base = models.DecimalField(_("指标得分"), max_digits=6, decimal_places=2, null=True)
    deducted = models.DecimalField(_("扣分"), max_digits=8, decimal_places=2, default=0)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    deductions = models.JSONField(_("扣分明细"), default=list)  # [{event, count, each, points, reason}]

    class Meta:
        ordering = ["bulletin", "position"]
        verbose_name = verbose_name_plural = _("通报单位")
        constraints = [models.UniqueConstraint(fields=["bulletin", "position"], name="bulletin_entry_position")]
