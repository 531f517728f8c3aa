"""Keeping the archive's full-text index current as items change."""


def item_changed(item_id: int) -> None:
    """Called on commit after an item's title, text or file changed: (re)extracts and (re)indexes it."""


def item_deleted(item_id: int) -> None:
    """Called on commit after an item was deleted: drops it from the index."""
