"""Rebuilds the archive's full-text index in this process: every item's file read again and its words written
(`--pending`: only the items still 待索引, e.g. after the worker was stopped)."""

from django.core.management.base import BaseCommand

from linli.archives.search import services


class Command(BaseCommand):
    help = "重建电子台账全文索引（--pending 只处理待索引的条目）"

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="只处理待索引的条目")

    def handle(self, *args, pending=False, **options):
        counts = services.reindex(pending_only=pending)
        self.stdout.write(f"已索引 {counts['indexed']} 条，无法提取文字 {counts['failed']} 条")
