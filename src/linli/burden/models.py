"""社区减负 as data: the district's two lists (with their history), work-access applications with documents, and
one row per piece of work any module gives a community (the ledger the burden report counts).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class DutyItem(models.Model):
    """One line of a district's list: what a community does by law, or helps the government do."""

    List = models.TextChoices("List", [(k, (k, v)) for k, v in rules.LIST_LABELS.items()])

    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区"))
    list = models.CharField(_("清单"), max_length=10, choices=List.choices)
    number = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("类别"), max_length=40, blank=True)
    title = models.CharField(_("事项"), max_length=200)
    basis = models.TextField(_("法律法规依据"), blank=True)
    active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["district", "list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "list", "number"], name="duty_item_number_once"),
        ]
        verbose_name = verbose_name_plural = _("社区工作事项")

    def __str__(self):
        return f"{self.number}. {self.title}"


class DutyItemChange(models.Model):
    """The history of a list: who added, changed or retired an item, when, why, and its values before and after."""

    item = models.ForeignKey(DutyItem, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("操作"), max_length=10)  # added / edited / retired / restored
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = verbose_name_plural = _("清单修改记录")


class AccessApplication(models.Model):
    """社区工作准入申请: work outside the lists that a body wants communities to do."""

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.ACCESS_STATE_LABELS.items()])
    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.WORK_KIND_LABELS.items()])

    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区"))
    # The body that asks: a department, or a region office (a street, the district's own offices).
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请单位")
    )
    title = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("工作类型"), max_length=10, choices=Kind.choices, default=rules.TASK)
    content = models.TextField(_("工作内容"))
    basis = models.TextField(_("政策、文件依据"))
    reason = models.TextField(_("确需社区协办的理由"), blank=True)
    # The communities asked (all of the district's when empty).
    communities = models.ManyToManyField("regions.Region", blank=True, related_name="+", verbose_name=_("涉及社区"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=rules.DRAFT)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    first_opinion = models.TextField(_("初审意见"), blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_opinion = models.TextField(_("审批意见"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(office__isnull=True), name="access_one_applicant_body"
            ),
            # 初审 and 审批 are two people's decisions.
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=models.F("first_reviewer")),
                name="access_two_deciders",
            ),
        ]
        indexes = [models.Index(fields=["district", "state"], name="access_district_state")]
        verbose_name = verbose_name_plural = _("社区工作准入申请")

    def __str__(self):
        return self.title


class AccessDocument(models.Model):
    """A document attached to an application: the policy or legal basis, the work plan, others."""

    application = models.ForeignKey(AccessApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=10)  # basis / plan / other
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="burden/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = verbose_name_plural = _("准入申请材料")


class WorkRequest(models.Model):
    """One piece of work a module gave a community (a plan's task, a report it owes, a survey's forms), and where
    it stands against the lists. The module's own row is named by `source` ("campaigns.taskunit") and `source_id`;
    a held one stays out of the community's view until an access application covers it."""

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.WORK_KIND_LABELS.items()])
    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.WORK_STATE_LABELS.items()])

    community = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区"))
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requester = models.CharField(_("交办单位"), max_length=100)  # as shown in the report
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    source = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    title = models.CharField(_("工作事项"), max_length=200)
    duty_item = models.ForeignKey(DutyItem, null=True, blank=True, on_delete=models.PROTECT, related_name="work")
    access = models.ForeignKey(AccessApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="work")
    state = models.CharField(_("准入状态"), max_length=10, choices=State.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id", "community"], name="work_request_once"),
        ]
        indexes = [
            models.Index(fields=["community", "created_at"], name="work_request_community"),
            models.Index(fields=["source", "state", "source_id"], name="work_request_source"),
        ]
        verbose_name = verbose_name_plural = _("交办社区事项")

    def __str__(self):
        return self.title
