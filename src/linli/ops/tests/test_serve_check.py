"""serve_check, what `./linli serve` runs before it starts the server."""

import os
import subprocess

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder

from linli.ops import rules
from linli.ops.management.commands import serve_check

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECRET_KEY": "0P7pI3r9Lw-kT2vX8qN5sZ1uY4aB6cD0eF2gH4jK6mN8pQ0rS2tU4vW6xY8zA0bC2dE4",
    "PII_KEYS": [Fernet.generate_key().decode()],
    "PII_LOOKUP_KEY": "kY2x8QwLm4Rt6Zp0Vn3Bs5Hd7Jf9Gc1A",
    "DEBUG": False,
    "ALLOWED_HOSTS": ["linli.example.gov.cn"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@pytest.fixture
def development_keys(tmp_path, monkeypatch, settings):
    """A var/keys.env holding the keys the settings use now, as ./linli demo and ./linli test have it."""
    keys = tmp_path / "keys.env"
    keys.write_text(
        f"LINLI_SECRET_KEY={settings.SECRET_KEY}\nLINLI_PII_KEYS={','.join(settings.PII_KEYS)}\n"
        f"LINLI_PII_LOOKUP_KEY={settings.PII_LOOKUP_KEY}\n"
    )
    monkeypatch.setattr(serve_check, "KEYS_FILE", keys)


def refusal(**options) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("serve_check", **options)
    return str(refused.value)


def test_development_keys_are_refused(development_keys, settings):
    for name, value in PRODUCTION.items():
        if name not in ("SECRET_KEY", "PII_KEYS", "PII_LOOKUP_KEY"):
            setattr(settings, name, value)
    message = refusal()
    assert "拒绝启动" in message and ", ".join(rules.KEY_NAMES) in message
    assert "迁移" not in message and "check --deploy" not in message  # nothing else is wrong


def test_a_pending_migration_is_refused(development_keys, settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    MigrationRecorder.Migration.objects.filter(app="ops", name="0001_initial").delete()
    message = refusal()
    assert "1 个数据库迁移尚未执行（ops.0001_initial）" in message and "密钥" not in message


def test_failing_deployment_checks_are_refused(development_keys, settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    settings.SECURE_SSL_REDIRECT = False  # LINLI_SECURE not set
    message = refusal()
    assert "check --deploy" in message and "security.W008" in message


def test_a_production_environment_is_accepted(development_keys, settings, capsys):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    call_command("serve_check")
    assert "可以启动" in capsys.readouterr().out


def test_serve_refuses_without_production_keys_in_the_environment(tmp_path):
    """`./linli serve` reads no var/keys.env: without the keys in the environment it stops before Django starts."""
    root = settings.BASE_DIR
    env = {name: value for name, value in os.environ.items() if name not in rules.KEY_NAMES}
    done = subprocess.run(
        [root / "linli", "serve"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 1
    assert "LINLI_SECRET_KEY is not set; production keys come from the environment" in done.stderr
