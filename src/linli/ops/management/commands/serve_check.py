"""./linli manage serve_check — what `./linli serve` checks before it starts the server: production keys (not
the development keys of var/keys.env), no pending migration, `check --deploy` clean. Exits non-zero with the
reasons otherwise."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linli.ops import rules

KEYS_FILE = settings.BASE_DIR / "var" / "keys.env"


def _development_keys() -> list[str]:
    configured = dict(
        zip(rules.KEY_NAMES, (settings.SECRET_KEY, ",".join(settings.PII_KEYS), settings.PII_LOOKUP_KEY), strict=True)
    )
    development = rules.parse_env_file(KEYS_FILE.read_text()) if KEYS_FILE.exists() else {}
    return rules.development_keys(configured, development)


def _pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    return [str(migration) for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


class Command(BaseCommand):
    help = "检查能否以生产方式启动：生产密钥、无待执行的数据库迁移、check --deploy 通过。Check before serving."

    def handle(self, *args, **options):
        problems = []
        if keys := _development_keys():
            problems.append(
                f"{', '.join(keys)} 是开发用密钥（与 {KEYS_FILE} 相同）或为空；生产密钥须由环境变量提供"
                f" (development keys: set production keys in the environment, docs/operations.md)"
            )
        if pending := _pending_migrations():
            names = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
            problems.append(
                f"有 {len(pending)} 个数据库迁移尚未执行（{names}），请先执行 migrate"
                " (pending migrations: run migrate first)"
            )
        try:
            call_command("check", deploy=True, fail_level="WARNING")
        except SystemCheckError as exc:
            problems.append(f"check --deploy 未通过 (deployment checks failed):\n{exc}")
        if problems:
            raise CommandError("拒绝启动 (refusing to start):\n- " + "\n- ".join(problems))
        self.stdout.write("可以启动：生产密钥、数据库迁移、部署检查均已通过 (ready to serve)")
