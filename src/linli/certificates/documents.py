"""A certificate as printed (the A4 print view) and as .docx: the same text, with the place of the seal marked."""

from io import BytesIO

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from linli.core.pii import mask_id_number

from . import rules

SEAL = gettext_lazy("（社区居民委员会印章）")


def certificate_text(cert) -> dict:
    """What a certificate says: the person (ID number masked), what is certified, who asked it and on what basis."""
    app = cert.application
    person = app.person
    issued = localtime(cert.issued_at)
    body = (
        _("兹证明 %(name)s（身份证号码：%(mask_id_number)s）系%(name2)s居民。%(statement)s。")
        % {
            "name": person.name,
            "mask_id_number": mask_id_number(person.id_number),
            "name2": cert.community.name,
            "statement": cert.statement,
        }
    ).replace("。。", "。")
    basis = (
        _("本证明应%(requester)s要求，依据%(article)s出具，仅用于%(purpose)s。")
        % {"requester": app.requester, "article": app.article, "purpose": app.purpose}
        if app.requester
        else ""
    )
    return {
        "title": cert.title,
        "body": body,
        "basis": basis,
        "note": _("特此证明。"),
        "issuer": _("%(name)s居民委员会") % {"name": cert.community.name},
        "date": f"{issued:%Y年%m月%d日}",
        "serial": cert.serial,
        "code": rules.shown_code(cert.code),
        "seal": SEAL,
    }


def _font(style_or_run, name: str) -> None:
    """Latin and East Asian text alike in `name` (python-docx sets only the Latin font by itself)."""
    style_or_run.font.name = name
    style_or_run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run(paragraph, text: str, size: float, *, bold: bool = False, font: str | None = None, grey: bool = False):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    if grey:
        run.font.color.rgb = RGBColor(0x99, 0x99, 0x99)
    if font:
        _font(run, font)
    return run


def certificate_docx(cert, verify_url: str) -> bytes:
    """A4, the seal's place marked to the right above the issuer's name and date (where the seal overlaps them)."""
    text = certificate_text(cert)
    doc = Document()
    _font(doc.styles["Normal"], "仿宋")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(3.7)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    if cert.revoked_at:
        void = doc.add_paragraph()
        void.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(void, _("已作废"), 20, bold=True)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, text["title"], 22, bold=True, font="黑体")
    serial = doc.add_paragraph()
    serial.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(serial, _("编号：%(text)s") % {"text": text["serial"]}, 12)
    for part in (text["body"], text["basis"], text["note"]):
        if part:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _run(p, part, 16)
    seal = doc.add_paragraph()
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal.paragraph_format.space_before = Pt(36)
    _run(seal, _("┌ 盖章处 ┐ %(text)s") % {"text": text["seal"]}, 12, grey=True)
    for line in (text["issuer"], text["date"]):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, line, 16)
    check = doc.add_paragraph()
    check.paragraph_format.space_before = Pt(36)
    _run(
        check,
        _("验证码：%(code)s") % {"code": text["code"]} + "\u3000" + _("查验网址：%(url)s") % {"url": verify_url},
        11,
    )
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
