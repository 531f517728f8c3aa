"""The archive's evidence block on other modules' pages: `{% archive_evidence "campaigns.report" report.pk %}` shows
the items attached to that target (to whoever reads the page) and, to those who may attach, a picker of their own
items. A constant number of queries, whatever the number of items."""

from django import template
from django.http import Http404

from linli.core.errors import PermissionDenied

from .. import selectors

register = template.Library()


@register.inclusion_tag("archives/_evidence.html", takes_context=True)
def archive_evidence(context, source: str, source_id):
    request = context.get("request")
    if request is None or not source_id:
        return {"shown": False}
    try:
        target, links = selectors.evidence_for(user=request.user, source=source, source_id=int(source_id))
    except (Http404, PermissionDenied):
        return {"shown": False}
    picks = selectors.pickable_items(user=request.user) if target.may_attach else []
    boxes: dict[int, tuple[str, list]] = {}
    for item in picks:
        boxes.setdefault(item.box_id, (f"{item.box.year}年 {item.box.topic}", []))[1].append(item)
    for link in links:
        link.part_label = target.parts.get(link.part_id, "")
    return {"shown": True, "target": target, "links": links, "boxes": list(boxes.values()),
            "parts": sorted(target.parts.items()), "next": request.get_full_path(), "csrf_token": context.get(
                "csrf_token")}  # fmt: skip
