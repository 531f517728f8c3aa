from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """审计日志: who saw or exported which personal data, when and why. Append-only."""

    class Action(models.TextChoices):
        VIEW_PII = "view_pii", _("查看完整个人信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        LOGOUT_ALL = "logout_all", _("退出所有设备")
        ACCOUNT_DELETE = "account_delete", _("注销账号")
        ADMIN = "admin", _("管理操作")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_ids = models.JSONField(_("对象"), default=list)
    count = models.PositiveIntegerField(_("记录数"), default=0)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = _("审计日志")
