from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules


class Committee(models.Model):
    """业主委员会: one term of an estate's owners' committee. A new committee ends the current one (`ended_on`), so
    the rows of an estate are its history."""

    estate = models.ForeignKey(
        "people.Estate", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("小区")
    )
    # The estate's community, for the offices' scope (the community guides and files the committee).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("所属社区")
    )
    method = models.CharField(
        gettext_lazy("产生方式"), max_length=10, choices=list(rules.FORMATION.items()), default=rules.ELECTED
    )
    assembly_on = models.DateField(gettext_lazy("业主大会召开日期"))
    formed_on = models.DateField(gettext_lazy("成立日期"), help_text=gettext_lazy("选举产生之日，任期自该日起算"))
    term_ends = models.DateField(gettext_lazy("任期届满日期"))
    filed_on = models.DateField(gettext_lazy("街道备案日期"), null=True, blank=True)
    filing_number = models.CharField(gettext_lazy("备案编号"), max_length=50, blank=True)
    ended_on = models.DateField(
        gettext_lazy("终止日期"), null=True, blank=True, help_text=gettext_lazy("新一届成立之日")
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("登记人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("业主委员会")
        ordering = ["-formed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["estate"], condition=Q(ended_on__isnull=True), name="committee_one_current"
            ),
            models.CheckConstraint(
                condition=Q(term_ends__gt=models.F("formed_on")), name="committee_term_after_formed"
            ),
            models.CheckConstraint(
                condition=Q(assembly_on__lte=models.F("formed_on")), name="committee_elected_at_assembly"
            ),
        ]

    def __str__(self):
        return _("%(name)s业主委员会（%(formed_on)s届）") % {
            "name": self.estate.name,
            "formed_on": format(self.formed_on, "%Y"),
        }


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    # An owner of the estate (a HouseOwner row in it), checked when the committee is formed.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("业主")
    )
    role = models.CharField(gettext_lazy("职务"), max_length=12, choices=list(rules.MEMBER_ROLES.items()))
    party_member = models.BooleanField(gettext_lazy("中共党员"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("业主委员会委员")
        ordering = ["committee", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="committee_member_once"),
            models.UniqueConstraint(fields=["committee"], condition=Q(role=rules.CHAIR), name="committee_one_chair"),
        ]


class CommitteeReminder(models.Model):
    """A re-election reminder sent: one per committee and threshold, so the daily job tells the workers once."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="reminders")
    months = models.PositiveSmallIntegerField(gettext_lazy("提前月数"))
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("换届提醒")
        constraints = [models.UniqueConstraint(fields=["committee", "months"], name="committee_reminder_once")]


class PartyOrganization(models.Model):
    """红色物业: a Party organisation in a property company, in an owners' committee or the community's own, recorded
    by the community it works in."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("所属社区")
    )
    kind = models.CharField(gettext_lazy("组织形式"), max_length=12, choices=list(rules.PARTY_KINDS.items()))
    host = models.CharField(gettext_lazy("建在"), max_length=10, choices=list(rules.HOSTS.items()))
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=gettext_lazy("物业企业"),
    )  # fmt: skip
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="party_organizations",
        verbose_name=gettext_lazy("业主委员会"),
    )  # fmt: skip
    secretary = models.CharField(gettext_lazy("书记（组长）"), max_length=50)
    members = models.PositiveIntegerField(gettext_lazy("党员人数"))
    founded_on = models.DateField(gettext_lazy("成立日期"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("党组织")
        ordering = ["region", "host", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(host=rules.COMPANY, organization__isnull=False, committee__isnull=True)
                | Q(host=rules.COMMITTEE, organization__isnull=True, committee__isnull=False)
                | Q(host=rules.COMMUNITY, organization__isnull=True, committee__isnull=True),
                name="party_org_names_its_host",
            ),
        ]

    def __str__(self):
        return self.name


class CrossOffice(models.Model):
    """交叉任职: someone of one body (the community's Party organisation or office, a committee, a company) who also
    serves in another, e.g. the community Party secretary as a committee's vice chair."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("所属社区")
    )
    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    home = models.CharField(gettext_lazy("本职单位"), max_length=10, choices=list(rules.HOSTS.items()))
    home_post = models.CharField(gettext_lazy("本职职务"), max_length=50)
    serves = models.CharField(gettext_lazy("兼任单位"), max_length=10, choices=list(rules.HOSTS.items()))
    serves_post = models.CharField(gettext_lazy("兼任职务"), max_length=50)
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("业主委员会"),
    )
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=gettext_lazy("物业企业"),
    )  # fmt: skip
    since = models.DateField(gettext_lazy("任职日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("交叉任职")
        ordering = ["region", "-since", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(home=models.F("serves")), name="cross_office_two_bodies"),
        ]
