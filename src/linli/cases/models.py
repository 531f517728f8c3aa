from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.core.pii import EncryptedCharField

from . import rules


class Category(models.Model):
    """事件分类: 大类 (no parent) → 小类 (leaf). A leaf carries the routing and the time limits."""

    class Priority(models.IntegerChoices):
        URGENT = 1, _("紧急")
        HIGH = 2, _("较急")
        NORMAL = 3, _("一般")

    Unit = models.TextChoices("Unit", [(k, (k, v)) for k, v in rules.LIMIT_UNITS.items()])

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("大类")
    )
    # Also the Open311 service_code.
    code = models.CharField(_("分类编码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    department = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "department"},
        verbose_name=_("默认主办部门"),
    )
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Priority.choices, default=Priority.NORMAL)
    response_limit = models.DecimalField(_("响应时限"), max_digits=5, decimal_places=1, null=True, blank=True)
    response_unit = models.CharField(_("响应时限单位"), max_length=5, choices=Unit.choices, default=rules.HOURS)
    handle_limit = models.DecimalField(_("处置时限"), max_digits=5, decimal_places=1, null=True, blank=True)
    handle_unit = models.CharField(_("处置时限单位"), max_length=5, choices=Unit.choices, default=rules.DAYS)
    requires_verification = models.BooleanField(_("需现场核查"), default=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    keywords = models.CharField(_("关键词"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = _("事件分类")
        constraints = [
            # A minor category is routed by its limits; a major one only groups.
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True)
                | (models.Q(response_limit__gt=0) & models.Q(handle_limit__gt=0)),
                name="category_leaf_has_limits",
            )
        ]

    def __str__(self):
        return self.name


class CaseCounter(models.Model):
    """The last serial handed out per year, for case numbers like 2026-000123."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Case(models.Model):
    """事件: one request or problem, from intake to close. State changes only through services.case_act."""

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("热线")
        WINDOW = "window", _("窗口")
        PATROL = "patrol", _("网格巡查")
        ONLINE = "online", _("线上")
        INSPECTION = "inspection", _("督查")
        OPEN311 = "open311", "Open311"

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.STATE_LABELS.items()])
    Rating = models.TextChoices("Rating", [(k, (k, v)) for k, v in rules.RATING_LABELS.items()])

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.KIND_LABELS.items()])
    VisitResult = models.TextChoices("VisitResult", [(k, (k, v)) for k, v in rules.VISIT_LABELS.items()])

    number = models.CharField(_("案件编号"), max_length=12, unique=True)
    # 整改: an inspection finding registered under a plan (登记造册), closed only when the fix is accepted (消号).
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices, default=rules.EVENT)
    plan = models.ForeignKey(
        "campaigns.Plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("所属方案"),
    )
    estate = models.ForeignKey(
        "people.Estate", null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("小区")
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("分类"))
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Category.Priority.choices)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=rules.RECEIVED)
    version = models.PositiveIntegerField(default=1)

    description = models.TextField(_("问题描述"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    house = models.ForeignKey("people.House", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The house's building, kept with the case when it is taken in (a house never changes building), so that the
    # duplicate hints find the building's cases by one indexed column, not through the list of its houses.
    building = models.ForeignKey(
        "people.Building", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The finest node known (a grid, or a community when no grid contains the place), and its ancestors kept
    # alongside so indicators group by street and community without walking the tree per case.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="cases", verbose_name=_("所在网格")
    )
    community = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    street = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )

    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    reporter_phone = EncryptedCharField(_("联系电话"), blank=True)
    reporter_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Keyed hash of the public reporter's address, for the rate limit; never the address itself.
    reporter_ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    open311_key = models.ForeignKey("Open311Key", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The resident's portal account the report was sent from (signed in); cleared when the account is deleted, the
    # phone it was reported with staying as the record.
    reporter_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("反映人账号"),
    )  # fmt: skip

    lead_department = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        verbose_name=_("主办单位"),
    )
    assisting = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="assisted_cases", verbose_name=_("协办单位")
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates", verbose_name=_("并入案件")
    )

    received_at = models.DateTimeField(_("受理时间"))
    dispatched_at = models.DateTimeField(_("首次派遣时间"), null=True, blank=True)
    response_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    response_warn_at = models.DateTimeField(_("签收黄灯时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    warn_at = models.DateTimeField(_("黄灯时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("处置时限"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    extension_days = models.PositiveSmallIntegerField(_("申请延期工作日"), null=True, blank=True)
    supervision_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    # 缓办: the expected date work resumes, from the request until the case resumes (or the request is refused);
    # the case is in an approved 缓办 while its state is DEFERRED.
    resume_on = models.DateField(_("预计恢复办理日期"), null=True, blank=True)
    deferral_count = models.PositiveSmallIntegerField(_("缓办次数"), default=0)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # Set when the case closes, so indicators are sums over rows, not replays of timelines.
    on_time = models.BooleanField(_("按期处置"), null=True, blank=True)
    handling_seconds = models.PositiveIntegerField(_("处置用时(工作秒)"), null=True, blank=True)
    # 回访 since the last close (rules: return visits); cleared when the case is reopened.
    visit_result = models.CharField(_("回访结果"), max_length=12, choices=VisitResult.choices, blank=True)
    visit_tries = models.PositiveSmallIntegerField(_("回访未接通次数"), default=0)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = _("事件")
        permissions = [("view_reporter", gettext_lazy("查看反映人完整电话"))]
        indexes = [
            models.Index(fields=["state", "priority", "received_at"], name="case_queue"),
            models.Index(fields=["state", "due_at"], name="case_due"),
            models.Index(fields=["lead_department", "state"], name="case_department"),
            # Also the dispatcher's order within a region and state, so SQLite stops reading each (region, state)
            # range once it has the page instead of sorting the whole queue (docs/performance.md).
            models.Index(fields=["region", "state", "priority", "received_at"], name="case_region_queue"),
            # The dispatcher's desk in its order (selectors.dispatch_queue): read in order and stopped at the page.
            # The desk is a few cases in a thousand, so the scope's filter drops few rows; state first, the desk's
            # three states each came in their own order and PostgreSQL sorted the scope's whole desk.
            models.Index(
                fields=["priority", "received_at", "id"],
                condition=models.Q(state__in=sorted(rules.QUEUE_STATES)),
                name="case_desk",
            ),
            # The indicators count the open cases past their deadline live (it depends on the time): with every
            # column that count reads in the index, PostgreSQL answers it from the index alone (29 ms → 4 ms over the
            # 22,000 open cases of the 1,000,000-case demo). Other databases build it without INCLUDE.
            models.Index(
                fields=["due_at"],
                include=["feedback_at", "received_at", "region", "street", "community", "lead_department"],
                condition=models.Q(state__in=sorted(rules.OPEN_STATES)),
                name="case_open_late",
            ),
            # The return visits' call list (cases.visits): closed cases not yet visited, oldest close first.
            models.Index(
                fields=["closed_at", "id"],
                condition=models.Q(state=rules.CLOSED, visit_result=""),
                name="case_visit_due",
            ),
            # Duplicate hints (cases.duplicates): the unresolved cases of a category in a box of latitude and
            # longitude, the box's latitude range read within the category, its longitude checked in the index.
            models.Index(
                fields=["category", "latitude", "longitude"],
                condition=models.Q(state__in=sorted(rules.UNRESOLVED)),
                name="case_open_place",
            ),
            # and those in the building of the case's house, with the box in one bitmap OR on PostgreSQL.
            models.Index(
                fields=["category", "building"],
                condition=models.Q(state__in=sorted(rules.UNRESOLVED)),
                name="case_open_building",
            ),
            models.Index(fields=["received_at"], name="case_received"),
            models.Index(fields=["reporter_ip_hash", "received_at"], name="case_reporter_ip"),
            models.Index(fields=["plan", "state"], name="case_plan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=rules.MERGED) | models.Q(merged_into__isnull=False),
                name="case_merged_has_original",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="case_point_valid",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_STATES

    def facts(self) -> rules.Facts:
        return rules.facts_of(self)


class ImmutableError(Exception):
    pass


class CaseEvent(models.Model):
    """时间线: one entry per action, written once and never changed."""

    Action = models.TextChoices("Action", [(t.action, (t.action, t.label)) for t in rules.TRANSITIONS.values()])

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who acted, as shown: the user's name and unit, "反映人", "系统" or the Open311 client.
    actor_label = models.CharField(_("操作人"), max_length=100)
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "seq"]
        verbose_name = verbose_name_plural = _("事件时间线")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]

    def __str__(self):
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("timeline entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("timeline entries are never deleted")

    @property
    def label(self) -> str:
        return rules.TRANSITIONS[self.action].label


class Assignment(models.Model):
    """派单: one dispatch of a case to its lead department, kept so that 签收 is timed per dispatch and a return
    (退单) counts against the department that returned the case, not the one that finishes it. Written by
    services.case_act beside the timeline; counted by the triggers of stats' migrations."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    dispatched_at = models.DateTimeField(_("派遣时间"))
    response_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    # When the department answered the dispatch: signed for it (签收) or returned it unsigned.
    answered_at = models.DateTimeField(_("签收或退单时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退单时间"), null=True, blank=True)

    class Meta:
        ordering = ["case", "dispatched_at", "id"]
        verbose_name = verbose_name_plural = _("派单记录")
        indexes = [
            models.Index(fields=["case", "returned_at"], name="assignment_case"),
            # The indicators count the dispatches still unsigned past their response deadline live (it depends on
            # the time): a handful at any moment, read through this index alone.
            models.Index(
                fields=["response_due"], condition=models.Q(answered_at__isnull=True), name="assignment_unanswered"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_at__isnull=True) | models.Q(answered_at__isnull=False),
                name="assignment_returned_is_answered",
            )
        ]

    def __str__(self):
        return f"{self.case_id} → {self.department_id}"


class Attachment(models.Model):
    """A photo of the problem or of the result, attached to the timeline entry it came with."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("附件")


class Open311Key(models.Model):
    """An Open311 client (a civic app) allowed to create requests. Only the key's hash is stored."""

    name = models.CharField(_("应用名称"), max_length=100)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Open311接入密钥")

    def __str__(self):
        return self.name


class SpentReportToken(models.Model):
    """An anti-spam token of the public report form that has filed its report: each drawn form files one. A token
    expires two hours after the form was drawn, so older rows are of no use and the next report deletes them."""

    token_id = models.CharField(max_length=32, unique=True)
    spent_at = models.DateTimeField(db_index=True)


class PendingPhoto(models.Model):
    """A photo a resident chose on the report form, stored as soon as it was chosen so that it survives the form
    coming back with errors. The page holds it by a signed token bound to its form (public.services); the report
    that uses it turns it into an Attachment, and one nobody used is deleted once its form has expired."""

    file = models.FileField(upload_to="pending/%Y/%m/%d/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    form_id = models.CharField(max_length=32)  # the anti-spam token id of the form it was chosen on
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_hash", "created_at"], name="pending_photo_ip")]


class TrackingFailure(models.Model):
    """A wrong tracking code tried from one address (its keyed hash), counted for the hourly cap on guesses."""

    ip_hash = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_hash", "at"], name="tracking_failure_ip")]
