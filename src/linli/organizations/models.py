from django.db import models


class Organization(models.Model):
    """职能部门或物业企业: users who are not attached to a region belong to one of these."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "职能部门"
        COMPANY = "company", "物业企业"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    # The region it serves (a district department serves the whole district).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="organizations", verbose_name="所属区域"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    # Early pilot codes fail the GB 32100 check; staff may keep them with a recorded reason.
    credit_code_override = models.CharField("校验例外理由", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = "组织机构"
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="org_credit_code_unique"
            )
        ]

    def __str__(self):
        return self.name
