import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from linli.archives import services


def pdf(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def xlsx(name: str = "报表.xlsx") -> SimpleUploadedFile:
    book, out = Workbook(), io.BytesIO()
    book.active.append(["社区", "场次"])
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def make_box(user, topic: str = "扫黄打非", year: int = 2025, **kwargs):
    return services.box_create(user=user, topic=topic, year=year, **kwargs)


def make_item(user, box, category: str = "工作方案", file=None, **kwargs):
    cats = {c.name: c.pk for c in services.ensure_default_categories()}
    fields = {"title": "2025年扫黄打非工作方案", "date": date(2025, 3, 1), "text": "", "tags": ["扫黄打非"]} | kwargs
    return services.item_create(user=user, box_id=box.pk, category_id=cats[category], file=file, **fields)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
