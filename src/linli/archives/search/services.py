"""Keeping the archive's full-text index current as items change.

`item_changed` / `item_deleted` are called on commit by the archive's services. A change marks the item 待索引 and
queues `index_item` for the worker (django-tasks), which reads the file's text (extract.py: bounded in size and
time, never trusting the file), cuts the title and text into words (words.py) and writes the item's index row; the
item then stands 已索引, or 无法提取文字 when its file could not be read (its title and text are indexed all the
same). So a request that files a 10 MB .docx returns at once. `index_items` does the same for many items in one
process (the demo's builder, `manage archives_reindex`).

The index is a table of the database's own full-text engine (migration archives 0003_search): SQLite FTS5 or a
PostgreSQL tsvector, over the same words.
"""

import logging
import tempfile
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks import task

from linli.archives import rules
from linli.archives.models import Item

from . import extract, words

log = logging.getLogger(__name__)

TABLE = "archives_search"
BATCH = 500


def item_changed(item_id: int) -> None:
    """Called on commit after an item's title, text or file changed: (re)extracts and (re)indexes it."""
    Item.objects.filter(pk=item_id).update(index_state=rules.PENDING)
    index_item.enqueue(item_id)


def item_deleted(item_id: int) -> None:
    """Called on commit after an item was deleted: drops it from the index."""
    drop([item_id])


@task()
def index_item(item_id: int) -> None:
    """The worker's part: the file's text, the words, the index row. A task that finds the item changed again since
    it started leaves it to the task that change queued."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        drop([item_id])
        return
    file_text, state = file_text_of(item)
    with transaction.atomic():
        if Item.objects.filter(pk=item_id, version=item.version).update(file_text=file_text, index_state=state):
            item.file_text = file_text
            write([row(item)])


def file_text_of(item: Item) -> tuple[str, str]:
    """The text of the item's stored file and the index state it leaves: ("", indexed) without a file."""
    if not item.file:
        return "", rules.INDEXED
    try:
        return read_file(item.file, item.file_name or item.file.name), rules.INDEXED
    except extract.ExtractionFailed as exc:
        log.info("archive item %s: %s", item.pk, exc)
        return "", rules.FAILED


def read_file(field, name: str) -> str:
    """A stored file's text: copied from the storage (local or object storage) into a temporary file first, since
    the readers seek; at most extract.MAX_BYTES."""
    try:
        with field.open("rb") as stored, tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
            size = 0
            while chunk := stored.read(1024 * 1024):
                size += len(chunk)
                if size > extract.MAX_BYTES:
                    raise extract.ExtractionFailed(_("文件过大，未提取文字"))
                copy.write(chunk)
            copy.seek(0)
            return extract.extract(copy, name)
    except OSError as exc:
        raise extract.ExtractionFailed(_("文件无法读取")) from exc


def row(item: Item) -> tuple[int, str, str]:
    """An item's index row: its id, its title's words, the words of its text, tags and file text."""
    body = "\n".join((item.text or "", " ".join(str(t) for t in item.tags or ()), item.file_text or ""))
    return item.pk, words.index_words(item.title), words.index_words(body)


def write(rows: list[tuple[int, str, str]]) -> None:
    """Writes (replaces) index rows."""
    if not rows:
        return
    drop([r[0] for r in rows])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)", rows)
        else:
            cursor.executemany(f"INSERT INTO {TABLE} (item_id, title, body) VALUES (%s, %s, %s)", rows)


def drop(item_ids: list[int]) -> None:
    key = "rowid" if connection.vendor == "sqlite" else "item_id"
    with connection.cursor() as cursor:
        for start in range(0, len(item_ids), BATCH):
            chunk = item_ids[start : start + BATCH]
            cursor.execute(f"DELETE FROM {TABLE} WHERE {key} IN ({', '.join(['%s'] * len(chunk))})", chunk)


def index_items(items: Iterable[Item], *, extract_files: bool = True) -> dict[str, int]:
    """Indexes many items in this process, in batches: each file's text read (unless `extract_files` is False:
    the items' file_text is taken as it is, as the demo's builder writes it) and the index rows written. Answers
    how many items ended in each state."""
    counts = {rules.INDEXED: 0, rules.FAILED: 0}
    batch: list[Item] = []

    def flush():
        with transaction.atomic():
            if extract_files:
                Item.objects.bulk_update(batch, ["file_text", "index_state"])
            else:
                for state in (rules.INDEXED, rules.FAILED):
                    ids = [i.pk for i in batch if i.index_state == state]
                    if ids:
                        Item.objects.filter(pk__in=ids).update(index_state=state)
            write([row(i) for i in batch])
        batch.clear()

    for item in items:
        if extract_files:
            item.file_text, item.index_state = file_text_of(item)
        elif item.index_state != rules.FAILED:
            item.index_state = rules.INDEXED
        counts[item.index_state] += 1
        batch.append(item)
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    return counts


def reindex(*, pending_only: bool = False, extract_files: bool = True) -> dict[str, int]:
    """Rebuilds the index (`pending_only`: only items still 待索引, e.g. after the worker was down)."""
    items = Item.objects.order_by("pk")
    if pending_only:
        items = items.filter(index_state=rules.PENDING)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
    return index_items(items.iterator(chunk_size=BATCH), extract_files=extract_files)
