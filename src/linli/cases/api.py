"""Case API under /api/v1/cases: thin, selectors read and services write."""

from ninja import Router

router = Router(tags=["cases"])
