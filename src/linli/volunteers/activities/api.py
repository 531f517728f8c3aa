"""Volunteer activities for staff under /api/v1/volunteers/activities: the activities of the user's scope, set-up,
editing (version, 409), publishing, cancelling, the roster and waiting list, the check-in code, checking in by
hand, confirming hours and correcting them. Thin: selectors read, services write; the organiser's actions go
through volunteers.selectors.organises."""

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.errors import PermissionDenied
from linli.core.pagination import Pages
from linli.core.schemas import Id

from .. import selectors as scoped
from . import selectors, services
from .schemas import (
    ActivityCancelIn,
    ActivityCheckinCodeOut,
    ActivityCheckinOut,
    ActivityCorrectionIn,
    ActivityCorrectionOut,
    ActivityCreateIn,
    ActivityCreditOut,
    ActivityHoursIn,
    ActivityOut,
    ActivityRosterRowOut,
    ActivityUpdateIn,
    ActivityVersionIn,
    State,
)

router = Router(tags=["volunteers"])


@router.get("", response=list[ActivityOut], summary="志愿服务活动：本辖区的活动")
@paginate(Pages)
def activities(request, state: State | None = None):
    selectors.check_viewer(request.user)
    return selectors.activity_list(request.user, state=state)


@router.post("", response={201: ActivityOut}, summary="组织活动（草稿）：组织单位的工作人员（服务队队长在居民端组织）")
def activity_create(request, payload: ActivityCreateIn):
    selectors.check_viewer(request.user)
    return Status(201, services.activity_create(user=request.user, **payload.dict()))


@router.get("/{activity_id}", response=ActivityOut, summary="一项活动")
def activity(request, activity_id: Id):
    selectors.check_viewer(request.user)
    return scoped.activity_get(request.user, activity_id)


@router.put("/{activity_id}", response=ActivityOut, summary="修改活动（版本号不符返回409；最多人数增加时候补依次递补）")
def activity_update(request, activity_id: Id, payload: ActivityUpdateIn):
    selectors.check_viewer(request.user)
    data = payload.dict()
    version = data.pop("version")
    return services.activity_update(user=request.user, activity_id=activity_id, version=version, **data)


@router.post("/{activity_id}/publish", response=ActivityOut, summary="发布活动：志愿者可在居民端报名")
def activity_publish(request, activity_id: Id, payload: ActivityVersionIn):
    selectors.check_viewer(request.user)
    return services.activity_publish(user=request.user, activity_id=activity_id, version=payload.version)


@router.post("/{activity_id}/cancel", response=ActivityOut, summary="取消活动：所有报名作废并通知志愿者")
def activity_cancel(request, activity_id: Id, payload: ActivityCancelIn):
    selectors.check_viewer(request.user)
    return services.activity_cancel(user=request.user, activity_id=activity_id, version=payload.version,
                                    reason=payload.reason)  # fmt: skip


@router.get("/{activity_id}/signups", response=list[ActivityRosterRowOut], summary="报名名单和候补名单（按报名先后）")
def signups(request, activity_id: Id):
    selectors.check_viewer(request.user)
    roster = selectors.roster(scoped.activity_get(request.user, activity_id))
    return roster["confirmed"] + roster["waiting"]


@router.get("/{activity_id}/checkin-code", response=ActivityCheckinCodeOut, summary="签到码（二维码内容），限时有效")
def checkin_code(request, activity_id: Id):
    selectors.check_viewer(request.user)
    token = services.checkin_token(user=request.user, activity_id=activity_id)
    url = request.build_absolute_uri(reverse("activities_portal:checkin", args=[token]))
    return {"token": token, "url": url, "minutes": services.CHECKIN_MINUTES}


@router.post(
    "/{activity_id}/signups/{signup_id}/checkin", response=ActivityCheckinOut, summary="代为签到（已签到则签退）"
)
def checkin(request, activity_id: Id, signup_id: Id):
    selectors.check_viewer(request.user)
    signup, done = services.checkin_by_hand(user=request.user, signup_id=signup_id)
    if signup.activity_id != activity_id:
        raise PermissionDenied(_("报名记录不属于该活动"))
    return {"signup": signup, "done": done}


@router.post(
    "/{activity_id}/hours", response={201: list[ActivityCreditOut]}, summary="确认服务时长（活动结束后；未到场不计）"
)
def hours_confirm(request, activity_id: Id, payload: ActivityHoursIn):
    selectors.check_viewer(request.user)
    hours = {row.signup_id: row.hours for row in payload.rows}
    made = services.hours_confirm(user=request.user, activity_id=activity_id, version=payload.version, hours=hours)
    return Status(201, made)


@router.get("/{activity_id}/credits", response=list[ActivityCreditOut], summary="已确认的服务时长")
def credits(request, activity_id: Id):
    selectors.check_viewer(request.user)
    return selectors.credits(scoped.activity_get(request.user, activity_id))


@router.post("/{activity_id}/credits/{credit_id}/correct", response={201: ActivityCorrectionOut},
             summary="更正服务时长（须填原因，保留更正记录）")  # fmt: skip
def credit_correct(request, activity_id: Id, credit_id: Id, payload: ActivityCorrectionIn):
    selectors.check_viewer(request.user)
    correction = services.credit_correct(user=request.user, credit_id=credit_id, version=payload.version,
                                         hours=payload.hours, reason=payload.reason)  # fmt: skip
    return Status(201, correction)
