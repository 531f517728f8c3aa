from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """A reminder to the users who can act on it (its audience), shown on their pages until the condition that
    raised it is resolved. One row per condition (`key`), so raising it again changes nothing."""

    class Audience(models.TextChoices):
        CALENDAR = "calendar", _("工作日历维护人员")

    key = models.CharField(_("标识"), max_length=50, unique=True)
    audience = models.CharField(_("提醒对象"), max_length=20, choices=Audience.choices)
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("处理入口"), max_length=200, blank=True)
    raised_at = models.DateTimeField(_("提醒时间"))
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = verbose_name_plural = _("系统提醒")

    def __str__(self):
        return self.message


class JobRun(models.Model):
    """A periodic job's lease and its last run. The node holding the lease runs the job; another node's scheduler
    firing meanwhile skips it. A lease outlives a node that died mid-run only until `lease_until`."""

    name = models.CharField(_("任务"), max_length=50, unique=True)
    holder = models.CharField(_("执行节点"), max_length=100, blank=True)
    lease_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    started_at = models.DateTimeField(_("最近开始"), null=True, blank=True)
    finished_at = models.DateTimeField(_("最近结束"), null=True, blank=True)
    outcome = models.CharField(_("最近结果"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = _("定时任务")

    def __str__(self):
        return self.name
