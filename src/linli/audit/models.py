from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """审计日志: who saw or exported which personal data, when and why. Append-only."""

    class Action(models.TextChoices):
        VIEW_PII = "view_pii", "查看完整个人信息"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        PASSWORD_CHANGE = "password_change", "修改密码"
        LOGOUT_ALL = "logout_all", "退出所有设备"
        ACCOUNT_DELETE = "account_delete", "注销账号"
        ADMIN = "admin", "管理操作"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_ids = models.JSONField("对象", default=list)
    count = models.PositiveIntegerField("记录数", default=0)
    purpose = models.CharField("用途", max_length=200, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "审计日志"
