import pytest
from hypothesis import HealthCheck, settings

from linli.testing import factories

# One Hypothesis profile for the suite: CI runs on shared 2-core machines where a worker may stall for seconds,
# so no per-example deadline and no too-slow health check; example databases are not kept between runs.
settings.register_profile(
    "linli",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("linli")


@pytest.fixture
def world(db):
    """The persona district of linli.testing.factories."""
    return factories.world()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default PBKDF2 costs ~0.3 s per persona; tests check permissions, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production uses whitenoise's manifest storage, which needs `collectstatic` first; pages in tests
    # only need `{% static %}` to resolve.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
