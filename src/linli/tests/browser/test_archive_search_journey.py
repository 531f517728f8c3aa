"""电子台账检索 in Chromium: a community worker searches the archive for a phrase found only inside a .docx's table,
filters by year, and sees the hit marked; another community's document never shows; the page works on a phone."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def _archive(world):
    from linli.archives.models import Box, Category, Item
    from linli.archives.search import services
    from linli.demo.archives import docx_bytes

    category = Category.objects.create(name="本级文件", order=2)
    for region, title in ((world.community_a1, "甲一社区工作事项说明"), (world.community_b1, "乙一社区工作事项说明")):
        box = Box.objects.create(region=region, topic="社区减负", year=2026)
        item = Item(box=box, category=category, region=region, title=title, date=date(2026, 5, 1))
        data = docx_bytes(title, ["本社区严格落实两个清单。"], [["事项", "依据"], ["居住证明", "户口登记条例"]])
        item.file.save("说明.docx", ContentFile(data), save=False)
        item.file_name = "说明.docx"
        item.save()
        services.item_changed(item.pk)


@pytest.fixture
def _index_emptied_after():
    """The flush after a transactional test empties Django's tables, not the index's: empty it too."""
    yield
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archives_search")


def test_a_community_worker_finds_a_phrase_inside_a_word_table(browser_page, world, settings, tmp_path,
                                                                _index_emptied_after):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    _archive(world)
    page = browser_page("community_worker", SMALL_PHONE)
    page.goto("/archives/search/")
    page.get_by_label("检索词").fill("户口登记条例")
    page.get_by_role("button", name="检索").click()
    hits = page.locator(".archive-hits li")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("甲一社区工作事项说明")
    expect(hits.first.locator("mark")).to_have_text("户口登记条例")
    expect(page.locator("main")).not_to_contain_text("乙一社区")
    page.get_by_text("更多条件").click()
    page.get_by_label("年度").select_option("2026")
    page.get_by_role("button", name="检索").click()
    expect(hits).to_have_count(1)
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    assert page.errors == []
