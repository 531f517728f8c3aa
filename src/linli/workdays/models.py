from django.db import models


class CalendarDay(models.Model):
    """法定节假日与调休: a day whose status overrides the chinese-calendar library (and covers years it lacks)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日调整"

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"
