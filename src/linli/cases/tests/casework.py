"""Helpers for the case API tests: photos, cases driven to a state by the personas, multipart requests."""

import io
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.accounts.models import User
from linli.cases import services
from linli.cases.models import Case
from linli.testing import factories
from linli.testing.apiclient import API, ApiClient

# Each step: (action, the persona taking it, its note). The department persona handles category 0401.
STEPS = [
    ("register", "admin", ""),
    ("dispatch", "admin", ""),
    ("accept", "dept_handler", ""),
    ("feedback", "dept_handler", "已更换灯泡"),
]
AFTER = {"received": 0, "registered": 1, "dispatched": 2, "handling": 3, "feedback": 4}


def photo(name: str = "现场.png", size=(8, 6), fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def case_in(grid, state: str = "received", *, dispatched_at: datetime | None = None, **data) -> Case:
    """A case of category 0401 at `grid`, taken through the lifecycle up to `state`. `dispatched_at` backdates
    intake, registration and dispatch, so the deadline may already have passed."""
    case = factories.case(grid, **data)
    if dispatched_at is not None:
        Case.objects.filter(pk=case.pk).update(received_at=dispatched_at)
    for action, role, note in STEPS[: AFTER[state]]:
        now = dispatched_at if action in ("register", "dispatch") else None
        case = services.case_act(
            user=User.objects.get(username=role), case_id=case.pk, action=action, version=case.version, note=note,
            now=now,
        )  # fmt: skip
    return case


def post_form(api: ApiClient, path: str, data: dict, photos=()):
    """multipart/form-data as a phone client sends it: fields and any number of `photos` parts."""
    body = {k: v for k, v in data.items() if v is not None}
    if photos:
        body["photos"] = list(photos)
    return api.client.post(API + path, body)
