"""Reads of 我的反映: the signed-in resident's own reports, found by their account and by their phone number."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from linli.cases.public import selectors as public

from ..models import Resident


def my_reports(resident: Resident) -> QuerySet:
    """Every case reported with the resident's phone, by any channel, bound or not, and those filed from the
    account: the account is theirs only once the phone's code was entered, so the phone is proof enough."""
    return public.reported_by(account_id=resident.user_id, phone_hash=resident.phone_hash)


def my_report(resident: Resident, pk: int):
    """One of the resident's reports; another's, or none, answers 404 alike."""
    return get_object_or_404(my_reports(resident).select_related("community", "merged_into"), pk=pk)


def progress(case) -> dict:
    return public.progress(case=case)


def my_photo(resident: Resident, pk: int, photo: int):
    """A photo the resident sent with one of their reports, or None."""
    return public.reporter_photos(case=my_report(resident, pk)).filter(pk=photo).first()


def reporters(case) -> list:
    """Who is told of a case's progress: the account it was filed from, else the account of the phone it was
    reported with; nobody for a reporter without an account (they follow it with the tracking code)."""
    if case.reporter_account_id:
        found = Resident.objects.filter(user_id=case.reporter_account_id)
    elif case.reporter_phone_hash:
        found = Resident.objects.filter(phone_hash=case.reporter_phone_hash)
    else:
        return []
    return [r.user for r in found.select_related("user")]
