"""The translation catalogue of our JavaScript (docs/accessibility.md, 界面语言与翻译): the strings of
static/linli/*.js marked with gettext(), in the one interface language, for every page (base_plain.html)."""

from django.conf import settings
from django.utils import timezone
from django.views.decorators.cache import cache_page
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

# The catalogue changes only with a deploy, which restarts the process.
STARTED = timezone.now()


class Catalogue(JavaScriptCatalog):
    """Our djangojs catalogue only (locale/), not the admin's or other apps', which no page of ours loads. The
    project is no installed app, so `packages` names it and get_paths finds its catalogues (without packages the
    view would gather every app's)."""

    packages = ["linli"]

    def get_paths(self, packages):
        return settings.LOCALE_PATHS


# The same for every visitor (the language is a setting, not the browser's): kept an hour, in this process's cache
# (a restart starts afresh) and in the browser (max-age), then asked again with If-Modified-Since.
catalogue = last_modified(lambda request: STARTED)(
    cache_page(60 * 60, key_prefix=f"catalogue-{STARTED.timestamp()}")(Catalogue.as_view())
)
