from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.backups import rules


@pytest.mark.parametrize(
    ("moment", "name"),
    [
        (datetime(2026, 12, 6, 1, 15, 0, tzinfo=UTC), "linli-backup-20261206T011500Z.tar"),
        # 08:30 in Shanghai is 00:30 UTC: names are in UTC whatever the server's zone
        (datetime(2026, 12, 6, 8, 30, 5, tzinfo=timezone(timedelta(hours=8))), "linli-backup-20261206T003005Z.tar"),
    ],
)
def test_archive_names_carry_the_utc_time(moment, name):
    assert rules.archive_name(moment) == name


MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(9999, 1, 1), timezones=st.just(UTC))


@given(MOMENTS, MOMENTS)
def test_archive_names_sort_as_their_times(a, b):
    if a.replace(microsecond=0) < b.replace(microsecond=0):
        assert rules.archive_name(a) < rules.archive_name(b)


@pytest.mark.parametrize(
    ("name", "backed_up"),
    [
        ("cases/2026/11/photo.jpg", True),
        ("campaigns/2026/11/佐证.pdf", True),
        ("jobs/imports/7.xlsx", False),
        ("jobs", False),
        ("cases/jobs/photo.jpg", True),  # only the top-level job directory is transient
        ("jobsheet.pdf", True),
        ("", False),
    ],
)
def test_job_files_stay_out_of_the_backup(name, backed_up):
    assert rules.is_backed_up(name) is backed_up


KNOWN = {("people", "0001_initial"), ("people", "0002_tags"), ("cases", "0001_initial")}


@pytest.mark.parametrize(
    ("archived", "unknown"),
    [
        ({"people": ["0001_initial", "0002_tags"], "cases": ["0001_initial"]}, []),
        ({"people": ["0001_initial"]}, []),  # older than the code: migrate after the restore
        ({"people": ["0001_initial", "0003_more"]}, ["people.0003_more"]),
        ({"stats": ["0001_initial"], "cases": ["0001_initial"]}, ["stats.0001_initial"]),
        ({}, []),
    ],
)
def test_migrations_the_code_does_not_know_are_newer(archived, unknown):
    assert rules.unknown_migrations(archived, KNOWN) == unknown


@pytest.mark.parametrize(
    ("expected", "actual", "problems"),
    [
        ({"a": 1, "b": 0}, {"a": 1, "b": 0}, []),
        ({"a": 1, "b": 2}, {"a": 1, "b": 3}, ["b: 备份中 2 行, 恢复后 3 行"]),
        ({"a": 1, "b": 2}, {"a": 1}, ["b: 缺失 (missing), 备份中 2 行"]),
        ({"a": 1}, {"a": 1, "c": 4}, ["c: 备份中没有此表 (not in the backup), 现有 4 行"]),
    ],
)
def test_every_table_must_count_as_in_the_backup(expected, actual, problems):
    assert rules.count_differences(expected, actual) == problems


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ("pg_dump (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)\n", 15),
        ("pg_restore (PostgreSQL) 17.2\n", 17),
        ("pg_dump (PostgreSQL) 9.6.24\n", 9),
        ("Error: no such cluster\n", None),
    ],
)
def test_the_client_version_is_read_from_its_banner(output, major):
    assert rules.client_major(output) == major


@pytest.mark.parametrize(
    ("versions", "server", "chosen"),
    [
        ({"/usr/bin/pg_dump": 15, "/usr/lib/postgresql/17/bin/pg_dump": 17}, 15, "/usr/lib/postgresql/17/bin/pg_dump"),
        ({"/usr/bin/pg_dump": 15}, 15, "/usr/bin/pg_dump"),
        ({"/usr/lib/postgresql/15/bin/pg_dump": 15, "/usr/bin/pg_dump": 15}, 15, "/usr/lib/postgresql/15/bin/pg_dump"),
        ({"/usr/bin/pg_dump": 14}, 15, None),  # an older pg_dump refuses a newer server
        ({"/usr/bin/pg_dump": None}, 15, None),
        ({}, 15, None),
    ],
)
def test_the_newest_client_not_older_than_the_server_is_chosen(versions, server, chosen):
    assert rules.newest_client(versions, server) == chosen
