"""Production static files: the manifest storage must be able to publish every file the pages use."""

from django.core.management import call_command


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("linli/vendor/leaflet/leaflet.*.js"))


def test_every_page_with_a_map_loads_leaflet_as_text():
    """leaflet-text.js (which makes Leaflet show names as text, see tests/browser/test_map_labels.py) must come right
    after leaflet.js wherever a template loads it."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    leaflet = re.compile(r"""<script src="\{% static 'linli/vendor/leaflet/leaflet\.js' %\}"( defer)?></script>""")
    loads = 0
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        for found in leaflet.finditer(text):
            loads += 1
            after = f"""<script src="{{% static 'linli/leaflet-text.js' %}}"{found.group(1) or ""}></script>"""
            assert text[found.end() :].startswith(after), template
    assert loads >= 7
