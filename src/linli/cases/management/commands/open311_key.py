"""./linli manage open311_key NAME [--contact C] — issue an Open311 key to a civic app; the key is shown once."""

from django.core.management.base import BaseCommand, CommandError

from linli.accounts import roles
from linli.accounts.models import User
from linli.cases.open311 import services
from linli.core.errors import DomainError


class Command(BaseCommand):
    help = "为Open311应用发放接入密钥（只显示一次）。Issue an Open311 API key; it is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("name", help="应用名称 (the client application's name)")
        parser.add_argument("--contact", default="", help="联系人 (contact person)")

    def handle(self, *args, name, contact, **options):
        # Keys are issued by an administrator; the command acts as the first one, so the issue is attributable.
        admin = User.objects.filter(roles.admin_q(), is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError("没有可用的系统管理员账号，请先创建 (no active administrator: create one first)")
        try:
            key_row, key = services.key_issue(user=admin, name=name, contact=contact)
        except DomainError as exc:
            messages = "；".join(e.message for e in exc.errors) or exc.detail
            raise CommandError(messages) from exc
        self.stdout.write(f"已为「{key_row.name}」发放Open311密钥 (key #{key_row.pk} issued as {admin.username})：")
        self.stdout.write(key)
        self.stdout.write(
            self.style.WARNING("密钥只显示这一次，请立即交给对方妥善保存 (shown only now: only its hash is stored)")
        )
