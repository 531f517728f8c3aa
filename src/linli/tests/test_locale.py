"""The admin site reads Chinese throughout: the committed catalogues (locale/) say what their .po files say,
and the admin's index names every app and model in Chinese, third-party ones included."""

import re
from pathlib import Path

import lxml.html
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"
ENTRY = re.compile(r'(?:msgctxt "([^"]*)"\n)?msgid "([^"]+)"\nmsgstr "([^"]*)"')
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
NAMES = re.compile(r"Open311|API")  # names, not words to translate


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    """zh_Hans: the Chinese of third-party apps' English; zh_Hant: our own strings (./linli messages)."""
    entries = ENTRY.findall((LOCALE / language / "LC_MESSAGES" / "django.po").read_text())
    assert len(entries) > 40
    with translation.override(translation.to_language(language)):
        said = [
            (translation.pgettext(context, msgid) if context else translation.gettext(msgid), msgstr)
            for context, msgid, msgstr in entries
        ]
    assert [got for got, _ in said] == [want for _, want in said]


def test_the_admin_index_names_every_app_and_model_in_chinese(client, world):
    client.force_login(world.users["admin"])
    page = lxml.html.fromstring(client.get("/admin/").content.decode())
    words = [
        " ".join(e.text_content().split())
        for e in page.xpath("//div[@id='content-main']//*[self::th or self::caption or self::a]")
    ]
    assert words and [w for w in words if LATIN_WORD.search(NAMES.sub("", w))] == []


def test_every_admin_list_heads_its_columns_in_chinese(client, world):
    from django.contrib import admin

    client.force_login(world.users["admin"])
    english = {}
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        page = lxml.html.fromstring(client.get(url).content.decode())
        heads = [" ".join(th.text_content().split()) for th in page.xpath("//table[@id='result_list']//thead//th")]
        heads += [" ".join(h.text_content().split()) for h in page.xpath("//div[@id='changelist-filter']//summary")]
        latin = [h for h in heads if LATIN_WORD.search(NAMES.sub("", h))]
        if latin:
            english[url] = latin
    assert english == {}


def test_the_compiled_scripts_catalogue_says_what_its_po_file_says():
    """djangojs: the strings of our JavaScript (./linli messages), served by /jsi18n/; a string may run over several
    quoted lines ("{b}\\n" "{c}人")."""
    import ast
    import gettext

    po = (LOCALE / "zh_Hant" / "LC_MESSAGES" / "djangojs.po").read_text()
    entries = [
        ["".join(ast.literal_eval(line) for line in text.splitlines()) for text in entry]
        for entry in re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', po, re.M)
    ][1:]  # the header
    assert len(entries) > 150 and all(msgstr for _, msgstr in entries)
    compiled = gettext.translation("djangojs", LOCALE, ["zh_Hant"])
    assert [compiled.gettext(msgid) for msgid, _ in entries] == [msgstr for _, msgstr in entries]
