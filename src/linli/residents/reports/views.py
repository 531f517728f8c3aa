"""我的反映 pages under /portal/reports/: the signed-in resident's reports, each with the tracking page's progress."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.cases.public.forms import RatingForm
from linli.cases.public.rules import rating_answer
from linli.cases.selectors import PHOTO_MAX_AGE
from linli.core.errors import DomainError, ValidationFailed
from linli.core.files import file_response

from .. import selectors as residents
from ..access import resident_required
from . import selectors, services

PAGE_SIZE = 20


@resident_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_reports(residents.resident_of(request.user)), PAGE_SIZE)
    return render(request, "residents/reports/list.html", {"page": page.get_page(request.GET.get("page"))})


def _render(request, case, *, rating_form: RatingForm | None = None, status=200) -> HttpResponse:
    progress = selectors.progress(case)
    context = {
        **progress,
        "code_spaced": f"{case.tracking_code[:5]} {case.tracking_code[5:]}",
        "rating_form": (rating_form or RatingForm()) if progress["rateable"] else None,
        "rate_url": reverse("portal:report_rate", args=[case.pk]),
        "photos": [(reverse("portal:report_photo", args=[case.pk, a.pk]), a) for a in progress["photos"]],
    }
    return render(request, "residents/reports/detail.html", context, status=status)


@resident_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = residents.resident_of(request.user)
    case = selectors.my_report(resident, pk)
    services.report_opened(resident=resident, case=case)
    return _render(request, case)


@resident_required
@require_POST
def report_rate(request: HttpRequest, pk: int) -> HttpResponse:
    resident = residents.resident_of(request.user)
    case = selectors.my_report(resident, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render(request, case, rating_form=form, status=400)
    reopens = case.reopen_count
    try:
        case = services.report_rate(resident=resident, pk=pk, **form.cleaned_data)
    except ValidationFailed as exc:
        form.add_domain_errors(exc.errors)
        return _render(request, case, rating_form=form, status=400)
    except DomainError as exc:  # rated meanwhile, or no longer closed
        messages.error(request, exc.detail)
        return redirect("portal:report", pk=pk)
    level, text = rating_answer(rating=case.rating, reopened=case.reopen_count > reopens)
    messages.add_message(request, getattr(messages, level.upper()), text)
    return redirect("portal:report", pk=pk)


@resident_required
@require_GET
def report_photo(request: HttpRequest, pk: int, photo: int) -> HttpResponse:
    """A photo the resident sent with their own report."""
    found = selectors.my_photo(residents.resident_of(request.user), pk, photo)
    if found is None:
        raise Http404(_("照片不存在"))
    return file_response(found.file, found.content_type, max_age=PHOTO_MAX_AGE)
