"""Searching the archive: the items of the user's scope whose title, text, tags or file text hold the query's words,
best first, with their snippets marked.

One ranked query: the index (SQLite FTS5 MATCH ranked by bm25, title words weighing four times the body's; or
PostgreSQL's tsvector @@ tsquery ranked by ts_rank) joined to the items the user may read, selecting the page's ids
and ranks alone (a sort of every match carries nothing else); then the page's items with their boxes, categories
and regions: two queries whatever the number of hits. Pages are read one row ahead (`has_next`), with no count of
every hit.
"""

import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from linli.accounts import scope
from linli.archives.models import Box, Category, Item
from linli.archives.selectors import box_queryset, check_reader, item_queryset
from linli.core.errors import FieldError, ValidationFailed
from linli.core.schemas import ID_MAX, whole_number
from linli.regions.models import Region

from . import words
from .services import TABLE

PAGE_SIZE = 20
MAX_PAGE = 50  # a thousand hits: past that a query wants another word or a filter
QUERY_MAX = 100
SNIPPET = 60  # characters on each side of the first hit


@dataclass
class Filters:
    box: int | None = None
    category: int | None = None
    year: int | None = None
    region: int | None = None  # the items about this region or a place below it


@dataclass
class Hit:
    item: Item
    rank: float
    title: SafeString
    snippet: SafeString


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    terms: list[words.Term] = field(default_factory=list)


def _scoped(user, filters: Filters) -> QuerySet:
    items = item_queryset(user=user)
    if filters.box:
        items = items.filter(box_id=filters.box)
    if filters.category:
        items = items.filter(category_id=filters.category)
    if filters.year:
        items = items.filter(box__year=filters.year)
    if filters.region:
        place = Region.objects.filter(pk=filters.region).values_list("path", flat=True).first()
        items = scope.within(items, place, "region") if place is not None else items.none()
    return items


def ranked(items: QuerySet, terms: list[words.Term]) -> QuerySet:
    """`items` that hold the terms, best first, each with its `rank` (higher is better): the index table joined to
    the items, so the database starts from the full-text match and reads only the matching items."""
    if connection.vendor == "sqlite":
        found = items.extra(  # noqa: S610 - the query is a parameter; the SQL around it is fixed
            tables=[TABLE],
            where=[f"{TABLE}.rowid = archives_item.id", f"{TABLE} MATCH %s"],
            params=[words.fts5_query(terms)],
            select={"rank": f"-bm25({TABLE}, 4.0, 1.0)"},
        )
    else:
        found = items.extra(  # noqa: S610 - as above
            tables=[TABLE],
            where=[f"{TABLE}.item_id = archives_item.id", f"{TABLE}.vector @@ to_tsquery('simple', %s)"],
            params=[words.tsquery(terms)],
            select={"rank": f"ts_rank({TABLE}.vector, to_tsquery('simple', %s))"},
            select_params=[words.tsquery(terms)],
        )
    return found.order_by("-rank", "pk")


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("q", message)], detail=message)


def search(*, user, query: str, filters: Filters | None = None, page: int = 1) -> Results:
    """One page of the user's hits for `query` (ValidationFailed for a query without a word to look for)."""
    check_reader(user)
    query = (query or "").strip()
    if len(query) > QUERY_MAX:
        raise _refused(gettext("检索词不能超过%(QUERY_MAX)s个字") % {"QUERY_MAX": QUERY_MAX})
    terms = words.query_terms(query)
    if not terms:
        raise _refused(gettext("请输入要检索的字词"))
    page = max(1, min(page, MAX_PAGE))
    # The page's ids first (the sort carries only ids and ranks), then those items with their names.
    page_ids = list(
        ranked(_scoped(user, filters or Filters()), terms).values_list("pk", "rank")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    shown = page_ids[:PAGE_SIZE]
    items = Item.objects.select_related("box__region", "category", "region").in_bulk([pk for pk, _ in shown])
    marks = _marker(words.highlight_words(terms))
    hits = [
        Hit(item=items[pk], rank=float(rank), title=_mark(items[pk].title, marks), snippet=_snippet(items[pk], marks))
        for pk, rank in shown
        if pk in items
    ]
    return Results(query=query, hits=hits, page=page, has_next=len(page_ids) > PAGE_SIZE, terms=terms)


def _marker(marked: list[str]) -> re.Pattern | None:
    return re.compile("|".join(re.escape(w) for w in marked), re.IGNORECASE) if marked else None


def _mark(text: str, marks: re.Pattern | None) -> SafeString:
    """`text` escaped, the query's words in <mark>."""
    if marks is None:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped above
    spans: list[list[int]] = []
    for m in marks.finditer(text):
        if spans and spans[-1][1] == m.start():  # words next to each other: one mark (户口登记条例, not three)
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    out, at = [], 0
    for start, end in spans:
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def _snippet(item: Item, marks: re.Pattern | None) -> SafeString:
    """The passage of the item's text (or its file's) around the first of the query's words, marked; else the
    text's start."""
    for text in (item.text, item.file_text):
        if text and marks is not None and (m := marks.search(text)):
            start, end = max(0, m.start() - SNIPPET), min(len(text), m.end() + SNIPPET)
            passage = " ".join(text[start:end].split())
            return mark_safe(("…" if start else "") + _mark(passage, marks) + ("…" if end < len(text) else ""))  # noqa: S308
    text = " ".join((item.text or item.file_text or "")[: 2 * SNIPPET].split())
    return mark_safe(html.escape(text))  # noqa: S308 - escaped


@dataclass
class Choices:
    categories: list[tuple[int, str]]
    years: list[int]
    regions: list[tuple[int, str]]
    box: Box | None


REGION_CHOICES = 200


def filter_choices(*, user, box=None) -> Choices:
    """What the search page offers to narrow by: the categories of the user's district, the years of the boxes in
    scope, the streets and communities in scope, and the box named by `box` (an id) if the user may read it."""
    check_reader(user)
    path = scope.region_path(user)
    own = Q(district__isnull=True)
    if path == "":
        own = Q()
    elif path:
        own |= Q(district__in=scope.ancestors_or_self(path)) | scope.in_subtree("district", path)
    categories = list(Category.objects.filter(own, active=True).values_list("pk", "name"))
    boxes = box_queryset(user=user)
    years = list(boxes.order_by("-year").values_list("year", flat=True).distinct())
    levels = (Region.Level.STREET, Region.Level.COMMUNITY)
    regions = list(scope.user_regions(user).filter(level__in=levels).order_by("path")
                   .values_list("pk", "name")[:REGION_CHOICES])  # fmt: skip
    box_id = whole_number(box, 1, ID_MAX) if box is not None else None
    chosen = boxes.select_related("region").filter(pk=box_id).first() if box_id else None
    return Choices(categories=categories, years=years, regions=regions, box=chosen)
