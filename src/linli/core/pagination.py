"""The one pagination of the API's lists: `?page=` (bounded) and `?page_size=` (at most 100 unless a list says
otherwise), answering `{"items": [...], "count": N, "count_capped": false}`; and the pages' paginator.

Counts stop at COUNT_CAP. Counting every row of a district's registry (a million persons, a million cases) on each
page costs more than the page itself and grows with the district; a count that stops at the cap costs the same at
any size. Past the cap the API answers count = COUNT_CAP with count_capped true, and the pages say 超过 10000 条 and
ask for a filter; the rows beyond stay reachable through the API's page numbers.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Field
from ninja.pagination import PageNumberPagination

from .schemas import PAGE_MAX, In, PageNumber, Schema

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
COUNT_CAP = 10_000


def capped_count(rows) -> int:
    """How many rows, counting no further than COUNT_CAP + 1 (a queryset, or a list already read)."""
    if not isinstance(rows, QuerySet):
        return len(rows)
    # Neither the order nor the columns of rows that are only counted matter: a sort would read every row, and an
    # annotation (a per-row subquery) would be computed for each.
    return rows.order_by().values("pk")[: COUNT_CAP + 1].count()


class Pages(PageNumberPagination):
    class Input(In):
        page: PageNumber = Field(1, description="页码，从1起")
        # A larger page size is cut to the maximum rather than refused, as clients of the first version expect.
        page_size: int | None = Field(None, ge=1, le=PAGE_MAX, description="每页条数；超过上限（一般为100）按上限")

    class Output(Schema):
        items: list
        count: int = Field(description=f"总条数；超过{COUNT_CAP}条时为{COUNT_CAP}，且count_capped为true")
        count_capped: bool = Field(description=f"结果多于{COUNT_CAP}条，不再精确计数")

    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["count_capped"] = page["count"] > COUNT_CAP
        page["count"] = min(page["count"], COUNT_CAP)
        return page

    def _items_count(self, queryset) -> int:
        return capped_count(queryset)


def _is_first(number) -> bool:
    """Whether Django's get_page would answer page 1 without counting: the number is 1 or not a number at all."""
    try:
        return int(number) == 1
    except (TypeError, ValueError):
        return True


class CappedPaginator(Paginator):
    """Django's paginator over at most COUNT_CAP rows: `capped` says there are more (the pager asks for a filter).

    The first page is read before anything is counted: most lists a user opens (their notices, a plan's tasks, a
    grid's households) fit on it, and a first page that is not full is the whole list, so its length is the count
    and the COUNT query (as costly as the page where the scope's subqueries are evaluated twice) is never sent.
    `counted`, when given, is the same rows in a form cheaper to count (people.selectors.Rows)."""

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = object_list if counted is None else counted

    def get_page(self, number):
        if self.orphans or not self.allow_empty_first_page or not _is_first(number):
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.__dict__["_counted"] = len(rows)
        return self._get_page(rows, 1, self)

    @cached_property
    def _counted(self) -> int:
        return capped_count(self.counted)

    @cached_property
    def count(self) -> int:
        return min(self._counted, COUNT_CAP)

    @cached_property
    def capped(self) -> bool:
        return self._counted > COUNT_CAP
