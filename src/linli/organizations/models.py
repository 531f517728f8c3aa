from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

# GB/T 4754-2017 国民经济行业分类, its 门类.
INDUSTRIES = [
    ("A", gettext_lazy("农、林、牧、渔业")),
    ("B", gettext_lazy("采矿业")),
    ("C", gettext_lazy("制造业")),
    ("D", gettext_lazy("电力、热力、燃气及水生产和供应业")),
    ("E", gettext_lazy("建筑业")),
    ("F", gettext_lazy("批发和零售业")),
    ("G", gettext_lazy("交通运输、仓储和邮政业")),
    ("H", gettext_lazy("住宿和餐饮业")),
    ("I", gettext_lazy("信息传输、软件和信息技术服务业")),
    ("J", gettext_lazy("金融业")),
    ("K", gettext_lazy("房地产业")),
    ("L", gettext_lazy("租赁和商务服务业")),
    ("M", gettext_lazy("科学研究和技术服务业")),
    ("N", gettext_lazy("水利、环境和公共设施管理业")),
    ("O", gettext_lazy("居民服务、修理和其他服务业")),
    ("P", gettext_lazy("教育")),
    ("Q", gettext_lazy("卫生和社会工作")),
    ("R", gettext_lazy("文化、体育和娱乐业")),
    ("S", gettext_lazy("公共管理、社会保障和社会组织")),
    ("T", gettext_lazy("国际组织")),
]


class Organization(models.Model):
    """职能部门、物业企业或辖区企业: users who are not attached to a region belong to a department or company;
    enterprises are the units that unit surveys (e.g. 职业健康状况调查) are sent to."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("职能部门")
        COMPANY = "company", _("物业企业")
        ENTERPRISE = "enterprise", _("辖区企业")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    # The region it serves (a district department serves the whole district).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="organizations", verbose_name=_("所属区域")
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # Early pilot codes fail the GB 32100 check; staff may keep them with a recorded reason.
    credit_code_override = models.CharField(_("校验例外理由"), max_length=200, blank=True)
    # An enterprise's registration with the market regulator, its industry (GB/T 4754 门类) and whether it is
    # classed as having occupational-disease hazards (职业病危害企业): what a unit survey's frame is drawn by.
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    industry = models.CharField(_("行业门类"), max_length=1, choices=INDUSTRIES, blank=True)
    occupational_hazard = models.BooleanField(_("存在职业病危害"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = _("组织机构")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="org_credit_code_unique"
            )
        ]

    def __str__(self):
        return self.name
