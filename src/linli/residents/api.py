"""The residents' portal API under /api/v1/portal: residents only (RESIDENT_AUTH), each their own data."""

from ninja import Router

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pii import mask_phone
from linli.core.schemas import Schema

from . import entries, selectors

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


class PortalEntryOut(Schema):
    key: str
    label: str
    url: str


class PortalMeOut(Schema):
    phone: str  # masked
    bound: bool
    entries: list[PortalEntryOut]


@router.get("/me", response=PortalMeOut, summary="我的：账号（手机号打码）、是否已实名、可用的服务入口")
def me(request):
    resident = selectors.resident_of(request.user)
    return {
        "phone": mask_phone(resident.phone),
        "bound": resident.person_id is not None,
        "entries": [{"key": e.key, "label": e.label, "url": e.url} for e in entries.for_resident(resident)],
    }
