"""The plan as a GB/T 9704-2012 Word document: page, 版头, levels and fonts, closing, page numbers, annex."""

import re
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from hypothesis import given
from hypothesis import strategies as st

from linli.campaigns.documents import rules as numbering
from linli.campaigns.documents.official import (
    FANGSONG,
    HEITI,
    KAITI,
    SONGTI,
    XIAOBIAOSONG,
    east_asia_font,
    lead_sentence,
    plan_docx,
)
from linli.campaigns.documents.selectors import annex_title
from linli.campaigns.models import Task

from .factory import seed_plan

# ---------------------------------------------------------------------------------------------- numbering rules


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九")]
)
def test_chinese_number(n, text):
    assert numbering.chinese_number(n) == text


@pytest.mark.parametrize(
    ("style", "n", "text"),
    [
        (numbering.CN, 3, "三、"),
        (numbering.CN_PAREN, 2, "（二）"),
        (numbering.ARABIC, 12, "12."),
        (numbering.ARABIC_PAREN, 4, "（4）"),
        (numbering.CIRCLED, 2, "②"),
    ],
)
def test_markers(style, n, text):
    assert numbering.marker(style, n) == text


@pytest.mark.parametrize(
    ("typed", "ours"),
    [
        ("（一）集贸市场环境整治工作", "（三）集贸市场环境整治工作"),  # 001 篇6 types its own numbers
        ("(二)六小行业无证照经营行为清理", "（三）六小行业无证照经营行为清理"),
        ("一、指导思想", "（三）指导思想"),
        ("1、有效解决开发遗留问题", "（三）有效解决开发遗留问题"),
        ("2.清理占道经营", "（三）清理占道经营"),
        ("一是加强招投标的监督和指导", "一是加强招投标的监督和指导"),  # prose enumeration stays the writer's
        ("2026年工作安排", "（三）2026年工作安排"),  # a year is not a number in front
        ("1.1 细化任务", "（三）1.1 细化任务"),
    ],
)
def test_a_typed_number_is_replaced_not_doubled(typed, ours):
    assert numbering.numbered(numbering.CN_PAREN, 3, typed) == ours


@pytest.mark.parametrize(
    ("cell", "rank"),
    [("一、", 1), ("（一）", 2), ("(二)", 2), ("1.", 3), ("3、", 3), ("（1）", 4), ("①", 5), ("1", 1), ("2.3", 2)],
)
def test_number_rank(cell, rank):
    assert numbering.number_rank(cell) == rank


@given(st.integers(min_value=1, max_value=50), st.sampled_from(numbering.TABLE_STYLES))
def test_every_marker_we_print_reads_back_at_its_rank(n, style):
    assert numbering.number_rank(numbering.marker(style, n)) == numbering.STYLE_RANK[style]


def test_dates_are_written_with_arabic_numerals():
    assert numbering.chinese_date(date(2026, 11, 23)) == "2026年11月23日"
    assert numbering.date_range(date(2026, 3, 1), date(2026, 4, 30)) == "2026年3月1日—4月30日"
    assert numbering.date_range(date(2026, 11, 1), date(2027, 1, 15)) == "2026年11月1日—2027年1月15日"


def test_annex_title():
    assert annex_title("关于依法加强居民小区物业管理的工作方案") == "依法加强居民小区物业管理任务分解表"
    assert annex_title("创建省级文明城市实施方案") == "创建省级文明城市任务分解表"


def test_lead_sentence_of_typed_levels():
    font, head, rest = lead_sentence("（一）统一思想，提高认识。各单位要高度重视。")
    assert (font, head, rest) == (KAITI, "（一）统一思想，提高认识。", "各单位要高度重视。")
    assert lead_sentence("一、总体要求")[0] == HEITI
    assert lead_sentence("各单位要高度重视。")[0] is None


# ---------------------------------------------------------------------------------------------- the document


@pytest.fixture
def doc(world):
    plan = seed_plan(world)
    return plan, Document(BytesIO(plan_docx(plan)))


def _find(document, text):
    for p in document.paragraphs:
        if p.text == text:
            return p
    raise AssertionError(f"no paragraph {text!r} in {[p.text for p in document.paragraphs]}")


def _fonts(p):
    return {east_asia_font(r) for r in p.runs if r.text.strip()}


def test_page_is_a4_with_the_standard_margins_and_22_lines(doc):
    _, d = doc
    s = d.sections[0]
    for measured, mm in (
        (s.page_width, 210),
        (s.page_height, 297),
        (s.top_margin, 37),
        (s.bottom_margin, 35),
        (s.left_margin, 28),
        (s.right_margin, 26),
    ):
        assert abs(measured - Mm(mm)) < Mm(0.1)
    assert abs((s.page_width - s.left_margin - s.right_margin) - Mm(156)) < Mm(0.1)
    assert abs((s.page_height - s.top_margin - s.bottom_margin) - Mm(225)) < Mm(0.1)
    normal = d.styles["Normal"].paragraph_format
    assert normal.line_spacing == Pt(28.95)
    assert s._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    # 28 characters of 3号 on the 156 mm line
    spacing = d.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert 28 * (16 + int(spacing.get(qn("w:val"))) / 20) <= Mm(156).pt


def test_red_issuer_mark_doc_number_with_red_rule_and_title(doc):
    plan, d = doc
    mark = _find(d, "沈河区人民政府办公室文件")
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert mark.runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert _fonts(mark) == {XIAOBIAOSONG}
    number = _find(d, "沈河政办发〔2026〕12号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER and _fonts(number) == {FANGSONG}
    assert number.runs[0].font.size == Pt(16)
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    paragraphs = [p.text for p in d.paragraphs]
    assert paragraphs.index(number.text) - paragraphs.index(mark.text) == 3  # 下空二行
    title = _find(d, plan.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _fonts(title) == {XIAOBIAOSONG} and title.runs[0].font.size == Pt(22)
    assert paragraphs.index(title.text) - paragraphs.index(number.text) == 3


def test_chapters_are_numbered_with_their_fonts(doc):
    _, d = doc
    texts = [p.text for p in d.paragraphs]
    chapters = [t for t in texts if t[:2] in {f"{numbering.chinese_number(n)}、" for n in range(1, 10)}]
    assert chapters == [
        "一、指导思想",
        "二、目标和范围",
        "三、组织领导",
        "四、工作任务和分工",
        "五、保障措施",
        "六、实施步骤",
        "七、工作要求",
    ]
    assert _fonts(_find(d, "一、指导思想")) == {HEITI}
    assert _find(d, "一、指导思想").paragraph_format.first_line_indent == Pt(32)
    assert _fonts(_find(d, "（一）目标")) == {KAITI}
    assert _fonts(_find(d, "（二）范围")) == {KAITI}
    assert _fonts(_find(d, "1.整改率不低于90%。")) == {FANGSONG}
    assert "2.物业化率达到100%。" in texts
    assert "3.社会保险基金征缴率大于95%。" in texts
    assert "组长：邢凯（副区长）" in texts
    assert "成员单位：区住房和城乡建设局、区城市管理综合执法局。" in texts
    assert _fonts(_find(d, "（一）排查阶段（2026年3月1日—4月30日）")) == {KAITI}
    assert "（三）验收阶段（2026年11月1日—2027年1月15日）" in texts


def test_task_tree_in_the_body_is_not_double_numbered(doc):
    _, d = doc
    texts = [p.text for p in d.paragraphs]
    assert _fonts(_find(d, "（一）全力解决开发建设遗留问题")) == {KAITI}
    assert not any("（一）（一）" in t for t in texts)
    assert "1.建立整改档案" in texts
    assert "（1）维修及时率达到90%以上" in texts
    assert "一是加强招投标的监督和指导。新建住宅小区实行招投标制度。" in texts
    assert "牵头单位：区住房和城乡建设局" in texts
    assert "责任单位：甲街道、乙街道" in texts
    assert "直接责任人：赵东风；承办人：杜辉" in texts
    assert "完成时限：2026年5月30日前" in texts


def test_typed_levels_in_requirements_keep_their_numbers_and_take_the_level_font(doc):
    _, d = doc
    p = _find(d, "（一）统一思想，提高认识，高度重视创建工作。各单位负责人要高度重视，精心组织，周密安排。")
    assert [east_asia_font(r) for r in p.runs] == [KAITI, FANGSONG]
    assert "（二）加强组织领导，明确工作责任。一是细化分解到单位；二是具体到个人。" in [q.text for q in d.paragraphs]


def test_annex_note_signature_and_date(doc):
    _, d = doc
    note = _find(d, "附件：依法加强居民小区物业管理任务分解表")
    assert note.paragraph_format.first_line_indent == Pt(-48)
    texts = [p.text for p in d.paragraphs]
    signature = _find(d, "沈河区人民政府办公室")
    day = _find(d, "2026年11月23日")
    assert texts.index(day.text) == texts.index(signature.text) + 1
    assert signature.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 成文日期 starts two characters right of the signature: 10 characters vs 7 (digits are half width)
    assert signature.paragraph_format.right_indent == Pt(2 * 16)
    assert day.paragraph_format.right_indent == Pt(3 * 16)
    assert signature.paragraph_format.keep_with_next


def test_page_numbers_odd_right_even_left_with_a_page_field(doc):
    _, d = doc
    assert d.settings.odd_and_even_pages_header_footer
    s = d.sections[0]
    for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT), (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert _fonts(p) == {SONGTI} and p.runs[0].font.size == Pt(14)


def test_annex_is_a_landscape_section_with_one_row_per_task(doc):
    plan, d = doc
    assert len(d.sections) == 2
    annex = d.sections[1]
    assert annex.orientation == WD_ORIENT.LANDSCAPE and annex.page_width > annex.page_height
    assert _fonts(_find(d, "附件")) == {HEITI}
    assert _fonts(_find(d, "依法加强居民小区物业管理任务分解表")) == {XIAOBIAOSONG}
    (table,) = d.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "序号",
        "任务",
        "工作内容及标准",
        "牵头单位",
        "责任单位",
        "直接责任人",
        "承办人",
        "完成时限",
        "成果形式",
    ]  # noqa: E501
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) - 1 == Task.objects.filter(plan=plan).count() == 6
    numbers = [r.cells[0].text for r in table.rows[1:]]
    assert numbers == ["一、", "1.", "2.", "（1）", "二、", "1."]
    first = table.rows[2]
    assert [c.text for c in first.cells][1:] == [
        "建立整改档案",
        "",
        "",
        "甲街道、乙街道",
        "赵东风",
        "杜辉",
        "2026年5月30日",
        "整改台账",
    ]


def test_a_plan_without_tasks_has_no_annex(world):
    plan = seed_plan(world)
    Task.objects.filter(plan=plan).delete()
    d = Document(BytesIO(plan_docx(plan)))
    assert len(d.sections) == 1 and not d.tables
    assert not any(p.text.startswith("附件") for p in d.paragraphs)
    assert "四、工作任务和分工" not in [p.text for p in d.paragraphs]


def test_font_table_names_the_standard_fonts(doc):
    _, d = doc
    part = next(p for p in d.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    for name in (XIAOBIAOSONG, FANGSONG, HEITI, KAITI):
        assert f'w:name="{name}"'.encode() in part.blob
    assert b"FangSong_GB2312" in part.blob


def test_recipients_line_and_a_draft_without_number_or_date(world):
    plan = seed_plan(world)
    plan.doc_number, plan.issued_on = "", None
    plan.save()
    d = Document(BytesIO(plan_docx(plan, recipients="各街道办事处，区政府各部门")))
    texts = [p.text for p in d.paragraphs]
    recipients = _find(d, "各街道办事处，区政府各部门：")
    assert recipients.alignment is None and not recipients.paragraph_format.first_line_indent
    assert texts.index(recipients.text) == texts.index(plan.title) + 2
    assert not [t for t in texts if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t)]  # no 成文日期 yet
    assert _find(d, "沈河区人民政府办公室").paragraph_format.right_indent == Pt(2 * 16)
