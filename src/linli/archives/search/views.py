"""The archive's search page (/archives/search/): a query, optional filters (category, year, region, one box), the
hits of the user's scope best first with their marked snippets. Thin: the API's selector."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import forbidden

from . import selectors
from .forms import SearchForm


@login_required
def search(request: HttpRequest) -> HttpResponse:
    try:
        choices = selectors.filter_choices(user=request.user, box=request.GET.get("box"))
    except PermissionDenied as exc:
        return forbidden(request, exc)
    form = SearchForm(request.GET or None, categories=choices.categories, years=choices.years,
                      regions=choices.regions)  # fmt: skip
    results, status = None, 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        filters = selectors.Filters(box=choices.box.pk if choices.box else None, category=data["category"],
                                    year=data["year"], region=data["region"])  # fmt: skip
        page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        try:
            results = selectors.search(user=request.user, query=data["q"], filters=filters, page=min(page, 10**6))
        except DomainError as exc:
            form.add_error("q", exc.errors[0].message if exc.errors else exc.detail)
            status = 400
    elif form.is_bound and form.errors:
        status = 400
    return render(request, "archives_search/search.html",
                  {"form": form, "results": results, "box": choices.box}, status=status)  # fmt: skip
