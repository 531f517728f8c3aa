"""物业监管: what the district's housing authority keeps about property companies (their profile, project managers,
projects on estates) and their credit files (诚信档案). A company is an organizations.Organization of kind company;
its estates' 物业化 status lives on people.Estate."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules


class CompanyProfile(models.Model):
    """The file's first page: who answers for the company and how to reach it."""

    company = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="property_profile",
        limit_choices_to={"kind": "company"}, verbose_name=_("物业企业"),
    )  # fmt: skip
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    # The national 资质等级 were abolished in 2018 (国发〔2017〕46号): kept for the record, blank for most.
    qualification = models.CharField(
        _("原资质等级"), max_length=12, choices=rules.QUALIFICATION_LABELS.items(), default=rules.NO_QUALIFICATION
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("物业企业档案")


class ProjectManager(models.Model):
    """项目经理 (物业管理处主任) with the certificate the seed asks them to hold (持证上岗)."""

    company = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="project_managers",
        verbose_name=_("物业企业"),
    )  # fmt: skip
    name = models.CharField(_("姓名"), max_length=50)
    certificate_kind = models.CharField(_("证书名称"), max_length=60)
    certificate_number = models.CharField(_("证书编号"), max_length=40)
    certificate_valid_until = models.DateField(_("有效期至"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company", "name", "id"]
        verbose_name = verbose_name_plural = _("项目经理")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_kind", "certificate_number"], name="manager_certificate_unique"
            )
        ]


class Project(models.Model):
    """物业服务项目: a company serving an estate under a contract. The first one of an estate is the 前期 project,
    chosen as the tender rule says (rules.tender_check); the contract's end, when past, closes it."""

    company = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="property_projects",
        verbose_name=_("物业企业"),
    )  # fmt: skip
    estate = models.ForeignKey(
        "people.Estate", on_delete=models.PROTECT, related_name="property_projects", verbose_name=_("小区")
    )
    manager = models.ForeignKey(
        ProjectManager, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects",
        verbose_name=_("项目经理"),
    )  # fmt: skip
    preliminary = models.BooleanField(_("前期物业"), default=False)
    contract_start = models.DateField(_("合同开始"))
    contract_end = models.DateField(_("合同结束"), null=True, blank=True)
    fee = models.DecimalField(_("物业费标准(元/㎡·月)"), max_digits=6, decimal_places=2)
    selection = models.CharField(_("选聘方式"), max_length=12, choices=rules.SELECTION_LABELS.items())
    invited = models.PositiveSmallIntegerField(_("邀请企业数"), null=True, blank=True)
    approval = models.CharField(_("批准记录"), max_length=200, blank=True)
    area = models.DecimalField(_("计算招标要求的建筑面积(㎡)"), max_digits=12, decimal_places=2)
    ended_at = models.DateField(_("终止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["estate", "-contract_start", "-id"]
        verbose_name = verbose_name_plural = _("物业服务项目")
        constraints = [
            # One company serves an estate at a time: the project not ended.
            models.UniqueConstraint(
                fields=["estate"], condition=models.Q(ended_at__isnull=True), name="project_one_current_per_estate"
            ),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="project_fee_not_negative"),
        ]


class CreditRecord(models.Model):
    """One line of a company's 诚信档案: a good or bad record from the scheme's catalogue, for a year, with its
    evidence. The points are copied from the catalogue when recorded, so a later change of the scheme does not
    rewrite past years. A record is voided (作废, with a reason), never deleted."""

    company = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="credit_records",
        verbose_name=_("物业企业"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    item = models.CharField(_("事项代码"), max_length=8)
    kind = models.CharField(_("类别"), max_length=4, choices=rules.KIND_LABELS.items())
    label = models.CharField(_("事项"), max_length=100)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    evidence = models.TextField(_("事实与证据"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("关联投诉事件")
    )
    recorded_on = models.DateField(_("记录日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-recorded_on", "-id"]
        verbose_name = verbose_name_plural = _("诚信记录")
        indexes = [models.Index(fields=["company", "year"], name="credit_company_year")]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=0), name="credit_points_not_negative"),
            # The same verified complaint counts once against the company.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(voided_at__isnull=True, case__isnull=False),
                name="credit_one_record_per_case",
            ),
        ]  # fmt: skip
