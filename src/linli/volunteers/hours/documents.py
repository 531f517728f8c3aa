"""Files of hours: a certificate as .docx (the same text as its print view), and the export of confirmed hours.

The export sheet ("志愿服务时长"): the 全国志愿服务信息系统 (chinavolunteer.mca.gov.cn) imports hours through a
template that is only handed out inside the system to registered organisations; no public specification of its
columns exists that we could check. So the sheet is our own, documented in docs/volunteers.md, one row per volunteer
and activity with the fields that template asks for under plain names (volunteer, activity, date, hours), from which
an operator fills the system's template. ID numbers are masked: the sheet leaves the building.
"""

from io import BytesIO

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook

from linli.core.pii import mask_id_number
from linli.core.spreadsheets import cell_out, row_out

from . import rules

HOURS_SHEET = gettext_lazy("志愿服务时长")
HOURS_COLUMNS = (
    gettext_lazy("志愿者编号"),
    gettext_lazy("姓名"),
    gettext_lazy("证件号码（脱敏）"),
    gettext_lazy("所属社区"),
    gettext_lazy("活动名称"),
    gettext_lazy("组织单位"),
    gettext_lazy("服务日期"),
    gettext_lazy("服务时长（小时）"),
    gettext_lazy("确认时间"),
)


def certificate_text(cert) -> dict:
    """What a certificate says, for the print view and the .docx alike."""
    volunteer = cert.volunteer
    issued = cert.issued_at
    return {
        "title": _("志愿服务时长证明"),
        "body": (
            _(
                "兹证明 %(name)s（志愿者编号：%(number)s）系%(name2)s注册志愿者，截至%(issued)s，经活动组织"
                "者确认的志愿服务时长累计 %(hours)s 小时，星级"
                "为%(stars)s星（%(value)s）。"
            )
            % {
                "name": volunteer.person.name,
                "number": volunteer.number,
                "name2": volunteer.region.name,
                "issued": format(issued, "%Y年%m月%d日"),
                "hours": cert.hours,
                "stars": cert.stars,
                "value": "★" * cert.stars or "未达一星",
            }
        ),
        "note": _("特此证明。"),
        "issuer": volunteer.region.name,
        "date": f"{issued:%Y年%m月%d日}",
        "serial": cert.serial,
        "code": rules.shown_code(cert.code),
    }


def _run(paragraph, text: str, size: float, *, bold: bool = False, font: str = "仿宋"):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    return run


def certificate_docx(cert, verify_url: str) -> bytes:
    text = certificate_text(cert)
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, text["title"], 22, bold=True, font="黑体")
    serial = doc.add_paragraph()
    serial.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(serial, _("编号：%(text)s") % {"text": text["serial"]}, 12)
    for part in (text["body"], text["note"]):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _run(p, part, 16)
    for line in (text["issuer"], text["date"]):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, line, 16)
    check = doc.add_paragraph()
    _run(
        check,
        _("验证码：%(code)s") % {"code": text["code"]} + "\u3000" + _("查验网址：%(url)s") % {"url": verify_url},
        11,
    )
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def hours_xlsx(rows) -> bytes:
    """The confirmed hours, streamed row by row (a district's year is tens of thousands of rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(HOURS_SHEET))
    ws.append(row_out(HOURS_COLUMNS))
    for credit in rows.iterator(chunk_size=2000):
        v, a = credit.volunteer, credit.activity
        ws.append([
            cell_out(v.number), cell_out(v.person.name), mask_id_number(v.person.id_number), cell_out(v.region.name),
            cell_out(a.title), cell_out(a.region.name), localtime(a.starts_at).date(), float(credit.hours),
            localtime(credit.confirmed_at).replace(tzinfo=None),
        ])  # fmt: skip
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
