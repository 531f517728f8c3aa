import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .roles import Role


class User(AbstractUser):
    """A staff account, attached to a region node, or to a department or property company."""

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=Role.ADMIN)
                | models.Q(region__isnull=False)
                | models.Q(organization__isnull=False),
                name="user_attached_to_region_or_organization",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """Bearer token for the API. Only a hash is stored; the token is shown once, at login."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, ttl) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=cls.hash(key), expires_at=timezone.now() + ttl)
        return key
