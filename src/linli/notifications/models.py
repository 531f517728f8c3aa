from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.pii import EncryptedCharField, mask_phone

from . import rules

Channel = models.TextChoices("Channel", [(k, (k, v)) for k, v in rules.CHANNELS.items()])
Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.KINDS.items()])


class Message(models.Model):
    """An in-app message to one user, with its read mark."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    template = models.CharField(_("模板"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=200, blank=True)
    # What the message is about ("campaigns.notice:12"), so the module that sent it can mark it read when its
    # own page is opened.
    subject = models.CharField(_("关联对象"), max_length=60, blank=True, db_index=True)
    created_at = models.DateTimeField(_("发送时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["user", "read_at"], name="message_user_unread")]


class Preference(models.Model):
    """A user's choice of channels for one kind of message; without a row the templates' defaults apply."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    channels = models.JSONField(_("接收渠道"), default=list)

    class Meta:
        verbose_name = verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]


class Delivery(models.Model):
    """The delivery log: one row per message and channel, whatever became of it."""

    Status = models.TextChoices(
        "Status",
        [("queued", "待发送"), ("sent", "已发送"), ("failed", "发送失败"), ("limited", "超出频率限制")],
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    template = models.CharField(_("模板"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    provider_id = models.CharField(_("服务商回执号"), max_length=100, blank=True)
    error = models.CharField(_("错误信息"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("发送记录")
        indexes = [models.Index(fields=["user", "channel", "created_at"], name="delivery_user_channel_time")]


class OutboxSms(models.Model):
    """Every SMS the outbox backend 'sent': the demo and the tests read codes and messages here."""

    phone = EncryptedCharField(_("手机号"))
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = _("短信发件箱")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
