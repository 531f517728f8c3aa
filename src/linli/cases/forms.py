"""Forms of the case pages. They parse and render; services validate and act (services.case_create, case_act)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import scope
from linli.core.forms import DomainErrorsMixin, Form, IdField, VersionField, id_or_none, version_or_none
from linli.core.reference import covering
from linli.people.selectors import estate_list, house_list
from linli.regions import rules as region_rules
from linli.regions.selectors import region_list, scope_nodes

from . import rules, selectors
from .models import Case
from .services import INTAKE_CHANNELS, MAX_EXTENSION_DAYS, MAX_PHOTOS

ALL = ("", gettext_lazy("全部"))
DEFAULT_DEPARTMENT = gettext_lazy("按分类默认单位")


class PhotoPicker(forms.FileInput):
    """The file box with 拍照 and 从相册选择 beside it (static/linli/photo-picker.js shows them, with previews, and
    hides the box); without JavaScript the box itself takes the photos. `camera` puts 拍照 first, for the pages
    used in the field."""

    template_name = "cases/widgets/photos.html"
    allow_multiple_selected = True

    def __init__(self, *, camera: bool = False):
        super().__init__(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})
        self.camera = camera

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["camera"] = self.camera
        context["max_photos"] = MAX_PHOTOS
        return context


class PhotosField(forms.FileField):
    """Any number of photos; services.validate_photos checks each one (type, size, count)."""

    def __init__(self, *, camera: bool = False, **kwargs):
        kwargs.setdefault("widget", PhotoPicker(camera=camera))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "照片")
        kwargs.setdefault("help_text", "JPEG、PNG或WebP格式，最多6张，每张不超过5MB")
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


# ---------------------------------------------------------------- choices


def region_choices(user) -> list:
    """Streets, communities and grids of the user's scope, indented by level (the nodes kept in memory)."""
    nodes = scope_nodes(user=user)
    return [
        (str(n.pk), "\u3000" * (n.level - region_rules.STREET) + n.name)
        for n in nodes
        if n.level >= region_rules.STREET
    ]


def place_choices(user) -> tuple[list, list[str]]:
    """(choices, grid ids) for where a case happened: the grids of the user's scope grouped by community, each
    community also a choice of its own for when the grid is not known."""
    groups: dict[str, tuple[str, list]] = {}
    grids = []
    for node in region_list(user=user):
        if node.level == region_rules.COMMUNITY:
            groups[node.path] = (node.name, [(str(node.pk), _("%(name)s（网格不确定时）") % {"name": node.name})])
        elif node.level >= region_rules.GRID:
            community = next((p for p in groups if scope.contains(p, node.path)), None)
            if community is None:  # the user's scope starts below the community
                community = node.parent.path if node.parent else node.path
                groups.setdefault(community, (node.parent.name if node.parent else "", []))
            groups[community][1].append((str(node.pk), rules.short_name(node.name, node.parent and node.parent.name)))
            grids.append(str(node.pk))
    return list(groups.values()), grids


def department_choices() -> list:
    return [(str(pk), name) for pk, name in selectors.departments()]


def channel_choices(channels=None) -> list:
    return [(value, label) for value, label in Case.Channel.choices if channels is None or value in channels]


# ---------------------------------------------------------------- lists


class CaseFilterForm(Form):
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("案件编号，或描述、地址中的词"), "type": "search"}),
    )
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("来源渠道"), required=False)
    category = forms.TypedChoiceField(label=gettext_lazy("分类"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=gettext_lazy("区域"), required=False, coerce=int, empty_value=None)
    light = forms.ChoiceField(
        label=gettext_lazy("预警"), required=False, choices=[ALL, *((k, v) for k, v in rules.LIGHT_LABELS.items())]
    )
    department = forms.TypedChoiceField(label=gettext_lazy("主办单位"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, user, states, with_department: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["state"].choices = [ALL, *((s, rules.STATE_LABELS[s]) for s in rules.STATE_LABELS if s in states)]
        self.fields["channel"].choices = [ALL, *channel_choices()]
        self.fields["category"].choices = [ALL, *selectors.category_choices(minors_only=False)]
        self.fields["region"].choices = [ALL, *region_choices(user)]
        if with_department:
            self.fields["department"].choices = [ALL, *department_choices()]
        else:
            del self.fields["department"]

    @property
    def has_more(self) -> bool:
        """Whether a secondary filter is set, so the folded part of the form opens."""
        return any(self.data.get(name) for name in ("channel", "category", "region", "light", "department"))

    def to_filter(self) -> selectors.CaseFilter:
        """The valid part of the query; a bad value in one field does not empty the whole list."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "state" in data:  # as `states`, which the dispatch queue narrows instead of widening
            data["states"] = (data.pop("state"),)
        return selectors.CaseFilter(**data)


class BulkDispatchForm(Form):
    department = forms.ChoiceField(label=gettext_lazy("主办单位"), required=False)
    assisting = forms.MultipleChoiceField(
        label=gettext_lazy("协办单位"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, departments: list, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].choices = [("", DEFAULT_DEPARTMENT), *departments]
        self.fields["assisting"].choices = departments

    def selected(self) -> list[tuple[int, int | None]]:
        """(case id, version seen on the page) of each ticked case, in the order of the page."""
        result = []
        for value in self.data.getlist("cases"):
            if (pk := id_or_none(value)) is not None:
                result.append((pk, version_or_none(self.data.get(f"version-{value}"))))
        return result

    def params(self) -> dict:
        department = self.cleaned_data.get("department")
        return {
            "department_id": int(department) if department else None,
            "assisting_ids": [int(v) for v in self.cleaned_data.get("assisting", [])],
        }


# ---------------------------------------------------------------- intake


class IntakeForm(DomainErrorsMixin, Form):
    name_fields = ("reporter_name",)
    channel = forms.ChoiceField(label=gettext_lazy("来源渠道"), choices=channel_choices(INTAKE_CHANNELS))
    # Required, but checked by the service with the rest, so one submission shows every error at once.
    category = forms.TypedChoiceField(
        label=gettext_lazy("事件分类"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"required": True}),
    )
    description = forms.CharField(
        label=gettext_lazy("问题描述"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "required": True, "placeholder": gettext_lazy("什么地方、什么问题、持续多久，尽量具体")}
        ),
    )
    address = forms.CharField(label=gettext_lazy("地址或位置说明"), required=False, max_length=200)
    house = IdField(required=False, widget=forms.HiddenInput)
    region = forms.TypedChoiceField(label=gettext_lazy("所属社区/网格"), required=False, coerce=int, empty_value=None)
    latitude = forms.CharField(label=gettext_lazy("事发位置"), required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    reporter_name = forms.CharField(label=gettext_lazy("反映人姓名"), required=False, max_length=50)
    reporter_phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    photos = PhotosField()

    # The location's errors (none of house, region or point; a point outside every grid) show by the map.
    field_aliases = {"category_id": "category", "house_id": "house", "region_id": "region", "location": "latitude"}
    # ...and the error summary links them to the list of communities and grids, the first choice without a map.
    error_anchors = {"latitude": "id_region"}

    def __init__(self, data=None, files=None, *, user, **kwargs):
        super().__init__(data, files, **kwargs)
        self.user = user
        self.fields["category"].choices = [("", _("（请选择）")), *selectors.category_choices(minors_only=True)]
        places, self.grid_ids = place_choices(user)
        self.fields["region"].choices = [("", _("（按房屋或地图位置判断）")), *places]

    def selected_house(self):
        """The house picked in the search, to show it again when the form comes back with errors."""
        pk = id_or_none(self.data.get("house")) if self.is_bound else None
        return None if pk is None else house_list(user=self.user).filter(pk=pk).first()

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "category_id": d.get("category"),
            "description": d.get("description", ""),
            "address": d.get("address", ""),
            "house_id": d.get("house"),
            "region_id": d.get("region"),
            "latitude": d.get("latitude") or None,
            "longitude": d.get("longitude") or None,
            "reporter_name": d.get("reporter_name", ""),
            "reporter_phone": d.get("reporter_phone", ""),
        }


class PatrolReportForm(IntakeForm):
    """The grid worker's 上报 on the phone: channel 网格巡查, the point from the phone or a tap, or the grid."""

    photos = PhotosField(camera=True, help_text=gettext_lazy("可拍照或从相册选择，最多6张"))

    def __init__(self, data=None, files=None, *, user, **kwargs):
        super().__init__(data, files, user=user, **kwargs)
        for name in ("channel", "house", "reporter_name", "reporter_phone"):
            del self.fields[name]
        self.fields["region"].label = _("所在网格")
        self.fields["region"].choices[0] = ("", _("（按定位判断）"))
        if len(self.grid_ids) == 1:  # a worker of one grid: it is the answer unless they change it
            self.initial.setdefault("region", self.grid_ids[0])


class HouseSearchForm(Form):
    estate = forms.TypedChoiceField(label=gettext_lazy("小区"), required=False, coerce=int, empty_value=None)
    building = forms.CharField(label=gettext_lazy("楼号"), required=False, max_length=20)
    unit = forms.CharField(label=gettext_lazy("单元"), required=False, max_length=20)
    number = forms.CharField(label=gettext_lazy("房号"), required=False, max_length=20)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        estates = estate_list(user=user).values_list("pk", "name")  # not the outlines
        self.fields["estate"].choices = [("", _("（请选择小区）")), *((str(pk), name) for pk, name in estates)]


# ---------------------------------------------------------------- lifecycle actions

NOTE_LABELS = {
    "reject": gettext_lazy("不予受理理由"),
    "merge": gettext_lazy("合并说明"),
    "return": gettext_lazy("退单理由"),
    "assist_note": gettext_lazy("协办意见"),
    "request_extension": gettext_lazy("延期理由"),
    "deny_extension": gettext_lazy("驳回理由"),
    "request_deferral": gettext_lazy("缓办理由"),
    "deny_deferral": gettext_lazy("驳回理由"),
    "resume": gettext_lazy("恢复办理说明"),
    "feedback": gettext_lazy("处置结果"),
    "rework": gettext_lazy("返工原因"),
    "supervise": gettext_lazy("督办意见"),
    "rate": gettext_lazy("回访情况"),
    "visit": gettext_lazy("回访情况"),
    "visit_try": gettext_lazy("未接通情况"),
    "reopen": gettext_lazy("重新办理说明"),
}
PHOTO_ACTIONS = frozenset({"return", "assist_note", "feedback", "verify", "rework"})
# Actions that refuse or send the case back: their buttons look different from the ones that move it forward.
SENDS_BACK = frozenset({"reject", "return", "deny_extension", "deny_deferral", "rework", "reopen"})


class ActionForm(DomainErrorsMixin, Form):
    """One lifecycle action on one case, with the case version the user saw (optimistic concurrency)."""

    version = VersionField(error_messages={"required": gettext_lazy("缺少版本号，请刷新后重试")})
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_aliases = {"department_id": "department", "assisting_ids": "assisting", "original_id": "original"}

    def __init__(self, data=None, files=None, *, transition: rules.Transition, case: Case, user, departments=None,
                 camera: bool = False, **kwargs):  # fmt: skip
        action = transition.action
        kwargs.setdefault("auto_id", f"{action}-%s")
        kwargs.setdefault("initial", {"version": case.version})
        super().__init__(data, files, **kwargs)
        self.transition, self.case, self.user = transition, case, user
        # What the button says and where it posts: the action's own, unless the view makes it another step.
        self.label, self.post_url, self.one_step = transition.label, "", False
        self.sends_back = action in SENDS_BACK
        note = self.fields["note"]
        note.label = NOTE_LABELS.get(action, "说明")
        note.required = transition.note_required
        note.error_messages["required"] = _("请填写%(label)s") % {"label": note.label}
        if not transition.note_required:
            note.widget.attrs["placeholder"] = _("选填")
        if action == "dispatch":
            dept = case.category.department_id
            if dept is None:
                default = _("该分类未设置")
            else:
                default = covering(selectors.organization_names, [dept])[dept]
            self.fields["department"] = forms.ChoiceField(
                label=_("主办单位"), required=False, choices=[("", f"{DEFAULT_DEPARTMENT}（{default}）"), *departments]
            )
            self.fields["assisting"] = forms.MultipleChoiceField(
                label=_("协办单位"), required=False, choices=departments, widget=forms.CheckboxSelectMultiple
            )
        elif action == "request_extension":
            self.fields["days"] = forms.IntegerField(
                label=_("延期工作日数"),
                min_value=1,
                max_value=MAX_EXTENSION_DAYS,
                error_messages={
                    "required": _("请填写延期天数"),
                    "invalid": _("延期天数应为整数"),
                    "min_value": _("延期天数应为1至%(MAX_EXTENSION_DAYS)s个工作日")
                    % {"MAX_EXTENSION_DAYS": MAX_EXTENSION_DAYS},
                    "max_value": _("延期天数应为1至%(MAX_EXTENSION_DAYS)s个工作日")
                    % {"MAX_EXTENSION_DAYS": MAX_EXTENSION_DAYS},
                },
            )
        elif action == "request_deferral":
            self.fields["resume_on"] = forms.DateField(
                label=_("预计恢复办理日期"),
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={
                    "required": _("请填写预计恢复办理日期"),
                    "invalid": _("请填写有效的日期，如2026-03-15"),
                },
            )
        elif action == "rate":
            self.fields["rating"] = forms.ChoiceField(
                label=_("回访评价"),
                choices=list(rules.RATING_LABELS.items()),
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择满意、基本满意或不满意")},
            )
        elif action == "visit":
            self.fields["solved"] = forms.TypedChoiceField(
                label=_("反映的问题是否已解决"),
                choices=[("1", _("已解决")), ("0", _("未解决"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择反映的问题是否已解决")},
            )
            if not case.rating:  # a reporter who rated online is not asked again
                self.fields["rating"] = forms.ChoiceField(
                    label=_("对办理结果是否满意"),
                    choices=list(rules.RATING_LABELS.items()),
                    widget=forms.RadioSelect,
                    error_messages={"required": _("请选择满意、基本满意或不满意")},
                )
        elif action == "merge":
            self.fields["original"] = forms.CharField(
                label=_("原案件编号"),
                max_length=20,
                widget=forms.TextInput(attrs={"placeholder": _("如 2026-000123")}),
                error_messages={"required": _("请填写要并入的原案件编号")},
            )
        if action in PHOTO_ACTIONS:
            self.fields["photos"] = PhotosField(camera=camera)
        self.order_fields(
            ["department", "assisting", "days", "resume_on", "solved", "rating", "original", "note", "photos"]
        )

    def clean_original(self) -> int:
        number = self.cleaned_data["original"].strip()
        found = selectors.case_queryset(user=self.user).filter(number=number).values_list("pk", flat=True).first()
        if found is None:
            raise forms.ValidationError(_("未找到该案件编号，或该案件不在您的管辖范围内"))
        return found

    def params(self) -> dict:
        d, action = self.cleaned_data, self.transition.action
        if action == "dispatch":
            return {
                "department_id": int(d["department"]) if d.get("department") else None,
                "assisting_ids": [int(v) for v in d.get("assisting", [])],
            }
        if action == "request_extension":
            return {"days": d["days"]}
        if action == "request_deferral":
            return {"resume_on": d["resume_on"]}
        if action == "rate":
            return {"rating": d["rating"]}
        if action == "visit":
            return {"solved": d["solved"], "rating": d.get("rating", "")}
        if action == "merge":
            return {"original_id": d["original"]}
        return {}
