"""Forms of the consultation pages: a proposal (staff: any place of their scope, as a notice's audience; a resident:
the places they belong to), a decision, a comment, hiding one, a poll's set-up, a vote."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DomainErrorsMixin, Form, VersionField
from linli.notices.forms import audience_choices

from . import rules

PLACE_HELP = gettext_lazy("范围内居住或有房产的已实名居民可以参与讨论和投票")


class ProposalForm(DomainErrorsMixin, Form):
    name_fields = ("title",)
    field_aliases = {"audience": "target"}

    title = forms.CharField(label=_("议题"), max_length=rules.TITLE_MAX)
    body = forms.CharField(label=_("内容和理由"), max_length=rules.BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    target = forms.ChoiceField(label=_("范围"), help_text=PLACE_HELP)

    def __init__(self, data=None, *, choices, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["target"].choices = choices

    def content(self) -> dict:
        audience, target = self.cleaned_data["target"].split(":")
        return {"title": self.cleaned_data["title"], "body": self.cleaned_data["body"], "audience": audience,
                "target": int(target)}  # fmt: skip


def staff_proposal_form(data=None, *, user) -> ProposalForm:
    return ProposalForm(data, choices=audience_choices(user))


def resident_proposal_form(data=None, *, places) -> ProposalForm:
    return ProposalForm(data, choices=[(f"{a}:{i}", label) for a, i, label in places])


class CommentForm(DomainErrorsMixin, Form):
    body = forms.CharField(label=_("评论"), max_length=rules.COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=_("意见（不予受理、隐藏评论时必填）"), max_length=rules.REASON_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    version = VersionField(required=False)


class PollForm(DomainErrorsMixin, Form):
    name_fields = ("question",)

    question = forms.CharField(label=_("投票事项"), max_length=rules.TITLE_MAX)
    options = forms.CharField(
        label=_("选项"), widget=forms.Textarea(attrs={"rows": 3}),
        initial=lambda: "\n".join(map(str, rules.DEFAULT_OPTIONS)),  # the options are lazy: joined when shown
        help_text=format_lazy(_("每行一个，{min}至{max}个"), min=rules.OPTIONS_MIN, max=rules.OPTIONS_MAX),
    )  # fmt: skip
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    quorum_kind = forms.ChoiceField(label=_("最低参与要求"), choices=list(rules.QUORUM_LABELS.items()))
    quorum_value = forms.IntegerField(label=_("最低参与率（%）或人数"), min_value=1, max_value=100_000, initial=50)
    pass_rule = forms.ChoiceField(label=_("通过规则"), choices=list(rules.PASS_LABELS.items()))
    version = VersionField(required=False)

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "question": data["question"], "options": data["options"].splitlines(), "closes_at": data["closes_at"],
            "quorum_kind": data["quorum_kind"], "quorum_value": data["quorum_value"], "pass_rule": data["pass_rule"],
        }  # fmt: skip


class VoteForm(Form):
    option = forms.TypedChoiceField(label=_("我的选择"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, data=None, *, options, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["option"].choices = [(o["id"], o["label"]) for o in options]
