"""Reads about accounts."""

from .models import User


def user_describe(user: User) -> dict:
    return {
        "username": user.username,
        "name": user.display_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "region": user.region.name if user.region_id else None,
        "organization": user.organization.name if user.organization_id else None,
        "can_view_pii": user.has_perm("people.view_pii"),
    }
