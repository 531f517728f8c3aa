"""What a backup holds and when a restore may go ahead: pure rules, no Django (docs/operations.md, Backups)."""

import re
from datetime import UTC, datetime
from pathlib import PurePosixPath

ARCHIVE_PREFIX = "linli-backup-"
ARCHIVE_SUFFIX = ".tar"
# Import uploads (deleted when the import ends) and export files (deleted a day after they were made) are transient
# copies of the registry, the export unmasked: the database already holds what they hold, so they stay out.
TRANSIENT_DIRECTORIES = frozenset({"jobs"})


def archive_name(moment: datetime) -> str:
    """linli-backup-20261206T011500Z.tar: in UTC, so names sort by time whatever the server's zone."""
    return f"{ARCHIVE_PREFIX}{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}"


def is_backed_up(name: str) -> bool:
    """Whether a stored file (a storage name such as cases/2026/11/photo.jpg) goes into the backup."""
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] not in TRANSIENT_DIRECTORIES


def unknown_migrations(archived: dict[str, list[str]], known: set[tuple[str, str]]) -> list[str]:
    """The archive's applied migrations this code does not have: it was taken by a newer version."""
    return sorted(f"{app}.{name}" for app, names in archived.items() for name in names if (app, name) not in known)


def count_differences(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Each table whose row count differs from the manifest's, missing, or not in the backup at all."""
    problems = []
    for table in sorted(expected.keys() | actual.keys()):
        if table not in actual:
            problems.append(f"{table}: 缺失 (missing), 备份中 {expected[table]} 行")
        elif table not in expected:
            problems.append(f"{table}: 备份中没有此表 (not in the backup), 现有 {actual[table]} 行")
        elif expected[table] != actual[table]:
            problems.append(f"{table}: 备份中 {expected[table]} 行, 恢复后 {actual[table]} 行")
    return problems


def client_major(version_output: str) -> int | None:
    """The major version `pg_dump --version` prints: "pg_dump (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)" → 15."""
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    return int(found.group(1)) if found else None


def newest_client(versions: dict[str, int | None], server_major: int) -> str | None:
    """Of the client programs found (path → major version), the newest, if it is at least the server's version.

    pg_dump refuses a newer server, and an older pg_restore cannot read a newer pg_dump's archive. Of equal
    versions the first listed wins.
    """
    usable = {path: major for path, major in versions.items() if major is not None and major >= server_major}
    return max(usable, key=lambda path: usable[path]) if usable else None
