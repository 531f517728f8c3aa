"""A plan as a Word document in the layout of GB/T 9704-2012 党政机关公文格式, with its task table as an annex.

Page (§5.2): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28 characters; body 3号仿宋_GB2312.
版头 (§7.2): the red 发文机关标志 35 mm below the top of the 版心, the 发文字号 two lines below it and the red
separator 4 mm under the 发文字号. 主体 (§7.3): title in 2号小标宋 two lines below the separator, levels 一、(黑体)
（一）(楷体) 1.（1）(仿宋), 附件说明, 发文机关署名 and 成文日期 (arabic numerals, §7.3.5.4). 页码 (§7.5): 4号宋体
“— 1 —”, odd pages right, even pages left, one character in. The annex (§8.3/§10) starts a new landscape
section with “附件” in 3号黑体 and its title on the third line.

Fonts are named exactly as the standard names them; docs/documents.md says what replaces them where they are
not installed.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from io import BytesIO

from django.utils.translation import gettext
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from linli.core.text import printable

from ..models import Plan
from ..plans import rules as plan_rules
from . import rules
from .selectors import COLUMNS, TaskRow, annex_title, task_rows

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
# English names Word also knows these fonts by (fontTable w:altName), with their GB 2312 charset.
FONT_ALT_NAMES = {
    XIAOBIAOSONG: "FZXiaoBiaoSong-B05S",
    FANGSONG: "FangSong_GB2312",
    HEITI: "SimHei",
    KAITI: "KaiTi_GB2312",
    SONGTI: "SimSun",
}

RED = RGBColor(0xFF, 0x00, 0x00)
SIZE_2 = 22  # 2号, points
SIZE_3 = 16  # 3号
SIZE_4 = 14  # 4号
SIZE_TABLE = 10.5  # 五号: nine columns across a landscape page
LINE_PITCH = 28.95  # 225 mm / 22 lines, points
CHAR = SIZE_3  # one character of body text, for indents
CHAR_SPACING_TWIPS = -5  # -0.25 pt
BODY_LEVEL_FONTS = {1: HEITI, 2: KAITI}  # deeper levels stay 仿宋

# Landscape annex: the portrait margins turned with the page (版心 225 × 156 mm).
ANNEX_COLUMN_MM = (14, 36, 51, 24, 28, 17, 15, 22, 18)


def plan_docx(plan: Plan, *, recipients: str = "") -> bytes:
    """The plan as .docx bytes; `recipients` is the optional 主送机关 line."""
    return _PlanDocument(plan, recipients).build()


def set_run_font(run, font: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    """Name the font for every script: python-docx's font.name leaves w:eastAsia, the one Chinese text uses."""
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def east_asia_font(run) -> str | None:
    rpr = run._element.rPr
    if rpr is None or rpr.rFonts is None:
        return None
    return rpr.rFonts.get(qn("w:eastAsia"))


def _element(tag: str, **attrs) -> etree._Element:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _append(parent, tag: str, **attrs) -> etree._Element:
    element = _element(tag, **attrs)
    parent.append(element)
    return element


# Word rejects properties out of schema order; these are what may follow the ones python-docx has no API for.
PPR_ORDER = (
    "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
    "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _paragraph_property(p: Paragraph, tag: str, **attrs) -> etree._Element:
    ppr = p._p.get_or_add_pPr()
    successors = PPR_ORDER[PPR_ORDER.index(tag) + 1 :]
    return ppr.insert_element_before(_element(tag, **attrs), *successors)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# A paragraph that opens with its own 一、 or （一） reads its first sentence as a heading of that level.
_LEAD_FONTS = {rules.CN: HEITI, rules.CN_PAREN: KAITI}


def lead_sentence(text: str) -> tuple[str | None, str, str]:
    """(font, head, rest) for a typed paragraph “（一）统一思想，提高认识。今年的……”: the marker and its first
    sentence take the level's font; (None, "", text) when it does not open with such a marker."""
    style, _ = rules.split_own_number(text)
    font = _LEAD_FONTS.get(style)
    if font is None:
        return None, "", text
    end = text.find("。")
    if end == -1 or end > 60:  # a whole paragraph without a short first sentence is a heading line
        return (font, text, "") if len(text) <= 40 else (None, "", text)
    return font, text[: end + 1], text[end + 1 :]


class OfficialDocument:
    """A document in the layout of GB/T 9704: the 版头, a body the subclass writes (`body`), the signature and date,
    page numbers, and an annex (`annex_name`, `annex`) on a landscape page after them when there is one."""

    annex_name = ""  # the annex's title; none without one

    def __init__(self, *, issuer: str, number: str, title: str, issued_on: date | None, recipients: str = ""):
        self.issuer, self.number, self.title, self.issued_on = issuer, number, title, issued_on
        self.recipients = recipients.strip()
        self.doc = Document()

    def body(self) -> None:
        raise NotImplementedError

    def annex(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------------------------------ frame

    def build(self) -> bytes:
        self._page_setup()
        self._header()
        self.body()
        self._closing()
        self._page_numbers()
        if self.annex_name:
            self._annex()
        self._font_table()
        out = BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _page_setup(self) -> None:
        doc = self.doc
        normal = doc.styles["Normal"]
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PITCH)
        pf.widow_control = True
        rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FANGSONG)
        normal.font.size = Pt(SIZE_3)
        # 156 mm holds 28 characters of 3号 when each gives up a quarter point (15.75 pt against 16 pt).
        normal_rpr = normal.element.get_or_add_rPr()
        normal_rpr.insert_element_before(_element("w:spacing", val=CHAR_SPACING_TWIPS), *RPR_AFTER_SPACING)

        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(24)
        self._grid(section)
        doc.settings.odd_and_even_pages_header_footer = True
        core = doc.core_properties
        core.title, core.author, core.language = printable(self.title), printable(self.issuer), "zh-CN"

    @staticmethod
    def _grid(section) -> None:
        """22 lines to the page: a line grid of 28.95 pt. Not a character grid: LibreOffice and WPS read Word's
        charSpace differently and spread the text; 28 characters to the line come from the spacing in Normal."""
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = _append(sect_pr, "w:docGrid")
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH * 20)))
        grid.attrib.pop(qn("w:charSpace"), None)

    def _font_table(self) -> None:
        """Declare the standard's fonts with their English names and the GB 2312 charset, so a word processor
        that lacks them looks for a Chinese replacement rather than a Latin one."""
        part = next(p for p in self.doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
        root = etree.fromstring(part.blob)
        for name, alt in FONT_ALT_NAMES.items():
            font = _append(root, "w:font", name=name)
            _append(font, "w:altName", val=alt)
            _append(font, "w:charset", val="86")
            _append(font, "w:family", val="modern" if name == HEITI else "roman")
            _append(font, "w:pitch", val="variable")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # ------------------------------------------------------------------------------------------ paragraphs

    def para(
        self,
        text: str = "",
        font: str = FANGSONG,
        size: float = SIZE_3,
        *,
        align=None,
        indent: float = 2,
        bold: bool = False,
        color: RGBColor | None = None,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(indent * CHAR)
        if text:
            set_run_font(p.add_run(printable(text)), font, size, bold=bold, color=color)
        return p

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.para(indent=0)

    def heading(self, level: int, position: int, text: str) -> Paragraph:
        style = rules.style_at(rules.BODY_STYLES, level)
        return self.para(rules.numbered(style, position, text), BODY_LEVEL_FONTS.get(level, FANGSONG))

    def text(self, body: str) -> None:
        """Paragraphs as typed, each indented two characters; typed numbers are kept, never added to."""
        for line in _paragraphs(printable(body)):
            font, head, rest = lead_sentence(line)
            p = self.para(indent=2)
            if font:
                set_run_font(p.add_run(head), font, SIZE_3)
            if rest:
                set_run_font(p.add_run(rest), FANGSONG, SIZE_3)

    # ------------------------------------------------------------------------------------------ 版头

    def _header(self) -> None:
        mark = self.issuer if self.issuer.endswith("文件") else gettext("%(issuer)s文件") % {"issuer": self.issuer}
        # As large as 初号 (42 pt) while the line still fits the 版心's width.
        size = min(42, int(Mm(154).pt / max(rules.text_width(mark), 1)))
        p = self.para(mark, XIAOBIAOSONG, size, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, color=RED)
        p.paragraph_format.space_before = Mm(35)
        p.paragraph_format.line_spacing = Pt(size * 1.25)
        self.blank(2)
        number = self.para(self.number, FANGSONG, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
        self.separator = number
        # 版头中的分隔线: red, the width of the 版心, 4 mm under the 发文字号.
        borders = _paragraph_property(number, "w:pBdr")
        _append(borders, "w:bottom", val="single", sz=12, space=11, color="FF0000")
        self.blank(2)
        title = self.para(self.title, XIAOBIAOSONG, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
        title.paragraph_format.line_spacing = Pt(LINE_PITCH + 4)
        self.blank()
        if self.recipients:
            self.para(f"{self.recipients.rstrip('：:')}：", indent=0)

    # ------------------------------------------------------------------------------------------ closing

    def _closing(self) -> None:
        first = len(self.doc.paragraphs) - 1  # the body's last paragraph goes with the signature (§7.3.5.1)
        if self.annex_name:
            self.blank()
            # 附件说明: “附件：” then the name; a second line aligns under the name (hanging indent).
            p = self.para(gettext("附件：%(annex_name)s") % {"annex_name": self.annex_name}, indent=0)
            p.paragraph_format.left_indent = Pt(5 * CHAR)
            p.paragraph_format.first_line_indent = Pt(-3 * CHAR)
        self.blank()
        signature = self.issuer
        day = rules.chinese_date(self.issued_on) if self.issued_on else ""
        # §7.3.5.2: the signature two characters from the right; the date on the next line starts two characters
        # further right, unless it is the longer one, then it keeps two characters and the signature moves left.
        sig_w, day_w = rules.text_width(signature), rules.text_width(day)
        if not day or sig_w - day_w >= 2:
            sig_right, day_right = 2, sig_w - day_w
        else:
            sig_right, day_right = day_w + 4 - sig_w, 2
        for text, right in ((signature, sig_right), (day, day_right)):
            if text:
                p = self.para(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0)
                p.paragraph_format.right_indent = Pt(right * CHAR)
        # No page holding only the signature and date: they keep the body's last lines with them.
        for p in self.doc.paragraphs[max(first, 0) : -1]:
            p.paragraph_format.keep_with_next = True

    def _page_numbers(self) -> None:
        section = self.doc.sections[0]
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
        ):
            p = footer.paragraphs[0]
            p.alignment = align
            fmt = p.paragraph_format
            setattr(fmt, side, Pt(SIZE_4))
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _no_grid(p)
            set_run_font(p.add_run("— "), SONGTI, SIZE_4)
            self._page_field(p)
            set_run_font(p.add_run(" —"), SONGTI, SIZE_4)

    @staticmethod
    def _page_field(p: Paragraph) -> None:
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = p.add_run()
            set_run_font(run, SONGTI, SIZE_4)
            if kind:
                _append(run._element, "w:fldChar", fldCharType=kind)
            elif text == " PAGE ":
                instr = _append(run._element, "w:instrText")
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.text = text
            else:
                run.text = text

    # ------------------------------------------------------------------------------------------ 附件

    def _annex(self) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
        section.footer_distance = Mm(16)
        self._grid(section)
        self.para(gettext("附件"), HEITI, indent=0)
        self.blank()
        self.para(self.annex_name, XIAOBIAOSONG, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
        self.blank()
        self.annex()

    def table(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[Sequence[str], Collection[int]]],
        widths_mm: Sequence[float],
        center: Collection[int],
    ) -> None:
        """A table of the annex: the header in 黑体 repeated on every page; each row its cells and the indexes of
        those set in 黑体; the `center` columns centred."""
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header = table.rows[0]
        _append(header._tr.get_or_add_trPr(), "w:tblHeader")  # repeated at the top of every page
        for cell, label in zip(header.cells, columns, strict=True):
            self._cell(cell, label, HEITI, center=True)
        for values, strong in rows:
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                self._cell(cell, value, HEITI if index in strong else FANGSONG, center=index in center)
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)

    @staticmethod
    def _cell(cell, text: str, font: str, *, center: bool) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = printable(text or "").splitlines() or [""]
        p = cell.paragraphs[0]
        for n, line in enumerate(lines):
            if n:
                p.add_run().add_break(WD_BREAK.LINE)
            if line:
                set_run_font(p.add_run(line), font, SIZE_TABLE)
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.first_line_indent = Pt(0)
        fmt.space_before = fmt.space_after = Pt(2)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        _no_grid(p)


class _PlanDocument(OfficialDocument):
    def __init__(self, plan: Plan, recipients: str):
        super().__init__(
            issuer=plan.issuer, number=plan.doc_number, title=plan.title, issued_on=plan.issued_on,
            recipients=recipients,
        )  # fmt: skip
        self.plan = plan
        self.rows: list[TaskRow] = task_rows(plan)
        if self.rows:
            self.annex_name = annex_title(plan.title)

    # ------------------------------------------------------------------------------------------ 正文

    def body(self) -> None:
        plan = self.plan
        self.text(plan.preamble)
        chapters = [
            (gettext("指导思想"), self._guiding_idea),
            (gettext("目标和范围"), self._targets),
            (gettext("组织领导"), self._group),
            (gettext("工作任务和分工"), self._tasks),
            *((s.heading, self._section_writer(s.body)) for s in plan.sections.all()),
            (gettext("实施步骤"), self._phases),
            (gettext("工作要求"), self._requirements),
        ]
        position = 0
        for heading, writer in chapters:
            if not writer(None):  # a chapter with nothing to say is left out and not counted
                continue
            position += 1
            self.heading(1, position, heading)
            writer(self)

    # Each writer answers whether it has content when called with None, and writes when called with self.

    def _guiding_idea(self, out) -> bool:
        if out:
            self.text(self.plan.guiding_idea)
        return bool(_paragraphs(self.plan.guiding_idea))

    def _targets(self, out) -> bool:
        targets = list(self.plan.targets.all())
        scope = _paragraphs(self.plan.scope)
        if out:
            position = 0
            if targets:
                position += 1
                self.heading(2, position, gettext("目标"))
                for n, t in enumerate(targets, start=1):
                    line = plan_rules.target_sentence(t.indicator, t.comparator, t.value, t.unit)
                    if t.description:
                        line += f"（{t.description.rstrip('。')}）"
                    self.para(f"{rules.marker(rules.ARABIC, n)}{line}。")
            if scope:
                position += 1
                self.heading(2, position, gettext("范围"))
                self.text(self.plan.scope)
        return bool(targets or scope)

    def _group(self, out) -> bool:
        members = list(self.plan.group.all())
        office = _paragraphs(self.plan.office)
        if out:
            by_duty: dict[str, list] = {}
            for m in members:
                by_duty.setdefault(m.duty, []).append(m)
            for duty in ("leader", "deputy", "member"):
                people = by_duty.get(duty, [])
                if not people:
                    continue
                label = plan_rules.DUTY_LABELS[duty]
                if duty == "member" and all(not m.name for m in people):
                    label = gettext("成员单位")
                self.para(f"{label}：" + "、".join(_member(m) for m in people) + ("。" if label == "成员单位" else ""))
            self.text(self.plan.office)
            for m in by_duty.get("office", []):
                self.para(gettext("办公室主任：%(member)s") % {"member": _member(m)})
        return bool(members or office)

    def _tasks(self, out) -> bool:
        if out:
            for row in self.rows:
                self._task(row)
        return bool(self.rows)

    def _task(self, row: TaskRow) -> None:
        t = row.level + 1  # top-level tasks sit under the chapter as （一）
        title = row.task.title.strip()
        content = _paragraphs(row.task.content)
        if t <= 2:
            self.heading(t, row.position, title)
        else:
            # 1. and （1） items run on: “1.清理占道经营。对……”, as the seeds write them.
            style = rules.style_at(rules.BODY_STYLES, t)
            head = rules.numbered(style, row.position, title)
            lead = content.pop(0) if content else ""
            if lead and head[-1] not in "。；;：:！？":
                head += "。"
            self.para(head + lead)
        self.text("\n".join(content))
        if row.leads:
            self.para(gettext("牵头单位：") + "、".join(row.leads))
        if row.responsibles:
            self.para(gettext("责任单位：") + "、".join(row.responsibles))
        people = [
            f"{label}：{value}"
            for label, value in ((gettext("直接责任人"), row.task.direct_person), (gettext("承办人"), row.task.handler))
            if value
        ]
        if people:
            self.para("；".join(people))
        if row.task.due_on:
            self.para(gettext("完成时限：%(due)s前") % {"due": row.due})
        if row.task.deliverables:
            self.para(gettext("成果形式：%(deliverables)s") % {"deliverables": row.task.deliverables})

    @staticmethod
    def _section_writer(body: str):
        def write(out) -> bool:
            if out:
                out.text(body)
            return bool(_paragraphs(body))

        return write

    def _phases(self, out) -> bool:
        phases = list(self.plan.phases.all())
        if out:
            for n, phase in enumerate(phases, start=1):
                name = phase.name if phase.name.endswith("阶段") else gettext("%(name)s阶段") % {"name": phase.name}
                self.heading(2, n, f"{name}（{rules.date_range(phase.starts_on, phase.ends_on)}）")
                self.text(phase.description)
        return bool(phases)

    def _requirements(self, out) -> bool:
        if out:
            self.text(self.plan.requirements)
        return bool(_paragraphs(self.plan.requirements))

    def annex(self) -> None:
        rows = [(row.cells(), (0, 1) if row.level == 1 else ()) for row in self.rows]
        self.table(COLUMNS, rows, ANNEX_COLUMN_MM, center=(0, 5, 6, 7))


def _no_grid(p: Paragraph) -> None:
    """Small text off the 3号 line grid, or every table line would take a full 28.95 pt."""
    _paragraph_property(p, "w:snapToGrid", val=0)


def _member(m) -> str:
    who = m.name or m.unit
    detail = m.title or (m.unit if m.name else "")
    return f"{who}（{detail}）" if detail else who
