"""Extraction of a file's text (never trusting the file) and the words of the index and of queries."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.archives.search import extract, words
from linli.demo.archives import docx_bytes, pdf_bytes, xlsx_bytes


def read(data: bytes, name: str, **kw) -> str:
    return extract.extract(io.BytesIO(data), name, **kw)


def test_a_docx_gives_its_paragraphs_and_its_tables_in_order():
    data = docx_bytes(
        "关于精简社区台账的通知", ["各社区要落实两个清单。"], [["事项", "依据"], ["居住证明", "户口登记条例"]]
    )
    assert read(data, "通知.docx") == "关于精简社区台账的通知\n各社区要落实两个清单。\n事项 依据\n居住证明 户口登记条例"


def test_an_xlsx_gives_its_sheets_rows_and_a_pdf_its_pages():
    assert read(xlsx_bytes("时长", [["姓名", "小时"], ["王建国", 12]]), "a.xlsx") == "时长\n姓名 小时\n王建国 12"
    assert read(pdf_bytes(["厨余垃圾分类", "桶前值守"]), "a.pdf") == "厨余垃圾分类\n桶前值守"


def test_text_stops_at_the_limit_and_images_have_none():
    data = docx_bytes("标题", ["文明城区" * 50] * 20)
    assert len(read(data, "a.docx", limit=300)) == 300
    assert read(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "照片.png") == ""


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"just text, not a document", "通知.docx", "扩展名不符"),
        (b"%PDF-1.4\n1 0 obj <<>> garbage", "损坏.pdf", "无法提取文字"),
        (b"PK\x03\x04 broken zip", "表.xlsx", "已损坏"),
        (docx_bytes("a", ["b"]), "改名的表格.xlsx", "扩展名不符"),  # a Word file renamed .xlsx
    ],
)
def test_damaged_and_forged_files_fail_cleanly(data, name, reason):
    with pytest.raises(extract.ExtractionFailed, match=reason):
        read(data, name)


def test_a_zip_that_unpacks_too_large_is_not_opened(monkeypatch):
    monkeypatch.setattr(extract, "MAX_UNZIPPED", 10_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * 50_000)
    with pytest.raises(extract.ExtractionFailed, match="解压后过大"):
        read(out.getvalue(), "炸弹.docx")


def test_slow_extraction_is_stopped():
    with pytest.raises(extract.ExtractionFailed, match="超时"):
        read(docx_bytes("标题", ["一段"] * 5), "a.docx", seconds=-1)


@given(
    st.binary(max_size=300),
    st.sampled_from(["a.docx", "a.xlsx", "a.pdf", "a.jpg"]),
    st.sampled_from([b"", b"%PDF-", b"PK\x03\x04"]),
)
def test_any_bytes_give_text_or_extraction_failed(data, name, head):
    try:
        assert isinstance(read(head + data, name, seconds=5), str)
    except extract.ExtractionFailed:
        pass


@pytest.mark.parametrize(
    "query, expected",
    [
        ("创建文明城区", '("创建文明城区" OR ("创建" AND "文明" AND "城区"))'),
        ("扫黄打非 通知", '("扫黄打非" OR ("扫黄" AND "打非")) AND "通知"'),
        ("社区的台账", '"社区" AND "台账"'),  # 的 says nothing
        ("ＡＢＣ 2026年", '"abc" AND "2026" AND "年"'),  # full-width letters folded, digits apart
    ],
)
def test_queries_become_the_same_expression_for_both_engines(query, expected):
    terms = words.query_terms(query)
    assert words.fts5_query(terms) == expected
    assert words.tsquery(terms) == expected.replace('"', "'").replace(" AND ", " & ").replace(" OR ", " | ")


def test_the_index_holds_long_words_and_the_words_inside_them():
    got = words.index_words("开展扫黄打非进基层，创建文明城区").split()
    assert {"扫黄打非", "扫黄", "打非", "创建文明城区", "文明", "城区"} <= set(got)


@given(st.text(max_size=60))
def test_every_query_term_is_letters_and_digits_and_found_in_its_own_text(text):
    terms = words.query_terms(text)
    indexed = set(words.index_words(text).split())
    for t in terms:
        assert t.word.isalnum() and all(p.isalnum() for p in t.parts)
        assert t.word in indexed or set(t.parts) <= indexed
