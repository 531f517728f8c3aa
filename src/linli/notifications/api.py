"""Notifications API under /api/v1/notifications: the signed-in user's own messages and preferences."""

from ninja import Router
from ninja.pagination import paginate

from linli.accounts.auth import USER_AUTH
from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import MessageOut, PreferenceIn, PreferenceOut, UnreadOut

# Staff and residents alike read their own messages here.
router = Router(tags=["notifications"], auth=USER_AUTH)


@router.get("/messages", response=list[MessageOut], summary="我的消息：未读在前，新的在前")
@paginate(Pages)
def messages(request):
    return selectors.inbox(request.user)


@router.get("/messages/unread", response=UnreadOut, summary="未读消息数")
def unread(request):
    return {"unread": selectors.unread_count(request.user)}


@router.post("/messages/{message_id}/read", response=MessageOut, summary="标为已读")
def message_read(request, message_id: Id):
    return services.message_read(user=request.user, message_id=message_id)


@router.post("/messages/read-all", response=UnreadOut, summary="全部标为已读")
def read_all(request):
    services.messages_read_all(user=request.user)
    return {"unread": 0}


@router.get("/preferences", response=list[PreferenceOut], summary="各类消息的接收渠道")
def preferences(request):
    return selectors.preferences(request.user)


@router.put("/preferences", response=list[PreferenceOut], summary="设置一类消息的接收渠道")
def preference_set(request, body: PreferenceIn):
    services.preference_set(user=request.user, kind=body.kind, channels=body.channels)
    return selectors.preferences(request.user)
