from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import rules


class StarScheme(models.Model):
    """星级标准 of a district: the cumulative hours each star needs. Rules differ locally (Beijing counts
    100/200/500/800/1000 h), so a district may set its own; without one, rules.DEFAULT_STARS applies."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("区"))
    thresholds = models.JSONField(_("一至五星所需服务时长（小时）"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("志愿者星级标准")


class Volunteer(models.Model):
    """志愿者: a person of the registry who registered to volunteer (no second copy of the person). `region` is the
    community that keeps the volunteer's file; `hours` the sum of the confirmed hours (Credit), kept by the services
    that confirm and correct them."""

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.VOLUNTEER_STATES.items()])
    Via = models.TextChoices("Via", [(k, (k, v)) for k, v in rules.REGISTERED_VIA.items()])

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="volunteer")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属社区"))
    number = models.CharField(_("志愿者编号"), max_length=24, unique=True)
    via = models.CharField(_("登记方式"), max_length=10, choices=Via.choices)
    # 告知同意: the version of the privacy notice agreed to (in the portal, or on the signed paper form).
    consent_version = models.CharField(_("同意的告知书版本"), max_length=20)
    consented_at = models.DateTimeField(_("同意时间"))
    skills = models.JSONField(_("技能特长"), default=list, blank=True)
    availability = models.JSONField(_("可服务时间"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=rules.ACTIVE)
    hours = models.DecimalField(_("累计服务时长（小时）"), max_digits=8, decimal_places=1, default=0)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("志愿者")
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["region", "state"], name="volunteer_region_state"),
                   models.Index(fields=["-hours", "id"], name="volunteer_hours")]  # fmt: skip
        constraints = [models.CheckConstraint(condition=Q(hours__gte=0), name="volunteer_hours_not_negative")]

    def __str__(self):
        return self.number


class Team(models.Model):
    """志愿服务队 of a region (党员, 巾帼, 青少年, 治安巡逻, 文艺 …), with a leader among its members."""

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.TEAM_KINDS.items()])

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区域"))
    name = models.CharField(_("队伍名称"), max_length=60)
    kind = models.CharField(_("队伍类型"), max_length=12, choices=Kind.choices)
    leader = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("队长")
    )
    description = models.TextField(_("简介"), blank=True)
    members = models.ManyToManyField(Volunteer, through="TeamMember", related_name="teams")
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("志愿服务队")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="team_name_unique_in_region")]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("队员")
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="team_member_once")]


class Activity(models.Model):
    """志愿服务活动: a time, a place on the map, an organiser, a capacity. `taken` counts the confirmed sign-ups;
    the database refuses it above `max_people`, so concurrent sign-ups can never overfill an activity."""

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.ACTIVITY_STATES.items()])
    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.ACTIVITY_KINDS.items()])
    OnShort = models.TextChoices("OnShort", [(k, (k, v)) for k, v in rules.ON_SHORT.items()])

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位"))
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("服务队")
    )
    title = models.CharField(_("活动名称"), max_length=80)
    kind = models.CharField(_("活动类型"), max_length=14, choices=Kind.choices)
    description = models.TextField(_("活动内容"), blank=True)
    place = models.CharField(_("活动地点"), max_length=120)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    signup_until = models.DateTimeField(_("报名截止时间"))
    min_people = models.PositiveSmallIntegerField(_("最少人数"), default=1)
    max_people = models.PositiveSmallIntegerField(_("最多人数"))
    on_short = models.CharField(_("截止时人数不足"), max_length=8, choices=OnShort.choices, default=rules.SHORT_CANCEL)
    short = models.BooleanField(_("人数不足"), default=False)  # flagged at the cut-off (on_short = flag)
    hours = models.DecimalField(_("每人计入时长（小时）"), max_digits=4, decimal_places=1)
    taken = models.PositiveSmallIntegerField(_("已报名人数"), default=0)
    # The organiser shows check-in codes signed with this key; a new key voids the codes shown before.
    checkin_key = models.CharField(max_length=64, editable=False)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织者")
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=rules.DRAFT)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["region", "starts_at"], name="activity_region_starts"),
                   models.Index(fields=["state", "signup_until"], name="activity_state_cutoff")]  # fmt: skip
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("max_people")), name="activity_never_over_capacity"),
            models.CheckConstraint(condition=Q(min_people__lte=F("max_people")), name="activity_min_not_above_max"),
            models.CheckConstraint(condition=Q(min_people__gte=1), name="activity_min_at_least_one"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(signup_until__lte=F("starts_at")), name="activity_cutoff_before_start"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="activity_hours_in_a_day"),
        ]

    def __str__(self):
        return self.title


class SignUp(models.Model):
    """报名: a volunteer's place in an activity (confirmed) or in its waiting list (waiting, in id order). A
    withdrawn sign-up stays as the record of it; one volunteer holds at most one live sign-up per activity."""

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.SIGNUP_STATES.items()])

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("活动报名")
        ordering = ["id"]
        indexes = [models.Index(fields=["activity", "state", "id"], name="signup_activity_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], condition=~Q(state=rules.WITHDRAWN), name="signup_once_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False), name="signup_out_after_in"
            ),
        ]


class Credit(models.Model):
    """服务时长: the hours of one sign-up, credited when the organiser confirms them, never before."""

    signup = models.OneToOneField(SignUp, on_delete=models.PROTECT, related_name="credit")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="credits")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="credits")
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("服务时长")
        indexes = [models.Index(fields=["volunteer", "confirmed_at"], name="credit_volunteer_when")]
        constraints = [models.CheckConstraint(condition=Q(hours__gte=0, hours__lte=24), name="credit_hours_in_a_day")]


class Correction(models.Model):
    """A correction of confirmed hours: who, when, from what to what and why (the audit of every change)."""

    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="corrections")
    old_hours = models.DecimalField(_("原时长"), max_digits=4, decimal_places=1)
    new_hours = models.DecimalField(_("更正后时长"), max_digits=4, decimal_places=1)
    reason = models.CharField(_("更正原因"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("时长更正记录")
        ordering = ["-at", "-id"]


class Certificate(models.Model):
    """志愿服务时长证明: the hours and stars at issue, a serial number, and a verification code anyone can check
    online; a revoked certificate answers as revoked, not as unknown."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    serial = models.CharField(_("证明编号"), max_length=32, unique=True)
    code = models.CharField(_("验证码"), max_length=32, unique=True)
    hours = models.DecimalField(_("累计服务时长（小时）"), max_digits=8, decimal_places=1)
    stars = models.PositiveSmallIntegerField(_("星级"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("出具时间"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("志愿服务时长证明")
        ordering = ["-issued_at", "-id"]
