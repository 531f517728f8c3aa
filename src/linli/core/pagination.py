"""The one pagination of the API's lists: `?page=` (bounded) and `?page_size=` (at most 100 unless a list says
otherwise), answering `{"items": [...], "count": N}`."""

from ninja import Field
from ninja.pagination import PageNumberPagination

from .schemas import PAGE_MAX, In, PageNumber

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


class Pages(PageNumberPagination):
    class Input(In):
        page: PageNumber = Field(1, description="页码，从1起")
        # A larger page size is cut to the maximum rather than refused, as clients of the first version expect.
        page_size: int | None = Field(None, ge=1, le=PAGE_MAX, description="每页条数；超过上限（一般为100）按上限")

    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)
