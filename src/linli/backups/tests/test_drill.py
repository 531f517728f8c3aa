"""The restore drill, on whichever database the suite runs (CI: SQLite, then PostgreSQL).

A small demo district with a stored case photo is backed up, restored into another database (another SQLite file,
or another PostgreSQL database created and dropped here) and another media directory, and compared. The demo's
source database is committed (a transactional test): pg_dump is another process and sees committed rows only.
"""

import copy
import io
import json
import os
import stat
import tarfile
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings
from moto import mock_aws

from linli.backups import services
from linli.cases.models import Attachment, CaseEvent
from linli.core import pii
from linli.demo import build
from linli.people.models import Person
from linli.regions.models import GridStaff, Region
from linli.testing import factories
from linli.testing.threads import in_thread

RESTORED = "restored"
PHOTO = os.urandom(3000)  # random bytes: a copy that changed one of them would not compare equal
DRILL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def another_database(tmp_path):
    """A second, empty database of the suite's vendor, reachable as the alias RESTORED, removed afterwards."""
    default = connections["default"]
    config = copy.deepcopy(default.settings_dict)
    if default.vendor == "sqlite":  # the suite's own may be in memory; the drill's target is a file
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        config["NAME"] = f"{default.settings_dict['NAME']}_restored"
        drop = f"DROP DATABASE IF EXISTS {default.ops.quote_name(config['NAME'])} WITH (FORCE)"
        with default.cursor() as cursor:
            cursor.execute(drop)
            cursor.execute(f"CREATE DATABASE {default.ops.quote_name(config['NAME'])}")
    # Made here rather than added to the settings: Django's test cases admit such connections, not unlisted aliases.
    connections[RESTORED] = load_backend(config["ENGINE"]).DatabaseWrapper(config, RESTORED)
    try:
        yield RESTORED
    finally:
        connections[RESTORED].close()
        del connections[RESTORED]
        if default.vendor == "postgresql":
            with default.cursor() as cursor:
                cursor.execute(drop)


def row_counts(alias: str) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def rewritten(archive, tmp_path, change):
    """A copy of the archive whose manifest `change` has edited, the other members as they were."""
    target = tmp_path / f"{change.__name__}-{archive.name}"
    with tarfile.open(archive) as source, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == services.MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return target


@contextmanager
def other_keys():
    pii._fernet.cache_clear()
    try:
        with override_settings(PII_KEYS=[Fernet.generate_key().decode()]):
            yield
    finally:
        pii._fernet.cache_clear()


@DRILL
def test_restore_drill(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Regions, registry and a year of cases (about 1,000 residents, 300 cases); the campaign work would triple the
    # build's time on PostgreSQL and add only more rows of the same kinds.
    build.build(seed=7, scale=0.02, parallel=False, campaigns_too=False)
    event = CaseEvent.objects.select_related("case").order_by("id").first()
    photo = Attachment.objects.create(
        case=event.case,
        event=event,
        file=ContentFile(PHOTO, name="现场照片.jpg"),
        name="现场照片.jpg",
        content_type="image/jpeg",
        size=len(PHOTO),
        width=40,
        height=30,
    )
    default_storage.save("jobs/exports/1.xlsx", ContentFile(b"an export of the registry"))
    person = Person.objects.exclude(id_number="").order_by("id").first()
    media = Path(settings.MEDIA_ROOT)
    # The photo, and the evidence the demo's donation drives stored; never the jobs' exports.
    stored = [p for p in media.rglob("*") if p.is_file() and p.relative_to(media).parts[0] != "jobs"]
    before = row_counts("default")
    assert before["people_person"] > 1000 and before["cases_attachment"] == 1

    archive = services.backup(tmp_path / "backups")

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no temporary file left beside it
    data = archive.read_bytes()
    for key in [django_settings.SECRET_KEY, django_settings.PII_LOOKUP_KEY, *django_settings.PII_KEYS]:
        assert key.encode() not in data
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"files/{photo.file.name}" in names and not any("jobs/" in name for name in names)

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with another_database(tmp_path) as alias:
        done = services.restore(archive, using=alias)

        assert row_counts(alias) == before
        assert (done.tables, done.rows, done.files) == (len(before), sum(before.values()), len(stored))
        assert Person.objects.using(alias).get(pk=person.pk).id_number == person.id_number
        with Attachment.objects.using(alias).get(pk=photo.pk).file.open("rb") as restored:
            assert restored.read() == PHOTO
        assert not default_storage.exists("jobs/exports/1.xlsx")

        with pytest.raises(services.BackupError, match="不是空的"):
            services.restore(archive, using=alias)
        with other_keys(), pytest.raises(services.BackupError, match="LINLI_PII_KEYS 无法解密"):
            services.restore(archive, using=alias, force=True)
        Attachment.objects.using(alias).filter(pk=photo.pk).delete()
        services.restore(archive, using=alias, force=True)
        assert row_counts(alias) == before


@DRILL
def test_a_restore_refuses_before_writing_anything(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    district = factories.region(None, Region.Level.DISTRICT, "210103", "沈河区")
    GridStaff.objects.create(grid=district, duty=GridStaff.Duty.LEADER, name="王五", phone="024-22345678")
    out = io.StringIO()
    call_command("backup", output=tmp_path / "cli", stdout=out)
    (archive,) = (tmp_path / "cli").iterdir()
    assert str(archive) in out.getvalue()
    before = row_counts("default")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(archive), stdout=io.StringIO())

    def newer(manifest):
        manifest["migrations"]["people"].append("9999_from_the_future")

    def postgresql_or_sqlite(manifest):
        manifest["database"]["vendor"] = "postgresql" if manifest["database"]["vendor"] == "sqlite" else "sqlite"

    def corrupt(manifest):
        manifest["members"][manifest["database"]["file"]]["sha256"] = "0" * 64

    refused = [
        (rewritten(archive, tmp_path, newer), "较新的版本.*people.9999_from_the_future"),
        (rewritten(archive, tmp_path, postgresql_or_sqlite), "不能恢复到"),
        (rewritten(archive, tmp_path, corrupt), "校验值不符"),
        (archive, "不是空的"),
    ]
    for changed, message in refused:
        with pytest.raises(services.BackupError, match=message):
            services.restore(changed, using="default", force=message == "校验值不符")
    with other_keys(), pytest.raises(services.BackupError, match="regions_gridstaff.phone"):
        services.restore(archive, using="default", force=True)
    assert row_counts("default") == before


@DRILL
def test_a_row_committed_while_pg_dump_runs_is_neither_in_the_dump_nor_counted(tmp_path, settings, monkeypatch):
    """pg_dump runs in the snapshot the counts were taken in: what others commit meanwhile is in neither."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's online backup copies the database in one step; its counts are the copy's own")
    settings.MEDIA_ROOT = tmp_path / "media"
    district = factories.region(None, Region.Level.DISTRICT, "210103", "沈河区")
    GridStaff.objects.create(grid=district, duty=GridStaff.Duty.LEADER, name="王五")
    run = services._run

    def commit_a_row_first(args, database=None):
        if any(arg.startswith("--snapshot=") for arg in args):
            added = in_thread(lambda: GridStaff.objects.create(grid=district, duty=GridStaff.Duty.WORKER, name="赵六"))
            assert isinstance(added, GridStaff), added
        return run(args, database)

    monkeypatch.setattr(services, "_run", commit_a_row_first)
    archive = services.backup(tmp_path / "backups")

    assert GridStaff.objects.count() == 2
    assert services.read_manifest(archive)["tables"]["regions_gridstaff"] == 1
    with another_database(tmp_path) as alias:
        services.restore(archive, using=alias)
        assert list(GridStaff.objects.using(alias).values_list("name", flat=True)) == ["王五"]


@DRILL
def test_files_on_object_storage_go_through_the_storage_both_ways(settings, tmp_path):
    """With django-storages' S3 backend as the default storage (moto's S3 in this process), as on several nodes."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="linli-backups")
        options = {"bucket_name": "linli-backups", "region_name": "us-east-1", "file_overwrite": False}
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        }

        def stored():
            return {o["Key"] for o in s3.list_objects_v2(Bucket="linli-backups").get("Contents", ())}

        evidence = default_storage.save("honours/2026/11/佐证材料.pdf", ContentFile(PHOTO))
        default_storage.save("jobs/imports/1.xlsx", ContentFile(b"an import waiting for the worker"))
        archive = services.backup(tmp_path / "backups")
        s3.delete_objects(Bucket="linli-backups", Delete={"Objects": [{"Key": key} for key in stored()]})

        with another_database(tmp_path) as alias:
            done = services.restore(archive, using=alias)

        assert done.files == 1 and stored() == {evidence}
        with default_storage.open(evidence, "rb") as restored:
            assert restored.read() == PHOTO
