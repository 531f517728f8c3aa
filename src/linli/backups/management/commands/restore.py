"""./linli restore ARCHIVE [--force] — the database and the stored files back from a backup, then checked."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from linli.backups import services


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和上传的文件，并按清单核对每张表的行数；需要备份时的 LINLI_PII_KEYS "
        "(restore the database and the stored files, then check every table's count; needs the backup's keys)"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份文件 (the linli-backup-*.tar archive)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库不是空的也恢复，覆盖其中的数据 (overwrite a non-empty database)",
        )

    def handle(self, *args, archive, force, **options):
        try:
            self.stdout.write(f"{archive}\n  {services.describe_created(services.read_manifest(archive))}")
            done = services.restore(archive, force=force)
        except services.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复并核对 (restored and checked): {done.tables} 张表 tables, {done.rows} 行 rows 与备份一致 "
            f"(equal to the backup), {done.files} 个文件 files, 加密字段可以解密 (encrypted fields decrypt), "
            f"{done.seconds:.1f} 秒 s\n如代码比备份新，请接着运行 migrate (run migrate if the code is newer)"
        )
