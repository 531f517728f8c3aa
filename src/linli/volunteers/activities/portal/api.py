"""Volunteer activities for residents under /api/v1/portal/activities: the activities near them or on a day, one
activity, signing up and cancelling, their sign-ups with waiting positions, and checking in with the organiser's
code. Residents only (RESIDENT_AUTH), after agreeing to the privacy notice (consent_check)."""

from datetime import date

from ninja import Router, Status
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages
from linli.core.schemas import Id
from linli.residents.access import consent_check
from linli.residents.selectors import resident_of

from ... import selectors as scoped
from .. import selectors, services
from ..schemas import ActivityCheckinIn, ActivityCheckinOut, ActivityMySignUpOut, ActivityOut, ActivitySignUpOut

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


def _resident(request):
    consent_check(request.user)
    return resident_of(request.user)


@router.get("/activities", response=list[ActivityOut], summary="志愿活动：附近（本街道及以上）或某一天的可报名活动")
@paginate(Pages)
def activities(request, day: date | None = None, everywhere: bool = False):
    resident = _resident(request)
    near = None if everywhere or day else selectors.near_path(resident)
    return selectors.portal_list(near_path=near, day=day)


@router.get("/activities/mine", response=list[ActivityMySignUpOut], summary="我的报名：状态、候补位次")
@paginate(Pages)
def mine(request):
    _resident(request)
    return selectors.my_signups(scoped.own_volunteer(request.user))


@router.post("/activities/checkin", response=ActivityCheckinOut, summary="扫码签到（第二次为签退）")
def checkin(request, payload: ActivityCheckinIn):
    signup, done = services.checkin_scan(resident=_resident(request), token=payload.token)
    return {"signup": signup, "done": done}


@router.get("/activities/{activity_id}", response=ActivityOut, summary="一项志愿活动")
def activity(request, activity_id: Id):
    _resident(request)
    return selectors.portal_get(activity_id)


@router.post("/activities/{activity_id}/signup", response={201: ActivitySignUpOut},
             summary="报名：有名额即报名成功，名额已满进入候补")  # fmt: skip
def signup(request, activity_id: Id):
    return Status(201, services.signup_create(resident=_resident(request), activity_id=activity_id))


@router.post("/activities/signups/{signup_id}/withdraw", response=ActivitySignUpOut,
             summary="取消报名（活动开始前）：名额由候补第一位递补")  # fmt: skip
def withdraw(request, signup_id: Id):
    return services.signup_withdraw(resident=_resident(request), signup_id=signup_id)
