"""API shapes of volunteer activities, for staff and organisers and for volunteers in the portal."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field

from linli.core.schemas import Id, In, ListOf, Name, Schema, Text, Version

Kind = Literal["environment", "elderly", "children", "patrol", "arts", "publicity", "epidemic", "civilization", "other"]
OnShort = Literal["cancel", "flag"]
State = Literal["draft", "open", "cancelled", "finished"]


class ActivityContentIn(In):
    title: Name = Field(max_length=80)
    kind: Kind
    description: Text = Field("", max_length=2000)
    place: Name = Field(max_length=120)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    starts_at: datetime
    ends_at: datetime
    signup_until: datetime = Field(description="报名截止时间：此时未达最少人数的活动按 on_short 取消或标记")
    min_people: int = Field(1, ge=1, le=9999)
    max_people: int = Field(ge=1, le=9999)
    on_short: OnShort = Field("cancel", description="cancel 自动取消并通知；flag 标记人数不足，由组织者决定")
    hours: Decimal = Field(gt=0, le=24, max_digits=3, decimal_places=1, description="每人计入的服务时长（小时）")


class ActivityCreateIn(ActivityContentIn):
    region_id: Id | None = Field(None, description="组织单位（工作人员必填，除非选了服务队）")
    team_id: Id | None = Field(None, description="服务队（居民队长必填：只能为自己担任队长的队组织）")


class ActivityUpdateIn(ActivityContentIn):
    version: Version


class ActivityVersionIn(In):
    version: Version


class ActivityCancelIn(In):
    version: Version
    reason: Text = Field(max_length=200, description="取消原因，报名的志愿者会收到")


class ActivityHoursRow(In):
    signup_id: Id
    hours: Decimal | None = Field(None, ge=0, le=24, max_digits=3, decimal_places=1, description="空或0：未到场")


class ActivityHoursIn(In):
    version: Version
    rows: ListOf[ActivityHoursRow] = Field(default_factory=list, description="未列出的正式报名按活动的每人时长计")


class ActivityCorrectionIn(In):
    version: Version
    hours: Decimal = Field(ge=0, le=24, max_digits=3, decimal_places=1)
    reason: Text = Field(max_length=200)


class ActivityCheckinIn(In):
    token: str = Field(max_length=200, description="组织者出示的签到二维码中的签到码")


class ActivityOut(Schema):
    id: int
    region_id: int
    team_id: int | None
    title: str
    kind: str
    description: str
    place: str
    longitude: Decimal | None
    latitude: Decimal | None
    starts_at: datetime
    ends_at: datetime
    signup_until: datetime
    min_people: int
    max_people: int
    on_short: str
    short: bool
    hours: Decimal
    taken: int
    state: str
    cancel_reason: str
    organiser_id: int
    version: int


class ActivitySignUpOut(Schema):
    id: int
    activity_id: int
    volunteer_id: int
    state: str
    created_at: datetime
    promoted_at: datetime | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None


class ActivityRosterRowOut(ActivitySignUpOut):
    volunteer_number: str = Field(alias="volunteer.number")
    volunteer_name: str = Field(alias="volunteer.person.name")


class ActivityMySignUpOut(ActivitySignUpOut):
    position: int | None = Field(None, description="候补时排第几位（1 为下一个递补）")
    activity_title: str = Field(alias="activity.title")
    activity_starts_at: datetime = Field(alias="activity.starts_at")

    @staticmethod
    def resolve_position(obj):
        return obj.position if obj.state == "waiting" else None


class ActivityCheckinOut(Schema):
    signup: ActivitySignUpOut
    done: Literal["in", "out"]


class ActivityCheckinCodeOut(Schema):
    token: str
    url: str
    minutes: int


class ActivityCreditOut(Schema):
    id: int
    signup_id: int
    volunteer_id: int
    activity_id: int
    hours: Decimal
    confirmed_at: datetime
    version: int


class ActivityCorrectionOut(Schema):
    id: int
    credit_id: int
    old_hours: Decimal
    new_hours: Decimal
    reason: str
    at: datetime
