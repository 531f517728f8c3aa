from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.notices.models import Audience, names_its_target

from . import rules


class Proposal(models.Model):
    """议题: a matter a resident or a community office puts to the residents of a community, a grid, an estate or a
    building. Its place is addressed as a notice's audience is (linli.notices), and the same residents are reached."""

    class Status(models.TextChoices):
        SUBMITTED = rules.SUBMITTED, rules.STATUS_LABELS[rules.SUBMITTED]
        ACCEPTED = rules.ACCEPTED, rules.STATUS_LABELS[rules.ACCEPTED]
        DECLINED = rules.DECLINED, rules.STATUS_LABELS[rules.DECLINED]

    title = models.CharField(_("议题"), max_length=rules.TITLE_MAX)
    body = models.TextField(_("内容和理由"))
    audience = models.CharField(_("范围"), max_length=10, choices=Audience.choices)
    # The community or grid of the place, for the staff's scope: an estate's community, a building's grid.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区域"))
    estate = models.ForeignKey(
        "people.Estate", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    building = models.ForeignKey(
        "people.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("楼栋")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提议人")
    )
    by_resident = models.BooleanField(_("居民提议"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("受理人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    reason = models.CharField(_("受理意见"), max_length=rules.REASON_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("议题")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status", "created_at"], name="proposal_region_status")]
        constraints = [
            names_its_target("proposal_audience_names_its_target"),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(status=rules.DECLINED) | ~Q(reason=""), name="proposal_declined_has_reason"
            ),
        ]

    def __str__(self):
        return self.title


class Comment(models.Model):
    """A resident's or a worker's word in a proposal's discussion. Moderation hides it with a reason; it is never
    deleted, so the discussion's record stays whole."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    # A resident who deletes their account (注销) leaves their words in the record, no longer theirs.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_resident = models.BooleanField(default=True)
    body = models.TextField(_("评论"))
    created_at = models.DateTimeField(_("时间"))
    hidden_reason = models.CharField(_("隐藏理由"), max_length=rules.REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("议题评论")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="comment_hidden_has_reason"
            ),
        ]


class Poll(models.Model):
    """投票 on an accepted proposal: one per proposal, open from its set-up until closed; its result is recomputed
    from the ballots and shown to the proposal's residents once published."""

    class Status(models.TextChoices):
        OPEN = rules.OPEN, rules.POLL_STATUS_LABELS[rules.OPEN]
        CLOSED = rules.CLOSED, rules.POLL_STATUS_LABELS[rules.CLOSED]
        PUBLISHED = rules.PUBLISHED, rules.POLL_STATUS_LABELS[rules.PUBLISHED]

    class Quorum(models.TextChoices):
        SHARE = rules.SHARE, rules.QUORUM_LABELS[rules.SHARE]
        COUNT = rules.COUNT, rules.QUORUM_LABELS[rules.COUNT]

    class PassRule(models.TextChoices):
        SIMPLE = rules.SIMPLE, rules.PASS_LABELS[rules.SIMPLE]
        TWO_THIRDS = rules.TWO_THIRDS, rules.PASS_LABELS[rules.TWO_THIRDS]

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("投票事项"), max_length=rules.TITLE_MAX)
    closes_at = models.DateTimeField(_("截止时间"))
    quorum_kind = models.CharField(_("最低参与要求"), max_length=10, choices=Quorum.choices)
    quorum_value = models.PositiveIntegerField(_("最低参与（%或人数）"))
    pass_rule = models.CharField(_("通过规则"), max_length=12, choices=PassRule.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("实际截止时间"), null=True, blank=True)
    # The residents of the place when the poll closed: the turnout's denominator stays as it was at the close.
    eligible = models.PositiveIntegerField(_("有投票资格的居民数"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = _("议题投票")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=rules.OPEN) | Q(closed_at__isnull=False, eligible__isnull=False),
                name="poll_closed_has_electorate",
            ),
        ]


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("选项"), max_length=rules.OPTION_MAX)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position_unique")]

    def __str__(self):
        return self.label


class Ballot(models.Model):
    """One resident's vote in a poll. The unique constraint is what refuses a second vote, even two sent at once."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    option = models.ForeignKey(PollOption, on_delete=models.PROTECT, related_name="ballots")
    # A deleted account's vote still counts: a published result must stay what the ballots say.
    resident = models.ForeignKey("residents.Resident", null=True, on_delete=models.SET_NULL, related_name="+")
    cast_at = models.DateTimeField(_("投票时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("议题投票记录")
        constraints = [models.UniqueConstraint(fields=["poll", "resident"], name="consultation_one_vote_per_resident")]
