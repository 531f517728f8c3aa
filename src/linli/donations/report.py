"""The closing report as an Excel workbook (结项报告): the drive, its totals and the ledger with the running balance.
Staff only: donors by name as recorded (anonymous ones as 爱心人士), beneficiaries by name."""

from io import BytesIO

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
        return [row.seq, row.received_on, f"收入 {row.code}", who, what, entry.amount, None]
    what = f"{row.purpose}{('（' + row.goods + '）') if row.goods else ''}"
    return [row.seq, row.decided_at.date(), "支出", row.to or "", what, None, entry.amount]


def workbook(drive: Drive) -> bytes:
    data = selectors.report(drive)
    book = Workbook()
    sheet = book.active
    sheet.title = "结项报告"
    bold = Font(bold=True)
    sheet.append(row_out([f"{drive.title} 结项报告"]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("发起单位", drive.region.name), ("募集目的", drive.purpose), ("目标金额（元）", drive.target),
        ("活动期间", f"{drive.starts_on:%Y-%m-%d} 至 {drive.ends_on:%Y-%m-%d}"), ("状态", rules.STATES[drive.state]),
        ("收到资金（元）", drive.received_money), ("收到物资折价（元）", drive.received_goods),
        ("支出资金（元）", drive.disbursed_money), ("发放物资折价（元）", drive.disbursed_goods),
        ("资金余额（元）", drive.balance.money), ("物资余额折价（元）", drive.balance.goods),
        ("完成目标", f"{data['reached']}%"), ("捐赠笔数", data["receipts"]), ("支出笔数", data["disbursements"]),
        ("账目核对", "收入 − 支出 = 余额，逐笔相符" if data["reconciles"] else "不相符，请核查"),
        ("结项说明", drive.summary),
    ):  # fmt: skip
        sheet.append(row_out([label, value]))
    sheet.append([])
    sheet.append(row_out(["序号", "日期", "类别", "捐赠人/受助对象", "摘要", "收入（元）", "支出（元）",
                          "资金余额（元）", "物资余额（元）", "余额合计（元）"]))  # fmt: skip
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
