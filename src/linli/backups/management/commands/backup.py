"""./linli backup [--output DIR] — one archive of the database and the stored files (docs/operations.md, Backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from linli.backups import services


class Command(BaseCommand):
    help = "备份数据库和上传的文件（不含密钥）(back up the database and the stored files, never the keys)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=settings.BACKUP_DIR, help="备份目录 (where the archive goes)"
        )

    def handle(self, *args, output, **options):
        try:
            archive = services.backup(output)
        except services.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = services.read_manifest(archive)
        self.stdout.write(f"{archive}\n  {services.describe_created(manifest)}")
