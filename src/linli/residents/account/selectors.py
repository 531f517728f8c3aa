from ..models import Consent, Resident
from . import rules


def consent_current(resident: Resident) -> Consent | None:
    """The resident's agreement to the notice in force, or None."""
    return Consent.objects.filter(resident=resident, version=rules.NOTICE_VERSION).first()


def has_consented(user) -> bool:
    return Consent.objects.filter(resident_id=user.pk, version=rules.NOTICE_VERSION).exists()
