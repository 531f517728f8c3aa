import secrets

from django.db import transaction

from linli.accounts.models import User
from linli.accounts.roles import Role
from linli.core.pii import lookup_hash

from .models import Resident


@transaction.atomic
def resident_account(phone: str) -> Resident:
    """The account of this phone number, opened on its first sign-in. The username is random: a phone number is
    personal data, and usernames show in logs and the admin."""
    found = Resident.objects.select_for_update().filter(phone_hash=lookup_hash(phone)).first()
    if found:
        return found
    user = User(username=f"r-{secrets.token_hex(6)}", role=Role.RESIDENT)
    user.set_unusable_password()
    user.save()
    return Resident.objects.create(user=user, phone=phone, phone_hash=lookup_hash(phone))
