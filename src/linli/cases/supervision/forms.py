"""The indicator page's filter form: the period (named or from–to), the grouping, the region and the sort."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import Form
from linli.regions import rules as region_rules
from linli.regions.selectors import region_list

from .rules import DEFAULT_SORT, GROUP_LABELS, PERIODS, SORTS, default_period, period_dates

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IndicatorForm(Form):
    period = forms.ChoiceField(label=gettext_lazy("统计期间"), required=False, choices=list(PERIODS.items()))
    start = forms.CharField(
        label=gettext_lazy("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(
        label=gettext_lazy("结束日期（含当日）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    group = forms.ChoiceField(label=gettext_lazy("统计对象"), required=False, choices=list(GROUP_LABELS.items()))
    region = forms.TypedChoiceField(label=gettext_lazy("区域范围"), required=False, coerce=int, empty_value=None)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, user, today: date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        nodes = region_list(user=user).filter(level__in=(region_rules.STREET, region_rules.COMMUNITY))
        self.fields["region"].choices = [("", _("全部管辖范围"))] + [
            (str(n.pk), ("\u3000" if n.level == region_rules.COMMUNITY else "") + n.name) for n in nodes
        ]
        invalid = _("请选择有效的{}")
        for name in ("period", "group", "region"):
            self.fields[name].error_messages["invalid_choice"] = invalid.format(self.fields[name].label)

    def clean_sort(self):
        # A column to sort by comes from a link; an unknown one (an old bookmark) falls back to the default.
        return self.cleaned_data["sort"] if self.cleaned_data["sort"] in SORTS else DEFAULT_SORT

    def clean_group(self):
        return self.cleaned_data["group"] or "department"

    def clean(self):
        data = super().clean()
        raw_start, raw_end = (self.data.get(k, "").strip() for k in ("start", "end"))
        period = data.get("period") or ("custom" if raw_start or raw_end else default_period(self.today))
        data["period"] = period
        if period != "custom":
            data["first"], data["last"] = period_dates(period, self.today)
            return data
        first = self._date("start", raw_start)
        last = self._date("end", raw_end)
        if first and last and last < first:
            self.add_error("end", _("结束日期不能早于开始日期"))
        data["first"], data["last"] = first, last
        return data

    def _date(self, name: str, value: str) -> date | None:
        label = _("开始日期") if name == "start" else _("结束日期")
        if not value:
            self.add_error(name, _("自定义期间请填写%(label)s") % {"label": label})
            return None
        if not ISO_DATE.fullmatch(value):
            self.add_error(name, _("%(label)s格式不正确，应为“年-月-日”，如2026-01-31") % {"label": label})
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.add_error(name, _("%(label)s“%(value)s”不存在，请重新选择") % {"label": label, "value": value})
            return None
        if not EARLIEST <= day <= LATEST:
            self.add_error(name, _("%(label)s须在2000年至2099年之间") % {"label": label})
            return None
        return day

    def shown_dates(self) -> dict:
        """What the date inputs show: the chosen period's days, so a named period reads as its dates."""
        data = getattr(self, "cleaned_data", {})
        if data.get("first") and data.get("last") and not self.errors:
            return {"start": data["first"].isoformat(), "end": data["last"].isoformat()}
        return {"start": self.data.get("start", ""), "end": self.data.get("end", "")}
