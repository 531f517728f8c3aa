"""社区公告 in the portal (/portal/notices/): the notices addressed to where the resident lives, newest first with
the unread marked, and one notice, which opening marks read."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.pagination import CappedPaginator
from linli.residents.access import resident_required
from linli.residents.selectors import resident_of

from .. import rules, selectors, services

PAGE_SIZE = 20


@resident_required
def notice_list(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request.user)
    page = CappedPaginator(selectors.resident_notices(resident), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, selectors.issuer(n)) for n in page.object_list]
    return render(request, "notices/portal/list.html", {"page": page, "rows": rows, "resident": resident})


@resident_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = services.notice_read(resident=resident_of(request.user), notice_id=pk)
    context = {"notice": notice, "issuer": selectors.issuer(notice), "paragraphs": rules.paragraphs(notice.body)}
    return render(request, "notices/portal/detail.html", context)
