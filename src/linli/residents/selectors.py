from django.http import Http404

from .models import Resident


def resident_of(user) -> Resident:
    """The signed-in resident's own record (404 for anyone else: staff have none)."""
    try:
        return Resident.objects.select_related("person").get(user=user)
    except Resident.DoesNotExist:
        raise Http404 from None
