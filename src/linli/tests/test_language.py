"""One language per page (docs/accessibility.md, 界面语言与翻译): the interface speaks LANGUAGE_CODE whatever the
browser asks, Django's own messages, the admin and the API included; the frame's strings are marked, so another
language is a catalogue only (locale/zh_Hant, made by `./linli messages`)."""

import ast
import re

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
LATIN_WORDS = re.compile(r"\b[A-Za-z]{3,}(?: [A-Za-z]{2,})+\b")  # "Enter a whole number", "Site administration"


def _visible_text(html: str) -> str:
    """The page's words, without tags, attributes, scripts and styles."""
    import lxml.html

    page = lxml.html.fromstring(html)
    for node in page.xpath("//script|//style"):
        node.drop_tree()
    return " ".join(page.text_content().split())


def _said(client, world):
    """What a community worker's form, a missing page, the admin and the API say when they refuse."""
    client.force_login(world.users["community_worker"])
    form = client.post(reverse("archives:box_create"), {"topic": "文明城区", "year": "二〇二五"}, headers=ENGLISH)
    missing = client.get("/no-such-page/", headers=ENGLISH)
    api = client.get("/api/v1/notifications/messages?page=first", headers=ENGLISH)
    client.force_login(world.users["admin"])
    admin = client.get("/admin/", headers=ENGLISH)
    return form, missing, api, admin


def test_a_browser_that_asks_for_english_gets_the_one_language_everywhere(client, world):
    assert "en" not in dict(settings.LANGUAGES) and not any("LocaleMiddleware" in m for m in settings.MIDDLEWARE)
    form, missing, api, admin = _said(client, world)

    assert form.status_code == 400 and '<html lang="zh-hans">' in form.content.decode()
    assert "输入整数。" in _visible_text(form.content.decode())  # Django's own message, in Chinese
    assert "未找到该页面或记录" in missing.content.decode() and missing.status_code == 404
    assert api.status_code == 400
    assert api.json() == {
        "detail": "提交的数据有误，请按提示修改",
        "errors": [{"field": "page", "message": "应为整数"}],
    }
    assert "站点管理" in admin.content.decode() and "Content-Language" not in admin.headers
    for response in (form, missing, admin):
        assert LATIN_WORDS.findall(_visible_text(response.content.decode())) == []


def test_the_language_is_a_setting_and_a_catalogue_changes_the_frame(client, world):
    with override_settings(LANGUAGE_CODE="zh-hant"):
        form, missing, api, admin = _said(client, world)
        staff_page = client.get(reverse("account")).content.decode()
    text = _visible_text(form.content.decode())
    assert '<html lang="zh-hant">' in form.content.decode()
    assert "社區治理綜合信息平臺" in text and "輸入整數" in text  # our frame (locale/zh_Hant) and Django's own
    assert "未找到該頁面或記錄" in missing.content.decode()
    assert api.json()["errors"] == [{"field": "page", "message": "應為整數"}]
    assert "網站管理" in admin.content.decode() or "站台管理" in admin.content.decode()
    assert "賬戶與安全" in staff_page and "退出所有設備" in staff_page
    # back to the default once the setting is
    assert "账户与安全" in client.get(reverse("account")).content.decode()


MARKED = re.compile(
    r'\{%\s*translate\s+"[^"]*"\s*%\}|\{%\s*blocktranslate\b.*?%\}.*?\{%\s*endblocktranslate\s*%\}|_\("[^"]*"\)'
    r"|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
    re.S,
)
CHINESE_WORD = re.compile(r"[^\s<>\"{}]*[\u4e00-\u9fff][^\s<>\"{}]*")


def test_no_template_says_a_word_that_is_not_marked_for_translation():
    """Every Chinese word of every page goes through the catalogue: {% translate %}, {% blocktranslate %}, or _("…")
    for a tag's or a filter's argument (date formats such as Y年n月j日 included) and in the Jinja2 rows."""
    root = settings.BASE_DIR / "src" / "linli"
    unmarked = {
        str(path.relative_to(root)): CHINESE_WORD.findall(MARKED.sub("", path.read_text()))
        for path in [*root.glob("**/templates/**/*.html"), *root.glob("**/jinja2/**/*.html")]
    }
    assert len(unmarked) > 200
    assert {name: words for name, words in unmarked.items() if words} == {}


GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext", "format_lazy"}
LABEL_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label", "placeholder"}
MESSAGE_CALLS = {"PermissionDenied", "Conflict", "TooManyRequests", "Http404", "forbidden", "add_error"}
MESSAGE_METHODS = {"success", "error", "warning", "info"}  # django.contrib.messages
# Operator-facing, bilingual by design (Chinese with the English in brackets), and sample data: not interface text.
NOT_INTERFACE = ("backups/", "demo/", "management/", "settings.py")


def _says_chinese(node) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[\u4e00-\u9fff]", node.value))
    return isinstance(node, ast.JoinedStr) and any(map(_says_chinese, node.values))


def _name(func) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _unmarked_messages(tree) -> list[int]:
    """Lines where a label, a choice's label or a message shown to a user is Chinese outside gettext."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) not in GETTEXT:
            name = _name(node.func)
            said = [k.value for k in node.keywords if k.arg in LABEL_KEYWORDS]
            if name.endswith("Error") and name != "CommandError" or name in MESSAGE_CALLS:
                said += [*node.args, *(k.value for k in node.keywords)]
            if name in MESSAGE_METHODS and _name(getattr(node.func, "value", None)) == "messages":
                said += node.args[1:]
            if name.endswith("Field") and _name(getattr(node.func, "value", None)) == "models" and node.args:
                said.append(node.args[0])  # a model field's verbose_name
            found += [n.lineno for n in said if _says_chinese(n)]
        if isinstance(node, ast.ClassDef) and any("Choices" in ast.unparse(b) for b in node.bases):
            found += [
                s.lineno
                for s in node.body
                if isinstance(s, ast.Assign) and isinstance(s.value, ast.Tuple) and _says_chinese(s.value.elts[-1])
            ]
    return found


def test_no_module_shows_a_label_or_a_message_that_is_not_marked_for_translation():
    """Field and form labels, help texts, choices' labels, and the messages of errors, refusals and notices go
    through gettext (gettext_lazy where Django reads them at import). Data (the seeds' lists, sample names), API
    documentation and operators' bilingual messages are not interface text: docs/accessibility.md."""
    root = settings.BASE_DIR / "src" / "linli"
    unmarked = {}
    for path in root.glob("**/*.py"):
        name = str(path.relative_to(root))
        if "tests/" in name or "migrations/" in name or name.startswith(("testing/", *NOT_INTERFACE)):
            continue
        if "/management/" in name:
            continue
        if lines := _unmarked_messages(ast.parse(path.read_text())):
            unmarked[name] = lines
    assert unmarked == {}


# Our scripts: every Chinese string literal is the argument of gettext() (interpolate() takes a gettext() format),
# so /jsi18n/ (core/catalogue.py, djangojs) translates it. Comments and regular expressions are not strings.
SCRIPTS = sorted(p for p in (settings.BASE_DIR / "src/linli/static/linli").rglob("*.js") if "vendor" not in p.parts)
JS_TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|`(?:\\.|[^`\\])*`', re.S)
HAN = re.compile(r"[\u3400-\u9fff]")


def test_our_scripts_say_nothing_that_is_not_marked_for_translation():
    unmarked = {}
    for script in SCRIPTS:
        text = script.read_text()
        for token in JS_TOKEN.finditer(text):
            literal = token.group(0)
            if literal[0] in "\"'`" and HAN.search(literal) and not text.endswith("gettext(", 0, token.start()):
                unmarked.setdefault(script.name, []).append(literal)
    assert len(SCRIPTS) > 20 and unmarked == {}


def _catalogue(client):
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200 and response["Content-Type"] == 'text/javascript; charset="utf-8"'
    return response


def test_the_scripts_catalogue_is_public_cached_and_follows_the_setting(client, world):
    """Anonymous (the public report's scripts need it) and residents too; kept by the browser for an hour."""
    import json

    from linli.testing import factories

    source = _catalogue(client)
    assert "max-age=3600" in source["Cache-Control"] and source.has_header("Last-Modified") and not source.cookies
    assert "django.gettext" in source.content.decode()  # the source language: no catalogue, the msgids as they are
    with override_settings(LANGUAGE_CODE="zh-hant"):
        traditional = _catalogue(client).content.decode()
    assert json.dumps("查看數據表") in traditional  # charts.js, from locale/zh_Hant/.../djangojs.po
    assert '"Now"' not in traditional  # the admin's catalogue (Django's zh_Hant has it) is not ours to send
    assert json.dumps("查看數據表") not in _catalogue(client).content.decode()

    client.force_login(factories.resident("13900001111").user)
    _catalogue(client)
    client.force_login(world.users["street_staff"])
    _catalogue(client)


def test_every_page_loads_the_catalogue_before_our_scripts(client, db):
    page = client.get(reverse("report:report")).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts[0] == reverse("javascript-catalog") and len(scripts) > 2
