"""Backups: one tar archive holding the database, the stored files and a manifest; the restore and its checks.

These are the operator's tools (`./linli backup`, `./linli restore`, docs/operations.md): they act on the whole
installation on behalf of whoever can read its environment, keys included, so they check no user's permission.

The archive, `linli-backup-<UTC time>.tar`, mode 600:
- `database.sqlite3` (SQLite's online backup API) or `database.pgdump` (`pg_dump --format=custom`);
- `files/<name>` for every stored file but the transient job files (rules.TRANSIENT_DIRECTORIES);
- `manifest.json`, written last: when, which version and commit, the database vendor, the applied migrations and
  the row count of every table as of the dump's snapshot, the SHA-256 and size of every member, and one stored
  ciphertext per encrypted column, so a restore can tell before it writes anything whether the keys fit.
The keys themselves are never read into it: they live in the environment, not in the database or the storage.
"""

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from linli.backups import rules
from linli.core import pii

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# The libpq environment variables for the connection settings pg_dump and pg_restore need beside the host, port,
# user and password: the password goes by environment, never on a command line that `ps` shows.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """Why a backup or a restore did not happen or did not check out, in Chinese and English."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int
    seconds: float


# --- Backup ------------------------------------------------------------------------------------


def backup(output: Path, *, using: str = "default") -> Path:
    """Write one archive of the database and the stored files into `output`; return its path.

    The archive appears under its final name only when complete (written under a temporary name in the same
    directory, then renamed), so a copy job never picks up half an archive.
    """
    connection = connections[using]
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"不支持的数据库 {connection.vendor} (unsupported database)")
    started = timezone.now()
    output.mkdir(parents=True, exist_ok=True)
    final = output / rules.archive_name(started)
    if final.exists():  # two backups within one second: keep the first rather than replace it
        raise BackupError(f"{final} 已存在，请稍后再试 (already exists; try again in a second)")
    with tempfile.TemporaryDirectory(dir=output, prefix=".linli-backup-") as work:
        dump = Path(work) / DATABASE_FILE[connection.vendor]
        if connection.vendor == "sqlite":
            state, database = _sqlite_backup(connection, dump)
        else:
            state, database = _pg_dump(connection, dump)
        partial = Path(work) / final.name
        members = {}
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                with dump.open("rb") as source:
                    members[dump.name] = _add(tar, dump.name, source, dump.stat().st_size)
                for name in _stored_files():
                    with default_storage.open(name, "rb") as source:
                        members[FILES + name] = _add(tar, FILES + name, source, default_storage.size(name))
                manifest = {
                    "format": FORMAT,
                    "created": started.isoformat(),
                    **_code_version(),
                    "database": {"vendor": connection.vendor, "file": dump.name, **database},
                    **state,
                    "members": members,
                }
                text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                _add(tar, MANIFEST, io.BytesIO(text), len(text))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    _fsync_directory(output)
    return final


def _stored_files(directory: str = ""):
    """The names of the stored files a backup takes, walking the default storage (local disk or S3 alike)."""
    try:
        directories, files = default_storage.listdir(directory)
    except FileNotFoundError:  # nothing stored yet: the media directory does not exist
        return
    for name in sorted(files):
        path = str(PurePosixPath(directory, name))
        if rules.is_backed_up(path):
            yield path
    for name in sorted(directories):
        path = str(PurePosixPath(directory, name))
        if rules.is_backed_up(path):
            yield from _stored_files(path)


def _sqlite_backup(connection, dump: Path) -> tuple[dict, dict]:
    """SQLite's online backup API: a consistent copy while the application goes on writing (WAL readers never
    block writers). The copy, not the live database, is then described, so the counts are the copy's."""
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        state = _describe(copy.cursor(), _sqlite_tables(copy))
    finally:
        copy.close()
    return state, {"server": sqlite3.sqlite_version, "client": f"sqlite3 {sqlite3.sqlite_version} backup API"}


def _sqlite_tables(raw: sqlite3.Connection) -> list[str]:
    return [name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def _pg_dump(connection, dump: Path) -> tuple[dict, dict]:
    """pg_dump inside a snapshot this connection exports, so the manifest's counts are exactly the dump's."""
    server = connection.pg_version // 10000
    program = _pg_program("pg_dump", server)
    with transaction.atomic(using=connection.alias, durable=True), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        state = _describe(cursor, connection.introspection.table_names(cursor))
        _run(
            [program, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", "--no-password"],
            connection.settings_dict,
        )
    return state, {"server": str(connection.pg_version), "client": _run([program, "--version"]).strip()}


def _describe(cursor, tables: list[str]) -> dict:
    """The migration state, every table's row count and one ciphertext per encrypted column, through `cursor`."""
    tables = sorted(t for t in tables if not t.startswith("sqlite_"))
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    samples = {}
    for table, column in _encrypted_columns():
        if counts.get(table):
            cursor.execute(f"SELECT {_quote(column)} FROM {_quote(table)} WHERE {_quote(column)} <> '' LIMIT 1")
            row = cursor.fetchone()
            if row:
                samples[f"{table}.{column}"] = row[0]
    return {"migrations": migrations, "tables": counts, "encrypted_samples": samples}


def _encrypted_columns() -> list[tuple[str, str]]:
    return sorted(
        {
            (model._meta.db_table, field.column)
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if isinstance(field, pii.EncryptedCharField)
        }
    )


def _quote(name: str) -> str:
    """An identifier quoted the SQL standard's way, which SQLite and PostgreSQL share."""
    return '"' + name.replace('"', '""') + '"'


def _code_version() -> dict:
    with (settings.BASE_DIR / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):  # installed from a release tarball: no repository
        commit = None
    return {"version": version, "commit": commit}


class _Hashing:
    """A reader that hashes what passes through it, so each file is read once, on its way into the archive."""

    def __init__(self, source: IO[bytes]):
        self.source, self.sha256 = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.sha256.update(chunk)
        return chunk


def _add(tar: tarfile.TarFile, name: str, source, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    hashing = _Hashing(source)
    tar.addfile(info, hashing)
    return {"sha256": hashing.sha256.hexdigest(), "size": size}


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- PostgreSQL's client programs --------------------------------------------------------------


def _pg_program(name: str, server_major: int) -> str:
    """The newest `name` installed, on PATH or among Debian's versioned binaries, if not older than the server."""
    # Debian's versioned binaries first, so that on a tie they win over the wrapper on PATH, which guesses a cluster.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True) + [shutil.which(name)]
    versions = {path: rules.client_major(_run([path, "--version"])) for path in dict.fromkeys(candidates) if path}
    chosen = rules.newest_client(versions, server_major)
    if chosen is None:
        found = ", ".join(f"{path} ({major})" for path, major in versions.items()) or "none"
        raise BackupError(
            f"找不到版本不低于 {server_major} 的 {name}，请安装 postgresql-client-{server_major} "
            f"(no {name} of version {server_major} or newer; found: {found})"
        )
    return chosen


def _run(args: list[str], database: dict | None = None) -> str:
    """Run a PostgreSQL client program; with `database`, connected to it through libpq's environment variables."""
    env = dict(os.environ)
    if database is not None:
        for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
            if database.get(key):
                env[variable] = str(database[key])
        for option, variable in LIBPQ_OPTIONS.items():
            if database.get("OPTIONS", {}).get(option):
                env[variable] = str(database["OPTIONS"][option])
        env["PGDATABASE"] = database["NAME"]
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(args[0]).name} 失败 (failed, exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


# --- Restore -----------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive) as tar:
            return json.load(tar.extractfile(MANIFEST))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} 不是可用的备份文件 (not a usable backup archive): {exc}") from exc


def restore(archive: Path, *, using: str = "default", force: bool = False) -> Restored:
    """Restore the database and the stored files from `archive`, then check the result against its manifest.

    Refuses before writing anything: an archive of another database vendor or of a newer version (migrations this
    code does not know), an archive whose members do not match their checksums, keys that cannot decrypt the
    archive's personal information, and a target database that holds tables (unless `force`).
    """
    started = time.perf_counter()
    connection = connections[using]
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持 (unsupported archive format)")
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"这是 {vendor} 数据库的备份，不能恢复到 {connection.vendor} "
            f"(a {vendor} backup cannot be restored into {connection.vendor})"
        )
    newer = rules.unknown_migrations(manifest["migrations"], set(MigrationLoader(None).disk_migrations))
    if newer:
        raise BackupError(
            "备份来自较新的版本，请先升级代码再恢复 (the backup was taken by a newer version; upgrade first): "
            + ", ".join(newer)
        )
    _check_decrypts(manifest["encrypted_samples"])
    existing = [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]
    if existing and not force:
        raise BackupError(
            f"目标数据库不是空的（已有 {len(existing)} 张表），恢复会覆盖其中的数据；确认后加 --force "
            f"(the target database is not empty: {len(existing)} tables; add --force to overwrite it)"
        )
    with tarfile.open(archive) as tar, tempfile.TemporaryDirectory(prefix="linli-restore-") as work:
        _verify_members(tar, manifest["members"])
        dump = Path(work) / manifest["database"]["file"]
        with dump.open("wb") as target:
            shutil.copyfileobj(tar.extractfile(manifest["database"]["file"]), target)
        if vendor == "sqlite":
            _sqlite_restore(connection, dump)
        else:
            _pg_restore(connection, dump, clean=bool(existing))
        files = [name for name in manifest["members"] if name.startswith(FILES)]
        for name in files:
            _store(name.removeprefix(FILES), tar.extractfile(name))
    with connection.cursor() as cursor:
        after = _describe(cursor, connection.introspection.table_names(cursor))
    problems = rules.count_differences(manifest["tables"], after["tables"])
    if problems:
        raise BackupError("恢复后的行数与备份不符 (row counts differ from the backup):\n" + "\n".join(problems))
    _check_decrypts(after["encrypted_samples"])
    return Restored(
        tables=len(after["tables"]),
        rows=sum(after["tables"].values()),
        files=len(files),
        seconds=time.perf_counter() - started,
    )


def _check_decrypts(samples: dict[str, str]) -> None:
    for column, token in samples.items():
        try:
            pii.decrypt(token)
        except ValueError as exc:
            raise BackupError(
                f"当前的 LINLI_PII_KEYS 无法解密备份中的个人信息（{column}）：请在环境中设置备份时使用的密钥后重试 "
                f"(the current LINLI_PII_KEYS cannot decrypt the backup's personal information in {column}: "
                "set the keys in use when the backup was taken and try again)"
            ) from exc


def _verify_members(tar: tarfile.TarFile, members: dict[str, dict]) -> None:
    for name, expected in members.items():
        try:
            source = tar.extractfile(name)
        except KeyError:
            raise BackupError(f"备份文件不完整，缺少 {name} (the archive lacks {name})") from None
        digest = hashlib.file_digest(source, "sha256").hexdigest()
        if digest != expected["sha256"]:
            raise BackupError(f"备份文件已损坏：{name} 的校验值不符 (checksum mismatch in {name})")


def _sqlite_restore(connection, dump: Path) -> None:
    """The backup API again, from the archive's copy into the target: it replaces the whole database."""
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_restore(connection, dump: Path, *, clean: bool) -> None:
    """pg_restore in one transaction: a failure leaves the target as it was.

    Ownership and grants are left out: the target's roles need not be the source's, and the restoring role owns
    what it creates.
    """
    program = _pg_program("pg_restore", connection.pg_version // 10000)
    options = ["--clean", "--if-exists"] if clean else []
    database = connection.settings_dict
    connection.close()
    _run(
        [program, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *options]
        + ["--no-password", f"--dbname={database['NAME']}", str(dump)],
        database,
    )


def _store(name: str, source: IO[bytes]) -> None:
    """Put a file back under its own name: a file of that name is replaced, never saved beside it renamed."""
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, File(source, name=PurePosixPath(name).name))
    if saved != name:
        raise BackupError(f"文件 {name} 被存为 {saved} (the storage renamed a restored file)")


def describe_created(manifest: dict) -> str:
    """One line for the operator: when, which version, how much."""
    created = datetime.fromisoformat(manifest["created"])
    rows = sum(manifest["tables"].values())
    files = sum(1 for name in manifest["members"] if name.startswith(FILES))
    return (
        f"{timezone.localtime(created):%Y-%m-%d %H:%M:%S} · {manifest['database']['vendor']} · "
        f"{manifest['version']} {(manifest['commit'] or '')[:12]} · {len(manifest['tables'])} 张表 tables, "
        f"{rows} 行 rows, {files} 个文件 files"
    )
