"""Assessment forms: choices come from the selectors, so a form offers only what the user's scope holds."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form, checked_text
from linli.core.text import Kind

from . import rules, selectors


class RoundForm(DomainErrorsMixin, Form):
    name_fields = ("name",)
    scheme_id = forms.TypedChoiceField(label=gettext_lazy("指标体系"), coerce=int)
    name = forms.CharField(label=gettext_lazy("轮次名称"), max_length=100)
    period = forms.CharField(
        label=gettext_lazy("测评期间"), max_length=40, help_text=gettext_lazy("如：2025年度、2026年第三季度")
    )
    unit_ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("被测评单位"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("本辖区内的社区或街道"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme_id"].choices = [(s.pk, s.name) for s in selectors.scheme_queryset(user=user)]
        self.fields["unit_ids"].choices = [
            (r.pk, ("\u3000" if r.level == rules.COMMUNITY_LEVEL else "") + r.name)
            for r in selectors.unit_regions(user=user)
        ]
        self.fields["unit_ids"].error_messages["required"] = _("请选择被测评的社区或街道")


# ---------------------------------------------------------------- the scoring page's form

FINDING_LINE = re.compile(r"^\s*(\d+(?:\.\d+)?)(?:\s*分)?[\s,，、:：]+(.*)$")


def _findings(text: str) -> list[dict]:
    """One finding a line: "2 楼道堆物" (points, then the reason); a line without points is one point ("发现一处扣1分");
    a line with points only has no reason, which the rules refuse."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = FINDING_LINE.match(line)
        if m:
            out.append({"points": m.group(1), "reason": m.group(2).strip()})
        elif re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", line):
            out.append({"points": line.strip(), "reason": ""})
        else:
            out.append({"points": "1", "reason": line.strip()})
    return out


def sheet_entries(post, items) -> list[dict]:
    """The entries the form holds: an item left blank (no points, no choice) is not part of the save."""
    entries = []
    for item in items:
        field = f"items.{item.pk}"
        note = checked_text(post.get(f"note_{item.pk}", ""), Kind.LINE, field)
        if item.method == rules.SCALE:
            raw = post.get(f"points_{item.pk}", "").strip()
            if raw == "":
                continue
            entries.append({"item_id": item.pk, "points": raw, "note": note})
        elif item.method == rules.PASSFAIL:
            raw = post.get(f"passed_{item.pk}")
            if raw not in ("1", "0"):
                continue
            entries.append({"item_id": item.pk, "passed": raw == "1", "note": note})
        else:
            entries.append(
                {
                    "item_id": item.pk,
                    "findings": _findings(checked_text(post.get(f"findings_{item.pk}", ""), Kind.TEXT, field)),
                    "note": note,
                }
            )
    return entries
