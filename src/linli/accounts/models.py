import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A staff account, attached to a region node, or to a department or property company; or a resident's account
    (role resident, no password: they sign in with a code sent to their phone, residents.Resident)."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("所属区域"),
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("所属单位"),
    )  # fmt: skip
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # "退出所有设备" bumps it: every session and API token carries a hash of it (see _get_session_auth_hash).
    login_epoch = models.PositiveIntegerField(_("登录批次"), default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[Role.ADMIN, Role.RESIDENT])
                | models.Q(region__isnull=False)
                | models.Q(organization__isnull=False),
                name="user_attached_to_region_or_organization",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.is_active:
            # Tokens go with the account, so reactivating it later does not bring them back.
            self.api_tokens.all().delete()

    def _get_session_auth_hash(self, secret=None):
        """Django's session auth hash (over the password hash), with the login epoch mixed in.

        Both `get_session_auth_hash` and its SECRET_KEY_FALLBACKS variant go through this method. A session whose
        stored hash no longer matches is flushed by Django, and an API token is refused (ApiToken.is_current): so a
        new password, from whichever path, and "log out everywhere" end both.
        """
        key_salt = "linli.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.login_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """Bearer token for the API. Only a hash is stored; the token is shown once, at login.

    Like a session, a token holds the user's session auth hash from when it was issued, and is refused once that
    changes: a new password or "log out everywhere" ends it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    user_auth_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = _("API令牌")

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, ttl) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            key_hash=cls.hash(key),
            user_auth_hash=user.get_session_auth_hash(),
            expires_at=timezone.now() + ttl,
        )
        return key

    def is_current(self) -> bool:
        return constant_time_compare(self.user_auth_hash, self.user.get_session_auth_hash())


class LoginCode(models.Model):
    """A one-time sign-in code sent to a phone number (the residents' portal). The number and the client's address
    are kept as keyed hashes and the code as a keyed hash of the number and the code: a copy of the table gives
    neither. Rows are kept a day, the longest window the limits count over (residents.login.rules)."""

    phone_hash = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=64, blank=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("登录验证码")
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="logincode_phone_time"),
            models.Index(fields=["ip_hash", "created_at"], name="logincode_ip_time"),
        ]


class LoginCodeFailure(models.Model):
    """A wrong sign-in code, counted for the lockout of the number and the cap on the client's address."""

    phone_hash = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("验证码错误记录")
        indexes = [
            models.Index(fields=["phone_hash", "at"], name="codefailure_phone_time"),
            models.Index(fields=["ip_hash", "at"], name="codefailure_ip_time"),
        ]
