"""The one upload check: each kind by its content, what is refused and how the refusal reads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image

from linli.core import uploads
from linli.core.errors import ValidationFailed

WORKBOOK = uploads.workbook(50 * uploads.MB)


def image(fmt: str, size=(40, 30), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt, **options)
    return out.getvalue()


def noisy_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((320, 240), 60).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def mpo() -> bytes:
    """A phone's JPEG with a second frame, which Pillow names MPO."""
    out = io.BytesIO()
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def retyped(package: bytes, old: str, new: str) -> bytes:
    """The package with one content type in [Content_Types].xml replaced (an .xlsm is an .xlsx but for that)."""
    source, out = zipfile.ZipFile(io.BytesIO(package)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(old.encode(), new.encode())
            z.writestr(item, data)
    return out.getvalue()


def zipped(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return out.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A few kilobytes that declare a huge canvas: a one-bit image of zeros compresses to almost nothing."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
HTML = b"<!doctype html><script>fetch('/api/v1/persons').then(r => r.text()).then(alert)</script>"


def check(name: str, content: bytes, accept=uploads.EVIDENCE) -> uploads.Upload:
    return uploads.check(SimpleUploadedFile(name, content), accept, field="file", label="佐证材料")


def refusal(name: str, content: bytes, accept=uploads.EVIDENCE) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as exc:
        check(name, content, accept)
    [error] = exc.value.errors
    return error.field, error.message


@pytest.mark.parametrize(
    ("name", "content", "accept", "kind", "size"),
    [
        ("现场.jpg", image("JPEG"), uploads.PHOTOS, uploads.JPEG, (40, 30)),
        ("现场.JPEG", image("JPEG"), uploads.PHOTOS, uploads.JPEG, (40, 30)),
        ("微信图片.jfif", image("JPEG"), uploads.PHOTOS, uploads.JPEG, (40, 30)),
        ("手机.jpg", mpo(), uploads.PHOTOS, uploads.JPEG, (40, 30)),
        ("现场.png", image("PNG"), uploads.PHOTOS, uploads.PNG, (40, 30)),
        ("现场.webp", image("WEBP"), uploads.PHOTOS, uploads.WEBP, (40, 30)),
        ("总结.pdf", b"%PDF-1.7\n%%EOF", uploads.EVIDENCE, uploads.PDF, None),
        ("总结.docx", docx(), uploads.EVIDENCE, uploads.DOCX, None),
        ("台账.xlsx", xlsx(), uploads.EVIDENCE, uploads.XLSX, None),
        ("人员.xlsx", xlsx(), WORKBOOK, uploads.XLSX, None),
    ],
)
def test_each_kind_passes_by_its_content(name, content, accept, kind, size):
    upload = check(name, content, accept)
    assert (upload.kind, upload.content_type, upload.name) == (kind, kind.content_type, name)
    assert (upload.width, upload.height) == (size or (None, None))
    assert upload.file.tell() == 0  # stored from the start


P, E, W = uploads.PHOTOS, uploads.EVIDENCE, WORKBOOK
ANY_EVIDENCE = "只接受PDF、JPEG、PNG、Word（.docx）或Excel（.xlsx）"
BROKEN = "已损坏或不是有效的"
TOO_LARGE = "的尺寸过大，请缩小到6400万像素以内后上传"
XLSM = retyped(xlsx(), SHEET_MAIN, XLSM_MAIN)
OLD = uploads.OLE2 + b"\0" * 512
BARE_TYPES = zipped(**{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


@pytest.mark.parametrize(
    ("name", "content", "accept", "message"),
    [
        ("现场.jpg", HTML, P, f"（现场.jpg）{BROKEN}JPEG文件"),
        ("现场.png", HTML, E, f"（现场.png）{BROKEN}PNG文件"),
        ("总结.pdf", HTML, E, f"（总结.pdf）{BROKEN}PDF文件"),
        ("总结.docx", HTML, E, f"（总结.docx）{BROKEN}Word（.docx）文件"),
        ("页面.html", HTML, E, f"（页面.html）的格式不支持，{ANY_EVIDENCE}"),
        ("半张.jpg", noisy_jpeg()[:2000], P, f"（半张.jpg）{BROKEN}JPEG文件"),
        ("半张.png", image("PNG")[:-20], P, f"（半张.png）{BROKEN}PNG文件"),
        ("半张.webp", image("WEBP")[:-20], P, f"（半张.webp）{BROKEN}WebP文件"),
        ("动图.gif", image("GIF"), P, "（动图.gif）格式为GIF，只接受JPEG、PNG或WebP"),
        ("扫描.pdf", b"%PDF-1.4", P, "（扫描.pdf）格式为PDF，只接受JPEG、PNG或WebP"),
        ("现场.webp", image("WEBP"), E, f"（现场.webp）格式为WebP，{ANY_EVIDENCE}"),
        ("现场.png", image("JPEG"), P, "（现场.png）的内容是JPEG，与扩展名不符，请将扩展名改为.jpg后重新上传"),
        ("现场", image("PNG"), P, "（现场）的内容是PNG，与扩展名不符，请将扩展名改为.png后重新上传"),
        ("台账.xlsx", docx(), E, "（台账.xlsx）的内容是Word（.docx），与扩展名不符，请将扩展名改为.docx后重新上传"),
        ("台账.xlsx", XLSM, E, f"（台账.xlsx）格式为启用宏的Excel（.xlsm），{ANY_EVIDENCE}"),
        ("台账.xlsx", zipped(**{"xl/workbook.xml": "<workbook/>"}), E, f"（台账.xlsx）格式为ZIP压缩包，{ANY_EVIDENCE}"),
        ("台账.xlsx", BARE_TYPES, E, f"（台账.xlsx）{BROKEN}Excel（.xlsx）文件"),
        ("台账.xlsx", zipped(**{"[Content_Types].xml": "<Types"}), E, f"（台账.xlsx）{BROKEN}Excel（.xlsx）文件"),
        ("台账.xlsx", xlsx()[:400], E, f"（台账.xlsx）{BROKEN}Excel（.xlsx）文件"),
        ("材料.zip", zipped(**{"index.html": "<script></script>"}), E, f"（材料.zip）格式为ZIP压缩包，{ANY_EVIDENCE}"),
        (
            "旧表.xls",
            OLD,
            W,
            "（旧表.xls）格式为旧版Office（.doc、.xls），只接受Excel（.xlsx）；请在Office或WPS中“另存为”.xlsx格式后重新上传",
        ),
        ("旧稿.doc", OLD, P, "（旧稿.doc）格式为旧版Office（.doc、.xls），只接受JPEG、PNG或WebP"),
        ("人员.csv", "户号,姓名\n".encode(), W, "（人员.csv）的格式不支持，只接受Excel（.xlsx）"),
        ("空.pdf", b"", E, "（空.pdf）是空文件"),
        ("大.pdf", b"%PDF-" + b"0" * 10 * uploads.MB, E, "（大.pdf）超过10MB"),
        ("大图.png", huge_png(9000, 8000), P, f"（大图.png）{TOO_LARGE}"),
        ("炸弹.png", huge_png(20000, 20000), P, f"（炸弹.png）{TOO_LARGE}"),  # past Pillow's own bomb limit
        ("炸弹.png", huge_png(20000, 20000), W, "（炸弹.png）的格式不支持，只接受Excel（.xlsx）"),
    ],
)
def test_refusals_name_the_field_the_file_and_what_is_wrong(name, content, accept, message):
    assert refusal(name, content, accept) == ("file", f"佐证材料{message}")


def test_a_file_exactly_at_the_limit_passes():
    at_limit = b"%PDF-" + b"0" * (uploads.EVIDENCE.max_bytes - 5)
    assert check("大.pdf", at_limit).file.size == uploads.EVIDENCE.max_bytes


def test_a_file_without_its_own_name_is_named_by_the_caller():
    upload = uploads.check(io.BytesIO(xlsx()), WORKBOOK, field="file", label="上传的文件", name="人员.xlsx")
    assert (upload.name, upload.kind) == ("人员.xlsx", uploads.XLSX)


def test_several_files_are_counted_and_each_refused_one_is_named():
    def photos(*items):
        return [SimpleUploadedFile(name, content) for name, content in items]

    with pytest.raises(ValidationFailed) as exc:
        uploads.check_all(
            photos(("a.jpg", HTML), ("b.png", image("PNG")), ("c.gif", image("GIF"))),
            uploads.PHOTOS, field="photos", label="照片", unit="张", max_count=6,
        )  # fmt: skip
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("photos", "第1张照片（a.jpg）已损坏或不是有效的JPEG文件"),
        ("photos", "第3张照片（c.gif）格式为GIF，只接受JPEG、PNG或WebP"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        uploads.check_all(photos(*[("a.png", image("PNG"))] * 3), uploads.PHOTOS, field="photos", label="照片",
                          unit="张", max_count=2)  # fmt: skip
    assert exc.value.errors[0].message == "照片最多2张"
    passed = uploads.check_all(
        photos(("a.png", image("PNG")), ("b.webp", image("WEBP"))), uploads.PHOTOS, field="photos", label="照片",
        unit="张", max_count=2,
    )  # fmt: skip
    assert [p.content_type for p in passed] == ["image/png", "image/webp"]


def test_what_a_field_accepts_reads_as_users_name_it():
    assert uploads.EVIDENCE.hint == "PDF、JPEG、PNG、Word（.docx）或Excel（.xlsx）"
    assert uploads.EVIDENCE.help_text == "PDF、JPEG、PNG、Word（.docx）或Excel（.xlsx）格式，每个文件不超过10MB"
    assert uploads.PHOTOS.accept_attr == ".jpg,.jpeg,.jpe,.jfif,.png,.webp"
    assert uploads.workbook(uploads.MB).hint == "Excel（.xlsx）"


HEADS = [b"%PDF-", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF", uploads.OLE2]


@settings(max_examples=150)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.tuples(st.sampled_from(HEADS), st.binary(max_size=300)).map(lambda parts: parts[0] + parts[1]),
    ),
    name=st.sampled_from(["a.pdf", "a.jpg", "a.png", "a.webp", "a.docx", "a.xlsx", "a", "a.html"]),
)
def test_any_bytes_are_either_refused_in_words_or_pass_as_what_their_name_says(content, name):
    """Whatever arrives, the check answers a ValidationFailed or an upload whose kind its extension names."""
    try:
        upload = check(name, content, uploads.Accept((*uploads.PHOTOS.kinds, *uploads.EVIDENCE.kinds), uploads.MB))
    except ValidationFailed as exc:
        assert exc.errors[0].message.startswith(f"佐证材料（{name}）")
    else:
        assert name.endswith(upload.kind.extensions)
