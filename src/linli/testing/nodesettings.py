"""Settings of the application nodes that src/linli/tests/test_nodes.py starts: production's, except that static
files are looked up where they lie, since the test collects none (the manifest storage refuses to render a page
without `collectstatic`)."""

from linli.settings import *  # noqa: F403
from linli.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
