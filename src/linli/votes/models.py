from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class EstateClause(models.Model):
    """The silent-owner clause of an estate's 管理规约 or 议事规则, as the staff recorded it from the document."""

    class Silent(models.TextChoices):
        NONE = rules.SILENT_NONE, rules.SILENT_RULES[rules.SILENT_NONE]
        AGREE = rules.SILENT_AGREE, rules.SILENT_RULES[rules.SILENT_AGREE]
        MAJORITY = rules.SILENT_MAJORITY, rules.SILENT_RULES[rules.SILENT_MAJORITY]

    estate = models.OneToOneField("people.Estate", on_delete=models.CASCADE, related_name="+", verbose_name=_("小区"))
    silent = models.CharField(_("未投票业主的计票规定"), max_length=10, choices=Silent.choices, default=Silent.NONE)
    source = models.CharField(_("依据（规约或规则的条款）"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("小区表决规定")


class Vote(models.Model):
    """业主大会表决: one motion of an estate's owners' assembly. Opening it freezes the electorate (Voter rows)."""

    class State(models.TextChoices):
        DRAFT = rules.DRAFT, rules.STATES[rules.DRAFT]
        OPEN = rules.OPEN, rules.STATES[rules.OPEN]
        CLOSED = rules.CLOSED, rules.STATES[rules.CLOSED]
        PUBLISHED = rules.PUBLISHED, rules.STATES[rules.PUBLISHED]

    estate = models.ForeignKey("people.Estate", on_delete=models.PROTECT, related_name="+", verbose_name=_("小区"))
    # The estate's community, for the staff's scope.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区"))
    title = models.CharField(_("表决事项"), max_length=rules.TITLE_MAX)
    motion = models.TextField(_("议案内容"))
    item = models.CharField(_("民法典第二百七十八条事项"), max_length=2, choices=list(rules.ITEMS.items()))
    opens_on = models.DateField(_("投票开始日期"))
    closes_on = models.DateField(_("投票截止日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Frozen when the vote opens: the clause in force then and the electorate's totals.
    silent = models.CharField(_("未投票业主的计票规定"), max_length=10, choices=EstateClause.Silent.choices,
                              default=rules.SILENT_NONE)  # fmt: skip
    total_area = models.DecimalField(_("专有部分总面积(㎡)"), max_digits=14, decimal_places=2, default=0)
    total_owners = models.PositiveIntegerField(_("业主总人数"), default=0)
    # The summary computed at close (rules.summary); a recount compares the stored ballots with it.
    result = models.JSONField(_("表决结果"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("业主大会表决")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["region", "state"], name="vote_region_state")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="vote_closes_after_opening"),
            models.CheckConstraint(condition=Q(state=rules.DRAFT) | Q(opened_at__isnull=False), name="vote_opened"),
        ]

    def __str__(self):
        return self.title

    @property
    def item_label(self) -> str:
        return rules.ITEMS[self.item]


class Voter(models.Model):
    """One owner of the frozen electorate: identical owner sets of the units make one, the developer's unsold units
    one (rules.electorate). `units` keeps each unit's label, area and whether the area is the 建筑面积 fallback."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="voters")
    key = models.CharField(max_length=200)
    persons = models.ManyToManyField("people.Person", related_name="+", blank=True)
    area = models.DecimalField(_("专有部分面积(㎡)"), max_digits=12, decimal_places=2)
    fallback = models.BooleanField(_("含以建筑面积计的房屋"), default=False)
    units = models.JSONField(_("专有部分"))

    class Meta:
        verbose_name = verbose_name_plural = _("表决业主")
        ordering = ["vote", "id"]  # as rules.electorate lists them: by their first unit
        constraints = [models.UniqueConstraint(fields=["vote", "key"], name="voter_unique_in_vote")]

    @property
    def developer(self) -> bool:
        return self.key == rules.DEVELOPER_KEY

    @property
    def units_label(self) -> str:
        return "、".join(u["label"] for u in self.units)


class Ballot(models.Model):
    """表决票: one per owner (the unique voter), never changed once cast; a joint owner casts the owners' one."""

    class Choice(models.TextChoices):
        AGREE = rules.AGREE, rules.CHOICES[rules.AGREE]
        AGAINST = rules.AGAINST, rules.CHOICES[rules.AGAINST]
        ABSTAIN = rules.ABSTAIN, rules.CHOICES[rules.ABSTAIN]

    class Channel(models.TextChoices):
        PORTAL = rules.PORTAL, rules.CHANNELS[rules.PORTAL]
        PAPER = rules.PAPER, rules.CHANNELS[rules.PAPER]
        PROXY = rules.PROXY, rules.CHANNELS[rules.PROXY]

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    voter = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="ballot")
    choice = models.CharField(_("表决意见"), max_length=10, choices=Choice.choices)
    channel = models.CharField(_("投票方式"), max_length=10, choices=Channel.choices)
    # The owner who cast it in the portal (one of the joint owners), else None.
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proxy_name = models.CharField(_("代理人姓名"), max_length=50, blank=True)
    proxy_document = models.CharField(_("授权委托书"), max_length=200, blank=True)
    scan = models.FileField(_("纸质表决票扫描件"), upload_to="votes/ballots/%Y/%m/", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cast_at = models.DateTimeField(_("投票时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("表决票")
        ordering = ["cast_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(channel=rules.PROXY) | ~Q(proxy_name=""), name="ballot_proxy_named"),
            models.CheckConstraint(condition=~Q(channel=rules.PAPER) | ~Q(scan=""), name="ballot_paper_scanned"),
            models.CheckConstraint(
                condition=~Q(channel=rules.PORTAL) | Q(person__isnull=False), name="ballot_portal_by_owner"
            ),  # fmt: skip
        ]
