"""Signing in to the portal with a code sent by SMS (rules: login/rules.py).

Enumeration-safe: asking for a code never looks the number up. Every well-formed number, with an account or
without, gets the same answer, the same rows and the same SMS (linli.notifications.services.notify_phone); the
account opens on the first right code. Each step counts its limits and writes its row in one transaction, holding
the number and the address (linli.core.locks), so simultaneous requests take turns at the count. Refusals raise
after the commit, so the wrong code they record stays recorded."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts.models import ApiToken, LoginCode, LoginCodeFailure
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import DomainError, FieldError, TooManyRequests, ValidationFailed
from linli.core.locks import hold
from linli.core.pii import lookup_hash
from linli.core.validators import MOBILE_RE, normalize_phone
from linli.notifications.services import notify_phone

from ..models import Resident
from ..services import resident_account
from . import rules

PHONE_WRONG = gettext_lazy("请输入11位手机号码")
CODE_WRONG = gettext_lazy("验证码不正确或已失效，请核对，或重新获取")
CODE_SHAPE = format_lazy(gettext_lazy("请输入短信中的{digits}位数字验证码"), digits=rules.CODE_DIGITS)
LOCKED = gettext_lazy("验证码错误次数过多，该号码已暂停登录，请{}后再试")
ACCOUNT_CLOSED = gettext_lazy("该账号已停用，请联系社区")


def _phone(phone: str) -> str:
    phone = normalize_phone(phone)
    if not MOBILE_RE.fullmatch(phone):  # a code goes by SMS: no fixed lines
        raise ValidationFailed([FieldError("phone", PHONE_WRONG)])
    return phone


def _code_hash(phone: str, code: str) -> str:
    # Keyed with the site's secret: six digits are quickly tried against a plain hash.
    return salted_hmac("linli.residents.login-code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _address_hash(ip: str) -> str:
    return lookup_hash(f"login-ip:{ip}") if ip else ""


def _times(queryset, field: str, now: datetime, window: timedelta) -> list[datetime]:
    return list(queryset.filter(**{f"{field}__gt": now - window}).values_list(field, flat=True))


def _refuse_if_locked(phone_hash: str, now: datetime) -> None:
    failures = _times(LoginCodeFailure.objects.filter(phone_hash=phone_hash), "at", now, rules.LOOKBACK)
    until = rules.locked_until(failures, now)
    if until is not None:
        raise TooManyRequests(LOCKED.format(rules.wait_text(until - now)))


def code_request(*, phone: str, ip: str, now: datetime | None = None) -> None:
    """Sends a sign-in code to `phone`, whether or not it has an account. Refused (429) while the number or the
    address is over its limits, or the number is locked after wrong codes."""
    now = now or timezone.now()
    phone = _phone(phone)
    phone_hash, address = lookup_hash(phone), _address_hash(ip)
    with transaction.atomic():
        hold(f"login-phone:{phone_hash}", *([f"login-ip:{address}"] if address else []))
        _refuse_if_locked(phone_hash, now)
        # The rows no limit counts any more go here, a day's worth at most.
        LoginCode.objects.filter(created_at__lt=now - rules.KEEP).delete()
        LoginCodeFailure.objects.filter(at__lt=now - rules.KEEP).delete()
        sent = _times(LoginCode.objects.filter(phone_hash=phone_hash), "created_at", now, rules.KEEP)
        if wait := rules.wait(rules.CODES_PER_PHONE, sent, now):
            raise TooManyRequests(
                _("验证码发送过于频繁，请%(wait_text)s后再获取") % {"wait_text": rules.wait_text(wait)}
            )
        if address:
            asked = _times(LoginCode.objects.filter(ip_hash=address), "created_at", now, rules.KEEP)
            if wait := rules.wait(rules.CODES_PER_ADDRESS, asked, now):
                raise TooManyRequests(
                    _("您的网络获取验证码过于频繁，请%(wait_text)s后再试") % {"wait_text": rules.wait_text(wait)}
                )
        code = rules.new_code()
        # Only the newest code of a number signs in: the earlier ones are spent.
        LoginCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True).update(used_at=now)
        LoginCode.objects.create(
            phone_hash=phone_hash, ip_hash=address, code_hash=_code_hash(phone, code), created_at=now
        )
        notify_phone(phone, "accounts.login_code", {"code": code})


def code_sign_in(*, phone: str, code: str, ip: str, request=None, now: datetime | None = None) -> Resident:
    """The resident of `phone` once `code` is its newest code, unused and under five minutes old; the account opens
    on the first such sign-in. A wrong code counts toward the number's lockout and the address's cap."""
    now = now or timezone.now()
    phone = _phone(phone)
    code = rules.normalize_code(code)
    if not rules.well_formed(code):
        raise ValidationFailed([FieldError("code", CODE_SHAPE)])
    phone_hash, address = lookup_hash(phone), _address_hash(ip)
    with transaction.atomic():
        hold(f"login-phone:{phone_hash}", *([f"login-ip:{address}"] if address else []))
        _refuse_if_locked(phone_hash, now)
        if address:
            wrong = _times(LoginCodeFailure.objects.filter(ip_hash=address), "at", now, rules.KEEP)
            if wait := rules.wait(rules.FAILURES_PER_ADDRESS, wrong, now):
                raise TooManyRequests(
                    _("验证码错误次数过多，请%(wait_text)s后再试") % {"wait_text": rules.wait_text(wait)}
                )
        latest = (
            LoginCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True).order_by("-created_at", "-pk").first()
        )
        right = (
            latest is not None
            and not rules.expired(latest.created_at, now)
            and constant_time_compare(latest.code_hash, _code_hash(phone, code))
        )
        if right:
            LoginCode.objects.filter(pk=latest.pk).update(used_at=now)
            LoginCodeFailure.objects.filter(phone_hash=phone_hash).delete()
            resident = resident_account(phone)
        else:
            LoginCodeFailure.objects.create(phone_hash=phone_hash, ip_hash=address, at=now)
            failures = _times(LoginCodeFailure.objects.filter(phone_hash=phone_hash), "at", now, rules.LOOKBACK)
            if latest is not None and rules.locked_until(failures, now):
                # The lockout spends the code: after it, a new one has to be asked for.
                LoginCode.objects.filter(pk=latest.pk).update(used_at=now)
    if not right:
        raise ValidationFailed([FieldError("code", CODE_WRONG)])
    if not resident.user.is_active:
        raise DomainError(ACCOUNT_CLOSED)
    # The account's number, not the account: a resident who deletes the account leaves the log as it was.
    audit_record(
        actor=None, action=AuditEntry.Action.LOGIN, object_type="residents.Resident", object_ids=[resident.pk],
        detail="居民验证码登录", request=request,
    )  # fmt: skip
    return resident


def token_sign_in(*, phone: str, code: str, ip: str, request=None) -> str:
    """code_sign_in for an app: a bearer token, as staff get from /auth/login."""
    resident = code_sign_in(phone=phone, code=code, ip=ip, request=request)
    return ApiToken.issue(resident.user, settings.API_TOKEN_TTL)
