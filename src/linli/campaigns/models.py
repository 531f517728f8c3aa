"""工作方案 as data: the plan and what a seed plan holds, its task tree, who owes what, and the progress reports.

A "unit" (单位) that owes work is either an organisation (a department or a company) or a region node (a street or
a community office): a `TaskUnit` row names one of them. Reports are made per task unit and period; a missing or
late report is not stored as anything, it is computed (progress.rules.report_status).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .plans import rules
from .progress import rules as progress_rules


class Plan(models.Model):
    """工作方案: issued by a body for a region; visible to that region's subtree and to the levels above it."""

    Status = models.TextChoices("Status", [(k, (k, v)) for k, v in rules.PLAN_STATUS_LABELS.items()])
    Cycle = models.TextChoices("Cycle", [(k, (k, v)) for k, v in rules.CYCLE_LABELS.items()])

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="plans", verbose_name=_("所属区域")
    )
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=100)
    doc_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    # The opening paragraph before 一、 ("为落实……，特制定本方案。").
    preamble = models.TextField(_("开头语"), blank=True)
    guiding_idea = models.TextField(_("指导思想"), blank=True)
    scope = models.TextField(_("范围"), blank=True)
    office = models.TextField(_("领导小组办公室"), blank=True)
    requirements = models.TextField(_("工作要求"), blank=True)
    report_cycle = models.CharField(_("进度报送周期"), max_length=10, choices=Cycle.choices, default=rules.MONTHLY)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=rules.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = _("工作方案")

    def __str__(self):
        return self.title


class PlanSection(models.Model):
    """A further chapter of the plan's body in the plan's own words (工作内容, 职责分工, 保障措施…)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    heading = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = verbose_name_plural = _("方案章节")


class Target(models.Model):
    """目标: an indicator with a comparator and a value (整改率 ≥ 90%), measured from the system or reported."""

    Comparator = models.TextChoices("Comparator", [(k, (k, k)) for k in rules.COMPARATORS])
    Measure = models.TextChoices("Measure", [(k, (k, v)) for k, v in rules.MEASURE_LABELS.items()])

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    indicator = models.CharField(_("指标"), max_length=100)
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices, default=">=")
    value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10, blank=True, default="%")
    measure = models.CharField(_("取数方式"), max_length=32, choices=Measure.choices, default=rules.REPORTED)
    # Only for reported targets: the latest figure a unit reported, with when.
    reported_value = models.DecimalField(_("填报值"), max_digits=12, decimal_places=2, null=True, blank=True)
    reported_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = verbose_name_plural = _("方案目标")


class GroupMember(models.Model):
    """领导小组: 组长, 副组长, 成员 (a person or a member unit), 办公室主任."""

    Duty = models.TextChoices("Duty", [(k, (k, v)) for k, v in rules.DUTY_LABELS.items()])

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="group")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    duty = models.CharField(_("职务"), max_length=10, choices=Duty.choices)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务全称"), max_length=100, blank=True)
    unit = models.CharField(_("单位"), max_length=100, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = verbose_name_plural = _("领导小组成员")
        constraints = [models.CheckConstraint(condition=~Q(name="", unit=""), name="group_member_named")]


class Phase(models.Model):
    """实施步骤: 宣传发动, 组织实施, 自查自纠, 整改提高, 迎检验收, 总结表彰…"""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("阶段"), max_length=50)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("工作内容"), blank=True)

    class Meta:
        ordering = ["plan", "order", "starts_on", "id"]
        verbose_name = verbose_name_plural = _("实施阶段")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates")]


class Task(models.Model):
    """任务: a node of the plan's task tree (大类 → 项 → …). Leaves are reported on; parents roll up."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("任务"), max_length=200)
    content = models.TextField(_("工作内容及标准"), blank=True)
    direct_person = models.CharField(_("直接责任人"), max_length=100, blank=True)
    handler = models.CharField(_("承办人"), max_length=100, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    deliverables = models.CharField(_("成果形式"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "parent_id", "order", "id"]
        verbose_name = verbose_name_plural = _("工作任务")

    def __str__(self):
        return self.title


class TaskUnit(models.Model):
    """A unit named on a task as 牵头单位 or 责任单位: an organisation, or a region node's office."""

    Role = models.TextChoices("Role", [(k, (k, v)) for k, v in rules.UNIT_ROLE_LABELS.items()])

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    role = models.CharField(_("类别"), max_length=12, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="task_units"
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="task_units"
    )

    class Meta:
        ordering = ["task", "role", "id"]
        verbose_name = verbose_name_plural = _("任务单位")
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, region__isnull=True)
                | Q(organization__isnull=True, region__isnull=False),
                name="task_unit_one_kind",
            ),
            models.UniqueConstraint(
                fields=["task", "role", "organization"], condition=Q(region__isnull=True), name="task_unit_org_once"
            ),
            models.UniqueConstraint(
                fields=["task", "role", "region"], condition=Q(organization__isnull=True), name="task_unit_region_once"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "task"], name="task_unit_org"),
            models.Index(fields=["region", "task"], name="task_unit_region"),
        ]

    def __str__(self):
        return str(self.unit)

    @property
    def unit(self):
        return self.organization or self.region


class ProgressReport(models.Model):
    """进度报送: what a unit reports on a task for one period (the period's first day names it)."""

    task_unit = models.ForeignKey(TaskUnit, on_delete=models.CASCADE, related_name="reports")
    period = models.DateField(_("报送期"))
    due_at = models.DateTimeField(_("报送时限"))
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(_("完成进度(%)"))
    content = models.TextField(_("工作进展"))
    problems = models.TextField(_("存在问题"), blank=True)
    attachment = models.FileField(_("佐证材料"), upload_to="campaigns/%Y/%m/", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["task_unit", "period"]
        verbose_name = verbose_name_plural = _("进度报送")
        constraints = [
            models.UniqueConstraint(fields=["task_unit", "period"], name="report_once_per_period"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
        ]


class Notice(models.Model):
    """督办/通报 sent to a unit that is late, about a task and period or about the plan as a whole."""

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in progress_rules.NOTICE_LABELS.items()])

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    task_unit = models.ForeignKey(TaskUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    period = models.DateField(_("所涉报送期"), null=True, blank=True)
    text = models.TextField(_("内容"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("发出时间"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = verbose_name_plural = _("督办通报")


class NoticeRead(models.Model):
    """Who has opened a 督办/通报: unread notices come first on 我的任务."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("阅读时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("督办通报阅读记录")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]
