from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import entries, selectors
from .access import resident_required


@resident_required
def home(request: HttpRequest) -> HttpResponse:
    """首页: who the resident is (bound or not) and the entries the modules offer them."""
    resident = selectors.resident_of(request.user)
    return render(request, "residents/home.html", {"resident": resident, "entries": entries.for_resident(resident)})
