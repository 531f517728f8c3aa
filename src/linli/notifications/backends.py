"""Delivery backends, one per channel beyond the inbox, chosen in settings (NOTIFICATION_BACKENDS). A backend
knows how to reach a user (`address`) and how to send one rendered message; callers of `services.notify` never see
one, so a WeChat template-message backend is a new class and a settings line.

The real SMS provider is Alibaba Cloud's SMS service (阿里云短信服务, dysmsapi 2017-05-25, action SendSms, RPC
signature version 1.0, HMAC-SHA1): https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
and https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism . See docs/notifications.md."""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from linli.accounts import roles

from .models import OutboxSms

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The provider did not take the message; `retry` says whether trying again later may help."""

    def __init__(self, message: str, *, retry: bool):
        super().__init__(message)
        self.retry = retry


class SmsBackend:
    channel = "sms"

    def address(self, user) -> str:
        if roles.is_resident(user):
            # A resident's number is kept encrypted with their portal account (residents.Resident, reached through
            # its link to the user: notifications sit below the portal), not on the user row.
            resident = getattr(user, "resident", None)
            return resident.phone if resident else ""
        return user.phone or ""

    def send(self, *, address: str, template: str, text: str, params: dict) -> str:
        """Sends and answers the provider's id for the message, or raises SendFailed."""
        raise NotImplementedError


class OutboxBackend(SmsBackend):
    """Keeps every message in a table instead of sending it: the demo's outbox page and the tests read it."""

    def send(self, *, address, template, text, params):
        row = OutboxSms.objects.create(phone=address, text=text)
        logger.info("outbox SMS %s (%s)", row.pk, template)
        return f"outbox-{row.pk}"


def _encode(value: str) -> str:
    # RFC 3986 as the RPC signature asks: only A-Z a-z 0-9 - _ . ~ stay as they are.
    return quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_encode('/')}&{_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend(SmsBackend):
    """阿里云短信 SendSms. Aliyun sends only templates approved in its console: each of our template keys maps to
    a TemplateCode there (settings ALIYUN_SMS["templates"]), and the masked context goes as TemplateParam."""

    def __init__(self, config: dict | None = None):
        self.config = config or settings.ALIYUN_SMS

    def send(self, *, address, template, text, params):
        c = self.config
        code = c["templates"].get(template)
        if not code:
            raise SendFailed(_("模板 %(template)s 未在阿里云短信中配置模板编号") % {"template": template}, retry=False)
        query = {
            "AccessKeyId": c["access_key_id"],
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": address,
            "RegionId": c.get("region", "cn-hangzhou"),
            "SignName": c["sign_name"],
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": code,
            "TemplateParam": json.dumps(params, ensure_ascii=False),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        query["Signature"] = aliyun_signature(query, c["access_key_secret"])
        try:
            response = requests.get(c["endpoint"], params=query, timeout=c.get("timeout", 5))
        except requests.RequestException as exc:
            logger.warning("aliyun SMS: %s", exc)
            raise SendFailed(_("连接短信服务失败：%(name)s") % {"name": type(exc).__name__}, retry=True) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code >= 500:
            logger.warning("aliyun SMS: HTTP %s", response.status_code)
            raise SendFailed(
                _("短信服务暂时不可用（HTTP %(status_code)s）") % {"status_code": response.status_code}, retry=True
            )
        if answer.get("Code") != "OK":
            logger.warning("aliyun SMS refused: %s %s", answer.get("Code"), answer.get("Message"))
            # Flow control answers (isv.BUSINESS_LIMIT_CONTROL …) pass with time; a bad number or template does not.
            retry = "LIMIT" in str(answer.get("Code", ""))
            raise SendFailed(
                f"{answer.get('Code', response.status_code)}：{answer.get('Message', '')}"[:500], retry=retry
            )
        return answer.get("BizId", "")


def backends() -> dict:
    """The configured backend of every channel beyond the inbox: {"sms": OutboxBackend(), …}."""
    return {channel: import_string(path)() for channel, path in settings.NOTIFICATION_BACKENDS.items()}
