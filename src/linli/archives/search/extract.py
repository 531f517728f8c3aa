"""The text of an archive item's file (.docx with its tables, .xlsx, .pdf), for the search index.

Nothing in a file is trusted: the kind is read from its first bytes, not its name; a Office file's zip must be small
once unpacked (no zip bombs) and have a sane number of members; the text taken out stops at MAX_CHARS characters and
the work at MAX_SECONDS (checked between paragraphs, rows and pages, and by an alarm where the process allows one).
A file that cannot be read raises ExtractionFailed with a reason in Chinese; images and other kinds give no text.
"""

import contextlib
import logging
import re
import signal
import threading
import time
import unicodedata
import zipfile
from typing import IO

from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

MAX_CHARS = 200_000  # characters kept of one file's text: about a hundred pages
MAX_SECONDS = 30  # one file's extraction, whatever its size
MAX_BYTES = 64 * 1024 * 1024  # a stored file larger than this is not read
MAX_UNZIPPED = 200 * 1024 * 1024  # an Office file's members, unpacked
MAX_MEMBERS = 5000
MAX_PAGES = 2000

DOCX, XLSX, PDF = "docx", "xlsx", "pdf"
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_LINES = re.compile(r"\n{3,}")


class ExtractionFailed(Exception):
    """The file's text cannot be read: damaged, forged, encrypted, too large or too slow."""


class _Enough(Exception):
    """MAX_CHARS reached: the text so far is the file's text."""


class _Text:
    """Collects text up to MAX_CHARS and watches the clock."""

    def __init__(self, limit: int, deadline: float):
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.deadline = deadline

    def add(self, text: str) -> None:
        if time.monotonic() > self.deadline:
            raise ExtractionFailed(_("提取文字超时"))
        text = (text or "").strip()
        if not text:
            return
        room = self.limit - self.size
        self.parts.append(text[:room])
        self.size += min(len(text), room) + 1
        if self.size >= self.limit:
            raise _Enough

    def value(self) -> str:
        return clean("\n".join(self.parts))[: self.limit]


def clean(text: str) -> str:
    """Control characters out (tabs and newlines kept as spaces and lines), runs of spaces as one."""
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text.replace("\r", "\n"))
    return _LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()


def kind_of(head: bytes, name: str) -> str | None:
    """The kind of a file by its first bytes (and, for a zip, the name's extension: .docx or .xlsx); None for a file
    whose text is not extracted (images and others)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return {"docx": DOCX, "xlsx": XLSX}.get(suffix, "zip")
    if suffix in (DOCX, XLSX, PDF):
        return "forged"  # named as a document, but not one
    return None


@contextlib.contextmanager
def _alarm(seconds: float):
    """Interrupts work stuck inside one page or part (a library's loop) after `seconds`, where signals allow."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def ring(signum, frame):
        raise ExtractionFailed(_("提取文字超时"))

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_zip(source: IO[bytes], wanted: str) -> None:
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractionFailed(_("文件已损坏，不是有效的 Office 文档")) from exc
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
        raise ExtractionFailed(_("文件解压后过大，未提取文字"))
    names = {m.filename for m in members}
    if wanted not in names:
        raise ExtractionFailed(_("文件内容与扩展名不符"))
    source.seek(0)


def _docx(source: IO[bytes], out: _Text) -> None:
    from docx import Document
    from docx.table import Table

    _check_zip(source, "word/document.xml")
    document = Document(source)

    def table(t: Table) -> None:
        for row in t.rows:
            cells, last = [], None
            for cell in row.cells:
                if cell._tc is not last:  # a merged cell appears once per column it spans
                    cells.append(cell.text.strip())
                last = cell._tc
            out.add(" ".join(c for c in cells if c))

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table(block)
        else:
            out.add(block.text)


def _xlsx(source: IO[bytes], out: _Text) -> None:
    from openpyxl import load_workbook

    _check_zip(source, "xl/workbook.xml")
    book = load_workbook(source, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                out.add(" ".join(str(v) for v in row if v is not None and str(v).strip()))
    finally:
        book.close()


def _pdf(source: IO[bytes], out: _Text) -> None:
    from pypdf import PdfReader

    reader = PdfReader(source, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionFailed(_("PDF 已加密，无法提取文字"))
    pages = reader.pages
    if len(pages) > MAX_PAGES:
        raise ExtractionFailed(_("PDF 页数过多，未提取文字"))
    for page in pages:
        out.add(page.extract_text() or "")


READERS = {DOCX: _docx, XLSX: _xlsx, PDF: _pdf}


def extract(source: IO[bytes], name: str, *, limit: int = MAX_CHARS, seconds: float = MAX_SECONDS) -> str:
    """The text of the file open in `source` (seekable, binary), named `name`; "" for a kind without text.
    Raises ExtractionFailed."""
    head = source.read(8)
    source.seek(0)
    kind = kind_of(head, name)
    if kind is None or kind == "zip":
        return ""
    if kind == "forged":
        raise ExtractionFailed(_("文件内容与扩展名不符"))
    out = _Text(limit, time.monotonic() + seconds)
    try:
        with _alarm(seconds + 1):
            READERS[kind](source, out)
    except _Enough:
        pass
    except ExtractionFailed:
        raise
    except MemoryError as exc:
        raise ExtractionFailed(_("文件过大，未提取文字")) from exc
    except Exception as exc:  # whatever a damaged or hostile file makes the library raise
        log.info("extraction of %s (%s) failed: %r", name, kind, exc)
        raise ExtractionFailed(_("文件已损坏或格式不受支持，无法提取文字")) from exc
    return out.value()
