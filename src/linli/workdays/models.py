from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """法定节假日与调休: a day whose status overrides the chinese-calendar library (and covers years it lacks)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = _("节假日调整")

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"
