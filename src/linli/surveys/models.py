"""调查与普查: a survey is a campaign plan with a survey attached (its phases, tasks, 督办 and 通报 are the plan's);
forms are data and versioned; the frame is frozen from the registry when the survey starts; enumeration areas
(普查小区) group buildings; draws are seeded and recorded so that anyone can recompute them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules
from .coverage import rules as coverage_rules


class Survey(models.Model):
    """调查/普查 project. Its region and dates are the plan's; the survey adds what is counted and how."""

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in rules.KINDS.items()])
    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.STATES.items()])

    plan = models.OneToOneField(
        "campaigns.Plan", on_delete=models.PROTECT, related_name="survey", verbose_name=gettext_lazy("工作方案")
    )
    kind = models.CharField(gettext_lazy("类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(gettext_lazy("名称"), max_length=100)
    # 标准时间 of a census (e.g. 11月1日零时): who lives where is read from the registry as of this moment.
    standard_moment = models.DateTimeField(gettext_lazy("标准时间"), null=True, blank=True)
    # A unit survey's frame: organisations registered before this date (e.g. 12月31日前注册).
    registered_before = models.DateField(gettext_lazy("注册截止日期"), null=True, blank=True)
    # The organisation kinds a unit survey covers, and whether only those with an occupational-disease hazard.
    hazard_only = models.BooleanField(gettext_lazy("仅职业病危害企业"), default=False)
    # 普查小区 are proposed at about this many people each.
    area_people = models.PositiveIntegerField(gettext_lazy("普查小区人数(约)"), default=300)
    # Shares in per cent: the long form's (10 % of households) and the on-site re-check's (2 % of returned forms).
    long_form_percent = models.DecimalField(gettext_lazy("长表抽取比例(%)"), max_digits=5, decimal_places=2, default=10)
    recheck_percent = models.DecimalField(gettext_lazy("复核抽取比例(%)"), max_digits=5, decimal_places=2, default=2)
    state = models.CharField(gettext_lazy("状态"), max_length=10, choices=State.choices, default=rules.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(gettext_lazy("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("结束时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("调查项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="survey_census_has_moment",
                condition=~Q(kind=rules.CENSUS) | Q(standard_moment__isnull=False),
            ),
            models.CheckConstraint(
                name="survey_units_has_cutoff",
                condition=~Q(kind=rules.UNITS) | Q(registered_before__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title


class Form(models.Model):
    """A form's identity (e.g. 第六次全国人口普查表短表); its questions live in its versions."""

    code = models.SlugField(gettext_lazy("代码"), max_length=40, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("调查表")
        ordering = ["code"]

    def __str__(self):
        return self.name


class FormVersion(models.Model):
    """One version of a form: its sections and questions as data (surveys.forms.rules checks the definition).
    A published version is never changed: a change is a new version."""

    form = models.ForeignKey(
        Form, on_delete=models.PROTECT, related_name="versions", verbose_name=gettext_lazy("调查表")
    )
    number = models.PositiveIntegerField(gettext_lazy("版本号"))
    definition = models.JSONField(gettext_lazy("表式定义"))
    note = models.CharField(gettext_lazy("修订说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(gettext_lazy("发布时间"), null=True, blank=True)
    # Counts the saves of a draft, so that two clerks editing one draft do not overwrite each other (409).
    revision = models.PositiveIntegerField(gettext_lazy("修改次数"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("调查表版本")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="formversion_unique_number")]

    def __str__(self):
        return _("%(name)s 第%(number)s版") % {"name": self.form.name, "number": self.number}


class SurveyForm(models.Model):
    """The version of a form a survey uses in one role (short, long, death, unit, re-check)."""

    Role = models.TextChoices("Role", [(k, (k, v)) for k, v in rules.FORM_ROLES.items()])

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="forms")
    role = models.CharField(gettext_lazy("用途"), max_length=10, choices=Role.choices)
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("表式版本")
    )

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("调查项目用表")
        constraints = [models.UniqueConstraint(fields=["survey", "role"], name="surveyform_unique_role")]


class Area(models.Model):
    """普查小区 (or the survey area of a unit survey): buildings of one community, entered by its enumerators.
    Areas may overlap or leave gaps while being edited; the coverage check (surveys.areas) must pass before the
    survey starts."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="areas")
    # 普查区 = the community the area lies in.
    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("普查区")
    )
    code = models.CharField(gettext_lazy("小区编号"), max_length=12)
    name = models.CharField(gettext_lazy("名称"), max_length=60, blank=True)
    buildings = models.ManyToManyField("people.Building", through="AreaBuilding", related_name="+")
    enumerators = models.ManyToManyField(settings.AUTH_USER_MODEL, through="AreaEnumerator", related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("普查小区")
        ordering = ["survey", "code"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="area_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class AreaBuilding(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="area_buildings")
    building = models.ForeignKey("people.Building", on_delete=models.PROTECT, related_name="+")
    # Position in the area's walking order (by building order when proposed).
    order = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "building"], name="areabuilding_unique")]


class AreaEnumerator(models.Model):
    """An enumerator (普查员) or supervisor (普查指导员) of an area: a staff user; they see only their areas."""

    class Duty(models.TextChoices):
        ENUMERATOR = "enumerator", gettext_lazy("普查员")
        SUPERVISOR = "supervisor", gettext_lazy("普查指导员")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_assignments")
    duty = models.CharField(gettext_lazy("职责"), max_length=10, choices=Duty.choices, default=Duty.ENUMERATOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "user"], name="areaenumerator_unique")]


class Frame(models.Model):
    """抽样框/调查对象名录, frozen from the registry when the survey starts, with its counts and a digest of its
    ordered unit keys (what a draw is recomputed from)."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="frame")
    moment = models.DateTimeField(gettext_lazy("名录时点"))
    units = models.PositiveIntegerField(gettext_lazy("单位/户数"), default=0)
    persons = models.PositiveIntegerField(gettext_lazy("人数"), default=0)
    digest = models.CharField(gettext_lazy("名录摘要(SHA-256)"), max_length=64)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    frozen_at = models.DateTimeField(gettext_lazy("冻结时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("调查名录")


class FrameUnit(models.Model):
    """One household (census) or organisation (unit survey) of a frame, with what the registry said of it at the
    frame's moment and its visit state."""

    State = models.TextChoices("State", [(k, (k, v)) for k, v in rules.UNIT_STATES.items()])

    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="frame_units")
    # Its place in the frame's order: the draws and the digest go by it.
    position = models.PositiveIntegerField(gettext_lazy("序号"))
    # The unit's key in the frame's digest and draws: a household's 户号, an organisation's credit code (or
    # "org-<id>" without one). A household deleted from the registry after the standard moment keeps its key and
    # has no household link.
    key = models.CharField(gettext_lazy("名录键"), max_length=40, default="")
    household = models.ForeignKey("people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey("people.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="frame_units")
    persons = models.PositiveIntegerField(gettext_lazy("登记人数"), default=0)
    label = models.CharField(gettext_lazy("户/单位"), max_length=200)
    # The main form this unit fills in (short or long for a census household, after the long-form draw).
    form_role = models.CharField(
        gettext_lazy("填报表式"), max_length=10, choices=SurveyForm.Role.choices, default=rules.SHORT
    )
    state = models.CharField(gettext_lazy("入户状态"), max_length=12, choices=State.choices, default=rules.NOT_VISITED)
    state_note = models.CharField(gettext_lazy("情况说明"), max_length=200, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    visited_at = models.DateTimeField(gettext_lazy("入户时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("名录单位")
        ordering = ["frame", "position"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "position"], name="frameunit_unique_position"),
            models.UniqueConstraint(
                fields=["frame", "household"], condition=Q(household__isnull=False), name="frameunit_unique_household"
            ),
            models.UniqueConstraint(
                fields=["frame", "organization"],
                condition=Q(organization__isnull=False),
                name="frameunit_unique_organization",
            ),
            models.CheckConstraint(
                name="frameunit_household_or_organization",
                condition=Q(household__isnull=True) | Q(organization__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["area", "position"], name="frameunit_area_position")]


class Draw(models.Model):
    """A recorded random draw: the seed, the population it was drawn from (size and digest) and the rule, so that
    anyone can recompute it (surveys.frames.rules)."""

    Purpose = models.TextChoices("Purpose", [(k, (k, v)) for k, v in rules.DRAW_PURPOSES.items()])

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="draws")
    purpose = models.CharField(gettext_lazy("用途"), max_length=10, choices=Purpose.choices)
    seed = models.CharField(gettext_lazy("随机种子"), max_length=64)
    percent = models.DecimalField(gettext_lazy("抽取比例(%)"), max_digits=5, decimal_places=2)
    population = models.PositiveIntegerField(gettext_lazy("总体数"))
    population_digest = models.CharField(gettext_lazy("总体摘要(SHA-256)"), max_length=64)
    drawn = models.PositiveIntegerField(gettext_lazy("抽中数"))
    # Per stratum (area code): population and drawn counts, as published.
    strata = models.JSONField(gettext_lazy("分层情况"), default=dict)
    method = models.CharField(gettext_lazy("抽取方法"), max_length=60)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(gettext_lazy("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("随机抽取")
        constraints = [models.UniqueConstraint(fields=["survey", "purpose"], name="draw_unique_purpose")]


class DrawPick(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="picks")
    unit = models.ForeignKey(FrameUnit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draw", "unit"], name="drawpick_unique")]


class Response(models.Model):
    """一份调查表: the answers of one unit in one form role, entered by an enumerator (or from a returned paper
    form). The key the device chose makes a resubmission after a lost connection land once."""

    unit = models.ForeignKey(FrameUnit, on_delete=models.PROTECT, related_name="responses")
    role = models.CharField(gettext_lazy("表式"), max_length=10, choices=SurveyForm.Role.choices)
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(gettext_lazy("填报内容"))
    idempotency_key = models.UUIDField(gettext_lazy("提交编号"), unique=True)
    # 宣读核对: the enumerator read the answers back to the respondent before submitting.
    read_back = models.BooleanField(gettext_lazy("已向申报人宣读核对"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # When filled in on the device, and when it reached the server.
    filled_at = models.DateTimeField(gettext_lazy("填报时间"))
    received_at = models.DateTimeField(gettext_lazy("接收时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("调查表填报")
        constraints = [models.UniqueConstraint(fields=["unit", "role"], name="response_unique_role")]


# ---- quality


class Recheck(models.Model):
    """复核: a drawn form checked again on site by someone other than its enumerator, item by item. `differences`
    holds every compared item (surveys.quality.rules.compare) as recorded, so the error rates never change when a
    correction is applied afterwards."""

    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="recheck")
    # The form the re-checker filled in: the checked form's own version for a census, the quality-control record
    # (质量控制检查结果抽查记录表) for a unit survey.
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(gettext_lazy("复核填报内容"))
    differences = models.JSONField(gettext_lazy("逐项比对"), default=list)
    items_checked = models.PositiveIntegerField(gettext_lazy("核对项数"))
    items_wrong = models.PositiveIntegerField(gettext_lazy("差错项数"))
    conclusion = models.CharField(gettext_lazy("复核结论"), max_length=200)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(gettext_lazy("复核时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("复核记录")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="recheck_wrong_within_checked", condition=Q(items_wrong__lte=models.F("items_checked"))
            )
        ]


class Correction(models.Model):
    """更正: one answer of a form changed after entry (usually on a re-check's finding), the old value kept."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="corrections")
    path = models.CharField(gettext_lazy("项目"), max_length=60)
    old = models.JSONField(gettext_lazy("原值"), null=True)
    new = models.JSONField(gettext_lazy("更正值"), null=True)
    reason = models.CharField(gettext_lazy("更正原因"), max_length=200)
    # The response's version this correction made (the answers' versions: 1 as entered, then one per correction).
    version = models.PositiveIntegerField(gettext_lazy("更正后版本"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(gettext_lazy("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("更正记录")
        ordering = ["response", "at", "id"]


# ---- coverage
class Finding(models.Model):
    """覆盖核查: one entry of a clean-up list (漏登, 未登记, 人户分离, 无户口, 应销未销), found by comparing a census's
    returned forms with the registry at the standard moment (surveys.coverage.rules). Recomputing keeps the
    decisions taken (by `key`); a reviewer applies it to the registry through the people services, or dismisses it
    with a reason."""

    Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in coverage_rules.KINDS.items()])
    State = models.TextChoices("State", [(k, (k, v)) for k, v in coverage_rules.STATES.items()])

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(gettext_lazy("类别"), max_length=12, choices=Kind.choices)
    key = models.CharField(gettext_lazy("核查键"), max_length=200)
    unit = models.ForeignKey(
        FrameUnit, on_delete=models.CASCADE, related_name="findings", verbose_name=gettext_lazy("户")
    )
    # The registry person the finding is about; none for a person only the enumeration knows.
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("户籍人员"),
    )
    reason = models.CharField(gettext_lazy("核查结果"), max_length=200)
    # The enumerated row as the form gave it (name, sex, birth, 户口登记地 …): the census forms hold no ID numbers.
    data = models.JSONField(gettext_lazy("普查登记内容"), default=dict, blank=True)
    # The registry correction applying proposes (surveys.coverage.rules.ACTIONS).
    change = models.JSONField(gettext_lazy("拟更正"), default=dict)
    state = models.CharField(
        gettext_lazy("处理状态"), max_length=10, choices=State.choices, default=coverage_rules.PENDING
    )
    note = models.CharField(gettext_lazy("处理说明"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(gettext_lazy("处理时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    found_at = models.DateTimeField(gettext_lazy("核查时间"))

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("覆盖核查结果")
        ordering = ["survey", "unit__position", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="finding_unique_key")]
        indexes = [models.Index(fields=["survey", "kind", "state"], name="finding_survey_kind_state")]
