"""Uploaded files, checked by what their bytes are before anything is stored. Every form and API that takes a file
asks `check` (one file) or `check_all` (several) with what the field accepts; a refusal is a ValidationFailed naming
the field and the file, in Chinese.

A file passes when its content is one of the accepted kinds, opened the way a reader would open it (Pillow reads an
image to its end within a pixel bound, a PDF starts with its header, a Word or Excel file is a zip package declaring
its main part's content type), within the size limit, and named with an extension of that kind: pages serve uploads
under their stored content type and download them under their own name, so an HTML page or a script named .jpg never
gets in, and a download's name never tells the user's computer to open it as something else.
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, gettext_lazy
from PIL import Image, UnidentifiedImageError

from .errors import FieldError, ValidationFailed

MB = 1024 * 1024
# Decoding bound (a small PNG or WebP can declare a huge canvas): above the 50-megapixel phones, below Pillow's own
# decompression-bomb warning.
MAX_PIXELS = 64_000_000


@dataclass(frozen=True)
class Kind:
    label: str  # as users name it
    content_type: str
    extensions: tuple[str, ...]  # the usual one first


JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = Kind("PNG", "image/png", (".png",))
WEBP = Kind("WebP", "image/webp", (".webp",))
PDF = Kind("PDF", "application/pdf", (".pdf",))
DOCX = Kind("Word（.docx）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("Excel（.xlsx）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))

# Pillow's name of a format → our kind. MPO is how Pillow names the JPEGs many phones write (a photo plus a depth or
# preview frame); browsers show them as JPEG.
IMAGE_KINDS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP}
# The formats Pillow tries (its JPEG opener also finds MPO); the last three only to name them in a refusal.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
# The main part's content type in an Office package's [Content_Types].xml → what the package is.
OFFICE_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": gettext_lazy("启用宏的Word（.docm）"),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": gettext_lazy("启用宏的Excel（.xlsm）"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "PowerPoint（.pptx）",
}
CONTENT_TYPES_MAX = MB  # [Content_Types].xml lists a few dozen parts; a bigger one is not an Office file
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt before 2007
OLD_OFFICE = gettext_lazy("旧版Office（.doc、.xls）")
HUGE_IMAGE = gettext_lazy(
    "尺寸过大的图片"
)  # beyond Pillow's decompression-bomb limit: refused before its size is even read
# SyntaxError covers a malformed [Content_Types].xml; RuntimeError an encrypted member.
BROKEN_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    SyntaxError,
    RuntimeError,
    NotImplementedError,
    DefusedXmlException,
)


@dataclass(frozen=True)
class Accept:
    """What one upload field takes: the kinds and the size of each file."""

    kinds: tuple[Kind, ...]
    max_bytes: int

    @property
    def hint(self) -> str:
        labels = [k.label for k in self.kinds]
        return labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + gettext("或") + labels[-1]

    @property
    def accept_attr(self) -> str:
        """For the file input's `accept`, so the picker offers these files first."""
        return ",".join(e for k in self.kinds for e in k.extensions)

    @property
    def help_text(self) -> str:
        return gettext("%(hint)s格式，每个文件不超过%(value)sMB") % {"hint": self.hint, "value": self.max_bytes // MB}


PHOTOS = Accept((JPEG, PNG, WEBP), 5 * MB)
EVIDENCE = Accept((PDF, JPEG, PNG, DOCX, XLSX), 10 * MB)  # 佐证材料, wherever a unit proves its work


def workbook(max_bytes: int) -> Accept:
    return Accept((XLSX,), max_bytes)


@dataclass(frozen=True)
class Upload:
    """A file that passed: the upload itself, its own name (no folders), what it is, and an image's size."""

    file: UploadedFile
    name: str
    kind: Kind
    width: int | None = None
    height: int | None = None

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def check(file, accept: Accept, *, field: str, label: str, name: str | None = None) -> Upload:
    """One file, or ValidationFailed naming `field`; `label` says what the file is for ("佐证材料"), `name` is the
    file's own name when `file` is not an upload that carries it."""
    name = PurePath(name or getattr(file, "name", "") or "").name
    who = gettext("%(label)s（%(name)s）") % {"label": label, "name": name or gettext("未命名")}
    upload, problem = _inspect(file, name, accept, who)
    if problem:
        raise ValidationFailed([FieldError(field, problem)])
    return upload


def check_all(files, accept: Accept, *, field: str, label: str, unit: str, max_count: int) -> list[Upload]:
    """Several files for one field (label "照片", counted in `unit` "张"): every refused one is named by its place
    and name."""
    files = [f for f in files or [] if f]
    if len(files) > max_count:
        too_many = gettext("%(label)s最多%(count)s%(unit)s") % {"label": label, "count": max_count, "unit": unit}
        raise ValidationFailed([FieldError(field, too_many)])
    uploads, errors = [], []
    for i, f in enumerate(files, start=1):
        name = PurePath(f.name or "").name
        who = gettext("第%(place)s%(unit)s%(label)s（%(name)s）") % {
            "place": i,
            "unit": unit,
            "label": label,
            "name": name or gettext("未命名"),
        }
        upload, problem = _inspect(f, name, accept, who)
        if problem:
            errors.append(FieldError(field, problem))
        else:
            uploads.append(upload)
    if errors:
        raise ValidationFailed(errors)
    return uploads


def _inspect(file, name: str, accept: Accept, who: str) -> tuple[Upload | None, str]:
    size = _size(file)
    if size == 0:
        return None, gettext("%(who)s是空文件") % {"who": who}
    if size > accept.max_bytes:
        return None, gettext("%(who)s超过%(size)sMB") % {"who": who, "size": accept.max_bytes // MB}
    try:
        found, pixels = _identify(file)
    finally:
        file.seek(0)
    too_large = gettext("%(who)s的尺寸过大，请缩小到%(pixels)s万像素以内后上传") % {
        "who": who,
        "pixels": MAX_PIXELS // 10**4,
    }
    if found is HUGE_IMAGE:
        if any(k in IMAGE_KINDS.values() for k in accept.kinds):
            return None, too_large
        found = None
    suffix = PurePath(name).suffix.lower()
    if isinstance(found, Kind) and found in accept.kinds:
        if suffix not in found.extensions:
            said = gettext("%(who)s的内容是%(kind)s，与扩展名不符，请将扩展名改为%(extension)s后重新上传")
            return None, said % {"who": who, "kind": found.label, "extension": found.extensions[0]}
        if pixels and pixels[0] * pixels[1] > MAX_PIXELS:
            return None, too_large
        return Upload(file, name, found, *(pixels or (None, None))), ""
    if found is not None:
        label = found.label if isinstance(found, Kind) else found
        message = gettext("%(who)s格式为%(kind)s，只接受%(accepted)s") % {
            "who": who,
            "kind": label,
            "accepted": accept.hint,
        }
        newer = [k.extensions[0] for k in accept.kinds if k in (DOCX, XLSX)]
        if found is OLD_OFFICE and newer:
            message += gettext("；请在Office或WPS中“另存为”%(formats)s格式后重新上传") % {
                "formats": gettext("或").join(newer)
            }
        return None, message
    claimed = next((k for k in accept.kinds if suffix in k.extensions), None)
    if claimed is not None:
        return None, gettext("%(who)s已损坏或不是有效的%(kind)s文件") % {"who": who, "kind": claimed.label}
    return None, gettext("%(who)s的格式不支持，只接受%(accepted)s") % {"who": who, "accepted": accept.hint}


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def _identify(file) -> tuple[Kind | str | None, tuple[int, int] | None]:
    """What the bytes are: a Kind, the name of a format we know but do not take, or None; and an image's size."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF, None
    if head.startswith(OLE2):
        return OLD_OFFICE, None
    if head.startswith(b"PK\x03\x04"):
        return _office(file), None
    return _image(file)


def _office(file) -> Kind | str | None:
    try:
        with zipfile.ZipFile(file) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            types = fromstring(package.read(info))
            names = set(package.namelist())
    except KeyError:
        return gettext("ZIP压缩包")
    except BROKEN_ZIP:
        return None
    for part in types:
        if part.tag.endswith("}Override") and part.get("PartName", "").lstrip("/") in names:
            found = OFFICE_MAIN.get(part.get("ContentType", ""))
            if found is not None:
                return found
    return None


def _image(file) -> tuple[Kind | str | None, tuple[int, int] | None]:
    try:
        with Image.open(file, formats=IMAGE_FORMATS) as image:
            kind, size = IMAGE_KINDS.get(image.format), image.size
            if kind is None:
                return image.format, None
            if size[0] * size[1] > MAX_PIXELS:
                return kind, size  # refused for its size, without decoding it
            if kind is JPEG:
                # verify() passes a JPEG cut short; decoding finds it, and draft() decodes at 1/8 scale, so cheaply.
                image.draft(image.mode, (1, 1))
                image.load()
            else:
                image.verify()  # PNG: every chunk's checksum, to the end; WebP was parsed whole by open()
            return kind, size
    except Image.DecompressionBombError:
        return HUGE_IMAGE, None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None, None
