"""Forms of the residents' pages (/report/). They parse and render; cases.services validates the report itself.

Spam is kept out without a third-party captcha: a honeypot field people never see, and a signed token carrying
the moment the form was drawn, a small sum (加法题) in Chinese numerals and an id of its own. Forms sent back hours
later (the limit is stated on the form), or with a wrong sum, are refused with a message, everything given kept and
every other field checked in the same round; a form sent within seconds of being drawn is held back only once
everything else is right (views.report), with everything typed kept, the answer to the sum too. The token (and so its
question) stays with the form until its id is spent by the report it files (services.report_file), so each drawn
form files one report.

The place is set on the map, by the address search, or without either from a list of the communities and estates
(小区) the report may name (selectors.report_places): the list's point is used when no point was set otherwise.
"""

import secrets
import time
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from linli.core.forms import DomainErrorsMixin, Form
from linli.core.pii import mask_phone

from .. import rules, services
from ..selectors import category_choices
from .rules import MAX_FORM_AGE
from .selectors import report_places

TOKEN_SALT = "linli.cases.report-form"
MIN_FILL_SECONDS = 3  # nobody reads and fills the form faster; scripts do
TOKEN_ID_MAX = 32  # the column of SpentReportToken
HONEYPOT = "website"
DIGITS = "零一二三四五六七八九"

TOO_FAST = format_lazy(
    gettext_lazy(
        "为防止机器自动提交，页面打开后{seconds}秒内的提交不能受理。填写的内容、照片和验证答案都已保留，"
        "请核对后再点一次“提交”。"
    ),
    seconds=MIN_FILL_SECONDS,
)
TIME_LIMIT = format_lazy(
    gettext_lazy("本页打开后{hours}小时内提交有效。超过时间也不要紧：填写的文字会保留，换一道验证问题再提交即可。"),
    hours=MAX_FORM_AGE // 3600,
)

DESCRIPTION_EXAMPLE = gettext_lazy("发生了什么、持续多久，如：小区东门路灯坏了一周，晚上很黑")
# Service messages written for staff, reworded for residents.
PUBLIC_MESSAGES = {
    "category_id": gettext_lazy("请选择问题类型"),
    "location": gettext_lazy("请选择问题所在的位置（查找地址、从列表中选择，或在地图上点选）"),
}
# Where each service field's errors appear on the page.
FIELD_ALIASES = {"latitude": "location", "longitude": "location"}


def seconds_left(token: str) -> int:
    """How long a drawn form may still be sent, read from its token's time (shown to the resident; the signature is
    checked where it matters, Challenge.from_token)."""
    try:
        drawn = signing.b62_decode(token.rsplit(":", 2)[1])
    except (IndexError, ValueError):
        return MAX_FORM_AGE
    return max(0, min(MAX_FORM_AGE, MAX_FORM_AGE - int(time.time() - drawn)))


class FormRefused(Exception):
    """The anti-spam token is missing, forged, too fresh or too old: the message says what to do."""


@dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    # The id of the token the challenge was read from; every token() gets a new one.
    token_id: str = field(default="", compare=False)

    @classmethod
    def new(cls) -> "Challenge":
        return cls(secrets.randbelow(9) + 1, secrets.randbelow(9) + 1)

    @property
    def question(self) -> str:
        return gettext("%(DIGITS)s加%(DIGITS2)s等于几？") % {"DIGITS": DIGITS[self.a], "DIGITS2": DIGITS[self.b]}

    def accepts(self, answer: str) -> bool:
        """Digits typed on a Chinese keyboard come full-width (１２), and some write the sum in characters (十二)."""
        answer = unicodedata.normalize("NFKC", answer).strip()
        total = self.a + self.b
        spelled = DIGITS[total] if total < 10 else gettext("十") + (DIGITS[total - 10] if total > 10 else "")
        return answer in (str(total), spelled)

    def token(self) -> str:
        """Signed with the time of drawing (TimestampSigner); the sum is readable by anyone holding the page
        anyway, the signature only stops a script from choosing its own question, time or id. The id is new on
        every drawing, so a form that files its report cannot file another."""
        payload = {"a": self.a, "b": self.b, "id": secrets.token_urlsafe(12)}
        return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(payload)

    @classmethod
    def from_token(cls, token: str) -> "Challenge":
        """The challenge a token carries; FormRefused when it is forged or expired. A token drawn moments ago is
        read too (too_fresh says so), so the form keeps its question and the moment it was drawn."""
        signer = signing.TimestampSigner(salt=TOKEN_SALT)
        try:
            payload = signer.unsign_object(token or "", max_age=MAX_FORM_AGE)
        except signing.SignatureExpired as exc:
            raise FormRefused(gettext("页面打开时间过长（超过2小时），请核对填写的内容后重新提交。")) from exc
        except signing.BadSignature as exc:
            raise FormRefused(gettext("页面已失效，请核对填写的内容后重新提交。")) from exc
        a, b, token_id = payload.get("a"), payload.get("b"), payload.get("id")
        sum_ok = isinstance(a, int) and isinstance(b, int) and 0 < a < 10 and 0 < b < 10
        if not (sum_ok and isinstance(token_id, str) and 0 < len(token_id) <= TOKEN_ID_MAX):
            raise FormRefused(gettext("页面已失效，请核对填写的内容后重新提交。"))
        return cls(a, b, token_id)

    @staticmethod
    def too_fresh(token: str) -> bool:
        """Drawn less than MIN_FILL_SECONDS ago: still valid with so short a max_age."""
        try:
            signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(token, max_age=MIN_FILL_SECONDS)
        except signing.BadSignature:  # SignatureExpired included
            return False
        return True


class PhotosInput(forms.FileInput):
    allow_multiple_selected = True


class PlaceSelect(forms.Select):
    """The list of places, each option carrying its point (data-lat, data-lng) for the map to show."""

    points: dict[str, tuple[float, float]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        point = self.points.get(str(value))
        if point:
            option["attrs"].update({"data-lat": f"{point[0]:.6f}", "data-lng": f"{point[1]:.6f}"})
        return option


class ReportForm(DomainErrorsMixin, Form):
    name_fields = ("reporter_name",)
    category_id = forms.ChoiceField(label=gettext_lazy("问题类型"), required=False)
    description = forms.CharField(
        label=gettext_lazy("问题描述"),
        required=False,
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": DESCRIPTION_EXAMPLE}),
    )
    photos = forms.Field(
        label=gettext_lazy("现场照片"), required=False, widget=PhotosInput(attrs={"accept": "image/*"})
    )
    # Filled by the map; their errors are shown on the map ("location").
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    location = forms.CharField(label=gettext_lazy("问题位置"), required=False, widget=forms.HiddenInput)
    place = forms.ChoiceField(
        label=gettext_lazy("从列表中选择社区或小区"),
        required=False,
        widget=PlaceSelect(attrs={"aria-describedby": "location-help"}),
    )
    address = forms.CharField(
        label=gettext_lazy("详细地址"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：文艺路12号楼3单元门口")}),
    )
    reporter_phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("仅用于工作人员回访核实，不会公开。"),
    )
    reporter_name = forms.CharField(
        label=gettext_lazy("称呼"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：王女士"), "autocomplete": "name"}),
    )
    answer = forms.CharField(
        label=gettext_lazy("验证问题"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )

    def __init__(self, *args, account_phone: str = "", **kwargs):
        """`account_phone`: a signed-in resident's own number, which the report is filed with (shown masked, not
        editable: whatever is posted for it is ignored)."""
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = [("", gettext("请选择问题类型")), *category_choices(minors_only=True)]
        groups = report_places()
        self.place_points = {value: (lat, lng) for _, items in groups for value, _, lat, lng in items}
        place = self.fields["place"]
        place.choices = [("", gettext("不用列表（用上面的查找或下面的地图）")), *(
            (group, [(value, label) for value, label, _, _ in items]) for group, items in groups
        )]  # fmt: skip
        place.widget.points = self.place_points
        self.account_phone = account_phone
        if account_phone:
            phone = self.fields["reporter_phone"]
            phone.disabled, phone.initial = True, mask_phone(account_phone)
            phone.help_text = gettext("您已登录，使用账号的手机号；办理进展会发到“消息”，也可在“我的反映”中查看。")
        self.challenge: Challenge | None = None
        self.token = ""
        self.too_fast = False

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean(self):
        self._place_point()
        token = self.data.get("token", "")
        try:
            self.challenge = Challenge.from_token(token)
        except FormRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.token = token
        answer = (self.cleaned_data.get("answer") or "").strip()
        if not answer:
            self.add_error("answer", gettext("请回答验证问题（填写数字）"))
        elif not self.challenge.accepts(answer):
            self.add_error("answer", gettext("计算结果不对，请再算一下"))
        # Said only once everything else is right (views.report): a form with mistakes takes longer to correct.
        self.too_fast = Challenge.too_fresh(token)
        return self.cleaned_data

    def _place_point(self) -> None:
        """A place chosen from the list gives the point when neither the map nor the search set one."""
        point = self.place_points.get(self.cleaned_data.get("place") or "")
        if point and not (self.cleaned_data.get("latitude") and self.cleaned_data.get("longitude")):
            self.cleaned_data["latitude"], self.cleaned_data["longitude"] = (f"{v:.6f}" for v in point)

    def drawing(self, *, fresh: bool = False) -> tuple[Challenge, str]:
        """(challenge, token) to draw the form with. A form coming back keeps its question and its token, and so
        the moment it was first drawn: the answer given stays right, and a resident who sent too fast just sends
        again. A new one for a new form, for an expired or forged token, and (`fresh`) once the token is spent."""
        if self.challenge is not None and not fresh:
            return self.challenge, self.token
        challenge = Challenge.new()
        return challenge, challenge.token()

    def service_data(self) -> dict:
        keys = ("category_id", "description", "latitude", "longitude", "address", "reporter_phone", "reporter_name")
        data = {k: self.cleaned_data.get(k) or "" for k in keys}
        if self.account_phone:
            data["reporter_phone"] = self.account_phone
        return data

    field_aliases = FIELD_ALIASES
    field_messages = PUBLIC_MESSAGES
    # The place has no input of its own: the error summary links to the list of places, which carries its error.
    error_anchors = {"location": "id_place"}


class TrackForm(Form):
    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=40,
        error_messages={"required": gettext_lazy("请输入查询码")},
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": gettext_lazy("10位字母和数字，如 ABCDE 23456"),
            }
        ),
    )

    def clean_code(self) -> str:
        code = rules.normalise_tracking_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(gettext("请输入查询码"))
        return code


class RatingForm(DomainErrorsMixin, Form):
    rating = forms.ChoiceField(
        label=gettext_lazy("您对办理结果满意吗？"),
        required=False,
        choices=list(rules.RATING_LABELS.items()),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("意见或建议"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": gettext_lazy("如不满意，请说明原因，方便重新办理")}),
    )
