from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.pii import EncryptedCharField

from . import rules


class Region(models.Model):
    """区域: 区县 → 街道/乡镇 → 社区/村 → 网格 (grids may nest: 大/中/小/微网格)."""

    class Level(models.IntegerChoices):
        PROVINCE = rules.PROVINCE, _("省")
        CITY = rules.CITY, _("市")
        DISTRICT = rules.DISTRICT, _("区县")
        STREET = rules.STREET, _("街道/乡镇")
        COMMUNITY = rules.COMMUNITY, _("社区/村")
        GRID = rules.GRID, _("网格")

    class GridKind(models.TextChoices):
        LARGE = "large", _("大网格")
        MEDIUM = "medium", _("中网格")
        SMALL = "small", _("小网格")
        MICRO = "micro", _("微网格")

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级区域")
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    grid_kind = models.CharField(_("网格类型"), max_length=8, choices=GridKind.choices, blank=True)
    code = models.CharField(_("区划代码"), max_length=24, unique=True)
    # Significant prefix of the code: a subtree is `path__startswith`, one indexed range scan.
    path = models.CharField(max_length=24, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    boundary = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)
    households_planned = models.PositiveIntegerField(_("服务户数"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = _("区域")

    def __str__(self):
        return self.name


class GridStaff(models.Model):
    """网格人员: 网格长、网格员、楼栋长, named for each grid."""

    class Duty(models.TextChoices):
        LEADER = "leader", _("网格长")
        WORKER = "worker", _("网格员")
        BUILDING = "building", _("楼栋长")

    grid = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="staff")
    duty = models.CharField(_("职务"), max_length=10, choices=Duty.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedCharField(_("电话"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grid", "duty", "id"]
        verbose_name = verbose_name_plural = _("网格人员")

    def __str__(self):
        return f"{self.get_duty_display()} {self.name}"
