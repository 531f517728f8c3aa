"""Archive search under /api/v1/archives/search: the items of the user's scope that hold the query's words, ranked,
with marked snippets. Thin: the selector reads."""

from ninja import Query, Router

from . import selectors
from .schemas import ArchiveSearchIn, SearchOut

router = Router(tags=["archives"])


def hit_out(hit: selectors.Hit) -> dict:
    item = hit.item
    return {
        "id": item.pk, "title": item.title, "title_html": str(hit.title), "snippet_html": str(hit.snippet),
        "rank": hit.rank, "box_id": item.box_id, "box": str(item.box), "box_region": item.box.region.name,
        "category": item.category.name, "region": item.region.name, "date": item.date,
        "tags": [str(t) for t in item.tags or ()], "file_name": item.file_name, "index_state": item.index_state,
    }  # fmt: skip


@router.get("", response=SearchOut, summary="电子台账全文检索：标题、正文、标签和附件文字（本辖区）")
def search(request, params: Query[ArchiveSearchIn]):
    filters = selectors.Filters(box=params.box, category=params.category, year=params.year, region=params.region)
    found = selectors.search(user=request.user, query=params.q, filters=filters, page=params.page)
    return {"query": found.query, "terms": [t.word for t in found.terms], "page": found.page,
            "has_next": found.has_next, "items": [hit_out(h) for h in found.hits]}  # fmt: skip
