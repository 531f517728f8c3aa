"""The closing report as an Excel workbook (结项报告): the drive, its totals and the ledger with the running balance.
Staff only: donors by name as recorded (anonymous ones as 爱心人士), beneficiaries by name."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.spreadsheets import row_out

from . import rules, selectors
from .models import Drive


def _line(line: rules.Line) -> list:
    row, entry = line.entry.ref, line.entry
    if line.receipt:
        who = rules.ANONYMOUS if row.anonymous else row.donor_name
        what = f"{rules.METHODS[row.method]}{('：' + row.goods) if row.goods else ''}"
        return [row.seq, row.received_on, _("收入 %(code)s") % {"code": row.code}, who, what, entry.amount, None]
    what = f"{row.purpose}{('（' + row.goods + '）') if row.goods else ''}"
    return [row.seq, row.decided_at.date(), _("支出"), row.to or "", what, None, entry.amount]


def workbook(drive: Drive) -> bytes:
    data = selectors.report(drive)
    book = Workbook()
    sheet = book.active
    sheet.title = _("结项报告")
    bold = Font(bold=True)
    sheet.append(row_out([_("%(title)s 结项报告") % {"title": drive.title}]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in (
        (_("发起单位"), drive.region.name), (_("募集目的"), drive.purpose), (_("目标金额（元）"), drive.target),
        (_("活动期间"), _("%(starts_on)s 至 %(ends_on)s") % {"starts_on": f"{drive.starts_on:%Y-%m-%d}",
                                                             "ends_on": f"{drive.ends_on:%Y-%m-%d}"}),
        (_("状态"), rules.STATES[drive.state]),
        (_("收到资金（元）"), drive.received_money), (_("收到物资折价（元）"), drive.received_goods),
        (_("支出资金（元）"), drive.disbursed_money), (_("发放物资折价（元）"), drive.disbursed_goods),
        (_("资金余额（元）"), drive.balance.money), (_("物资余额折价（元）"), drive.balance.goods),
        (_("完成目标"), f"{data['reached']}%"), (_("捐赠笔数"), data["receipts"]),
        (_("支出笔数"), data["disbursements"]),
        (_("账目核对"), _("收入 − 支出 = 余额，逐笔相符") if data["reconciles"] else _("不相符，请核查")),
        (_("结项说明"), drive.summary),
    ):  # fmt: skip
        sheet.append(row_out([label, value]))
    sheet.append([])
    sheet.append(
        row_out(
            [
                _("序号"),
                _("日期"),
                _("类别"),
                _("捐赠人/受助对象"),
                _("摘要"),
                _("收入（元）"),
                _("支出（元）"),
                _("资金余额（元）"),
                _("物资余额（元）"),
                _("余额合计（元）"),
            ]
        )
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for line in data["ledger"].lines:
        b = line.balance
        sheet.append(row_out([*_line(line), b.money, b.goods, b.total]))
    for column, width in zip("ABCDEFGHIJ", (8, 12, 14, 20, 36, 14, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
