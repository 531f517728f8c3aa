from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class Audience(models.TextChoices):
    """Whom a notice, or anything addressed as one (a consultation's proposal), is for."""

    COMMUNITY = rules.COMMUNITY, rules.AUDIENCE_LABELS[rules.COMMUNITY]
    GRID = rules.GRID, rules.AUDIENCE_LABELS[rules.GRID]
    ESTATE = rules.ESTATE, rules.AUDIENCE_LABELS[rules.ESTATE]
    BUILDING = rules.BUILDING, rules.AUDIENCE_LABELS[rules.BUILDING]


def names_its_target(name: str) -> models.CheckConstraint:
    """An estate audience names an estate, a building audience a building, a community or grid neither (its region)."""
    return models.CheckConstraint(
        condition=Q(audience=rules.ESTATE, estate__isnull=False, building__isnull=True)
        | Q(audience=rules.BUILDING, estate__isnull=True, building__isnull=False)
        | Q(audience__in=[rules.COMMUNITY, rules.GRID], estate__isnull=True, building__isnull=True),
        name=name,
    )


class Notice(models.Model):
    """社区公告: a notice from a community office (or a street or the district for one of their communities) to the
    residents of a community, a grid, an estate or a building."""

    Audience = Audience

    class Status(models.TextChoices):
        DRAFT = rules.DRAFT, rules.STATUS_LABELS[rules.DRAFT]
        PUBLISHED = rules.PUBLISHED, rules.STATUS_LABELS[rules.PUBLISHED]
        WITHDRAWN = rules.WITHDRAWN, rules.STATUS_LABELS[rules.WITHDRAWN]

    title = models.CharField(_("标题"), max_length=rules.TITLE_MAX)
    body = models.TextField(_("正文"))
    audience = models.CharField(_("发布范围"), max_length=10, choices=Audience.choices)
    # The region the notice belongs to, for the staff's scope: the community or grid it is addressed to, an estate's
    # community, a building's grid.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区域"))
    estate = models.ForeignKey(
        "people.Estate", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    building = models.ForeignKey(
        "people.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("楼栋")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notify = models.BooleanField(_("发布时发送站内消息"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("拟稿人")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("发布人"),
    )  # fmt: skip
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("社区公告")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["region", "status", "published_at"], name="notice_region_status")]
        constraints = [
            names_its_target("notice_audience_names_its_target"),
            models.CheckConstraint(
                condition=Q(status=rules.DRAFT) | Q(published_at__isnull=False), name="notice_published_has_time"
            ),
        ]

    def __str__(self):
        return self.title


class NoticeRead(models.Model):
    """A resident's read mark on a notice: the staff's read counts."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    resident = models.ForeignKey("residents.Resident", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("阅读时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("公告阅读记录")
        constraints = [models.UniqueConstraint(fields=["notice", "resident"], name="notices_read_once_per_resident")]
