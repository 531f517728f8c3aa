"""测评体系 as data: an index system (Scheme) as a tree of 一级/二级指标 with scored items, rounds that assess units
through the stages 自评 → 初审 → 复核 → 认定, one score sheet per unit and stage, and evidence files per item.

A sheet keeps its stage's scores apart from the other stages' (one Score row per unit × item × stage); its total and
star count are stored when it is saved, so the round page and the ranking are plain reads.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class Scheme(models.Model):
    """指标体系: visible to its region's subtree and to the levels above (like a plan); may belong to a plan."""

    Rating = models.TextChoices("Rating", [(k, (k, v)) for k, v in rules.RATING_LABELS.items()])

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区域"))
    plan = models.ForeignKey(
        "campaigns.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("工作方案")
    )
    key = models.CharField(_("标准体系代号"), max_length=40, blank=True)  # the standard schemes installed by the seeder
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    rating = models.CharField(_("评定方式"), max_length=10, choices=Rating.choices, default=rules.TOTAL)
    # [[label, lowest total], ...] for total rating, e.g. [["优秀", 90], ["良好", 80], ["合格", 60]].
    grades = models.JSONField(_("等次"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("指标体系")
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], condition=~Q(key=""), name="scheme_standard_once")
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """一级指标 (no parent) or 二级指标 (under a 一级指标)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("指标"), max_length=100)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = verbose_name_plural = _("指标")

    def __str__(self):
        return self.name


class Item(models.Model):
    """测评内容: what is checked, its points (分值) and how it is scored."""

    Method = models.TextChoices("Method", [(k, (k, v)) for k, v in rules.METHOD_LABELS.items()])

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items")
    # The 一级指标 the item rolls up to (its indicator or that one's parent): the star rating sums per aspect.
    aspect = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="aspect_items")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    content = models.TextField(_("测评内容"))
    standard = models.CharField(_("评分标准"), max_length=200, blank=True)  # 发现一处扣1分
    max_points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    method = models.CharField(_("评分方式"), max_length=10, choices=Method.choices)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = verbose_name_plural = _("测评内容")
        constraints = [models.CheckConstraint(condition=Q(max_points__gt=0), name="item_points_positive")]

    def __str__(self):
        return self.content[:40]


class Round(models.Model):
    """测评轮次: a scheme applied to a set of units for a period; 认定 locks it."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    Status = models.TextChoices("Status", [(OPEN, (OPEN, "测评中")), (CONFIRMED, (CONFIRMED, "已认定"))])

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("指标体系"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织区域"))
    name = models.CharField(_("名称"), max_length=100)
    period = models.CharField(_("测评期间"), max_length=40)  # 2025年度, 2026年第三季度
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=OPEN)
    confirmed_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("测评轮次")

    def __str__(self):
        return self.name


class RoundUnit(models.Model):
    """A unit assessed in a round, with the stage it is at."""

    Stage = models.TextChoices("Stage", [(k, (k, v)) for k, v in rules.STAGE_LABELS.items()])

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("被测评单位")
    )
    stage = models.CharField(_("所处阶段"), max_length=10, choices=Stage.choices, default=rules.SELF)

    class Meta:
        ordering = ["round", "region__path"]
        verbose_name = verbose_name_plural = _("被测评单位")
        constraints = [models.UniqueConstraint(fields=["round", "region"], name="round_unit_once")]


class Sheet(models.Model):
    """评分表: one unit's scores in one stage, with the stored total and stars; `version` guards concurrent edits."""

    Stage = models.TextChoices("Stage", [(k, (k, rules.STAGE_LABELS[k])) for k in rules.STAGES])

    unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="sheets")
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, default=0)
    stars = models.PositiveSmallIntegerField(_("星数"), null=True, blank=True)
    scored = models.PositiveSmallIntegerField(_("已评项数"), default=0)
    note = models.TextField(_("评语"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("评分表")
        constraints = [models.UniqueConstraint(fields=["unit", "stage"], name="sheet_once_per_stage")]


class Score(models.Model):
    """One item's score in a sheet, with what led to it: the points, 达标 or not, or the deductions."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    passed = models.BooleanField(_("是否达标"), null=True, blank=True)
    findings = models.JSONField(_("扣分记录"), default=list, blank=True)  # [{"points": "1", "reason": "…"}]
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("得分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="score_once_per_item"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]


class Evidence(models.Model):
    """佐证材料: a file a unit or a reviewer attaches to an item."""

    unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("上传阶段"), max_length=10, choices=Sheet.Stage.choices)
    file = models.FileField(upload_to="assessment/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = verbose_name_plural = _("佐证材料")
