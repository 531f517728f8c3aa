"""A bulletin as a 公文 (.docx, GB/T 9704, the campaign documents' layout) and as a workbook (.xlsx): the same units,
order and figures as its page and its API answer."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from linli.campaigns.documents import rules as numbering
from linli.campaigns.documents.official import OfficialDocument
from linli.core.spreadsheets import row_out

from . import rules
from .models import Bulletin

COUNT_LABELS = {"cases": gettext_lazy("案件数"), "closed": gettext_lazy("结案数"), "deferred": gettext_lazy("缓办数")}


def title(b: Bulletin) -> str:
    return _("关于%(year)s年%(month)s月%(name)s%(get_group_display)s案件办理考核情况的通报") % {
        "year": b.month.year,
        "month": b.month.month,
        "name": b.region.name,
        "get_group_display": b.get_group_display(),
    }


def annex_name(b: Bulletin) -> str:
    return _("%(year)s年%(month)s月%(get_group_display)s考核得分及排名") % {
        "year": b.month.year,
        "month": b.month.month,
        "get_group_display": b.get_group_display(),
    }


def shown(value) -> str:
    """A stored figure as the bulletin prints it: rates to one decimal, scores to two; — where there is none."""
    return "—" if value is None else format(Decimal(value), "f")


def rate_columns() -> dict[str, str]:
    return {k: f"{label}（%）" for k, label in rules.RATES.items()}


def table_columns() -> list[str]:
    return [_("名次"), _("单位"), *COUNT_LABELS.values(), *rate_columns().values(), _("指标得分"), _("扣分"), _("得分")]


def table_row(entry) -> list[str]:
    return [
        str(entry.rank or "—"),
        entry.name,
        *(str(entry.counts.get(k, 0)) for k in COUNT_LABELS),
        *(shown(entry.rates.get(k)) for k in rules.RATES),
        shown(entry.base),
        shown(entry.deducted),
        shown(entry.score),
    ]


def scheme_lines(scheme: dict) -> list[str]:
    weights = "、".join(f"{label}{scheme['weights'][k]}" for k, label in rules.RATES.items() if k in scheme["weights"])
    caps = scheme.get("caps", {})  # bulletins issued before caps existed stored none
    points = "、".join(
        _("%(label)s每件扣%(scheme)s分") % {"label": e.label, "scheme": scheme["deductions"][k]}
        + (_("（每月最多扣%(caps)s分）") % {"caps": caps[k]} if k in caps else "")
        for k, e in rules.EVENTS.items()
        if k in scheme["deductions"]
    )
    lines = [
        _("指标得分为各项指标的加权平均（权重：%(weights)s），返工率、退单率按 100 减该指标计。") % {"weights": weights}
    ]
    if points:
        lines.append(_("扣分：%(points)s。") % {"points": points})
    lines.append(
        _("得分为指标得分减去扣分，最低%(shown)s分；当月没有可计算指标的单位不计分、不排名。")
        % {"shown": rules.shown(Decimal(scheme["floor"]))}
    )
    return lines


class _BulletinDocument(OfficialDocument):
    # 版心 225 mm across the landscape annex: the name and the rates share what the fixed columns leave.
    FIXED_MM = {"名次": 10, "单位": 34}

    def __init__(self, bulletin: Bulletin, entries: list):
        super().__init__(
            issuer=bulletin.issuer,
            number=bulletin.number,
            title=title(bulletin),
            issued_on=bulletin.issued_at.date(),
            recipients=_("各%(get_group_display)s") % {"get_group_display": bulletin.get_group_display()},
        )
        self.bulletin, self.entries = bulletin, entries
        if entries:
            self.annex_name = annex_name(bulletin)

    def body(self) -> None:
        b, entries = self.bulletin, self.entries
        month = _("%(year)s年%(month)s月") % {"year": b.month.year, "month": b.month.month}
        total = sum(e.counts.get("cases", 0) for e in entries)
        self.para(
            _("现将%(month)s%(name)s各%(get_group_display)s案件办理考核情况通报如下。")
            % {"month": month, "name": b.region.name, "get_group_display": b.get_group_display()}
        )
        self.heading(1, 1, _("总体情况"))
        ranked = [e for e in entries if e.rank is not None]
        self.para(
            _("%(month)s共受理案件%(total)s件，参加考核单位%(len)s个，其中计分排名%(len2)s个。")
            % {"month": month, "total": total, "len": len(entries), "len2": len(ranked)}
        )
        if ranked:
            best = "、".join(e.name for e in ranked if e.rank == 1)
            lowest = ranked[-1]
            self.para(
                _("得分最高的是%(best)s（%(shown)s分），最低的是%(name)s（%(shown2)s分）。")
                % {"best": best, "shown": shown(ranked[0].score), "name": lowest.name, "shown2": shown(lowest.score)}
            )
        self.heading(1, 2, _("扣分情况"))
        deducted = [e for e in entries if e.deductions]
        if not deducted:
            self.para(_("本月各单位无扣分事项。"))
        for n, e in enumerate(deducted, start=1):
            reasons = "；".join(d["reason"] for d in e.deductions)
            self.para(
                _("%(marker)s%(name)s：%(reasons)s，共扣%(shown)s分。")
                % {
                    "marker": numbering.marker(numbering.ARABIC, n),
                    "name": e.name,
                    "reasons": reasons,
                    "shown": shown(e.deducted),
                }
            )
        self.heading(1, 3, _("计分办法"))
        for line in scheme_lines(b.scheme):
            self.para(line)
        self.heading(1, 4, _("工作要求"))
        self.para(_("各单位要对照扣分事项逐件查找原因，按期签收、按期办结，减少返工和退单，切实提高群众满意度。"))

    def annex(self) -> None:
        columns = table_columns()
        rest = (225 - sum(self.FIXED_MM.values())) / (len(columns) - len(self.FIXED_MM))
        widths = [self.FIXED_MM.get(c, rest) for c in columns]
        rows = [(table_row(e), (0, 1) if e.rank == 1 else ()) for e in self.entries]
        self.table(columns, rows, widths, center=[i for i, c in enumerate(columns) if c != "单位"])


def bulletin_docx(bulletin: Bulletin, entries: list) -> bytes:
    return _BulletinDocument(bulletin, entries).build()


def bulletin_xlsx(bulletin: Bulletin, entries: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("考核得分及排名")
    columns = [str(c) for c in table_columns()]
    ws.append(row_out(columns))
    points = (_("指标得分"), _("扣分"), _("得分"))
    decimals = [i + 1 for i, c in enumerate(columns) if c.endswith("（%）") or c in points]
    for e in entries:
        values = [
            e.rank, e.name, *(e.counts.get(k, 0) for k in COUNT_LABELS),
            *(_number(e.rates.get(k)) for k in rules.RATES), _number(e.base), _number(e.deducted), _number(e.score),
        ]  # fmt: skip
        ws.append(row_out(values))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for column in decimals:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "0.0" if columns[column - 1].endswith("（%）") else "0.00"
    ws.freeze_panes = "C2"
    ws.column_dimensions["B"].width = 24
    for i in range(3, len(columns) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11

    details = wb.create_sheet(_("扣分明细"))
    details.append([_("单位"), _("扣分事项"), _("件数"), _("每件扣分"), _("扣分"), _("原因")])
    for e in entries:
        for d in e.deductions:
            label = rules.EVENTS[d["event"]].label if d["event"] in rules.EVENTS else d["event"]
            details.append(row_out([e.name, label, d["count"], _number(d["each"]), _number(d["points"]), d["reason"]]))
    details.column_dimensions["A"].width = 24
    details.column_dimensions["F"].width = 48

    notes = wb.create_sheet(_("说明"))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    month = _("%(year)s年%(month)s月") % {"year": bulletin.month.year, "month": bulletin.month.month}
    for line in [
        (_("通报"), title(bulletin)),
        (
            _("统计期间"),
            _("%(month)s受理的案件（不含不予受理和已合并的案件），与考核指标页该月的数字相同") % {"month": month},
        ),
        *((_("计分办法"), line) for line in scheme_lines(bulletin.scheme)),
        (_("指标定义"), _("与考核指标页及其导出的说明相同；—表示该项没有可计算的基数")),
    ]:
        notes.append(line)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _number(value) -> float | None:
    return None if value is None else float(Decimal(value))
