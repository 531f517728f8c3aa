"""The one module of the burden app's scope reads (社区减负): which districts' lists a user reads and edits, which
work-access applications a user sees, applies with, reviews or approves, and the work given to communities that an
application may be made for; the work given to communities that a user sees, and what a module keeps from a
community while it waits for access.

Who sees an application: the body that applies (its department, or its region office), the
district's reviewers once it is submitted, and — once approved — the offices whose communities it covers (a
community learns what it has been asked to help with). Drafts stay the applying body's."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.regions.models import Region

from . import rules
from .access import rules as access_rules
from .models import AccessApplication, AccessDocument, DutyItem, DutyItemChange, WorkRequest

NOT_VIEWER = gettext_lazy("只有社区、街道、区级工作人员和职能部门可以查看社区工作事项清单")
NOT_EDITOR = gettext_lazy("只有区级工作人员可以修改社区工作事项清单")
NOT_APPLICANT = gettext_lazy("只有职能部门、街道和区级工作人员可以申请社区工作准入")
NOT_FIRST_REVIEWER = gettext_lazy("只有区社区减负领导小组（区级工作人员）可以初审准入申请")
NOT_APPROVER = gettext_lazy("只有区级审批人员可以审批准入申请")
NOT_REVIEWER = gettext_lazy("只有区级工作人员可以审核准入申请")

DISTRICT = Region.Level.DISTRICT
COMMUNITY = Region.Level.COMMUNITY


def may(user, capability: str) -> bool:
    return roles.can(user, roles.BURDEN, capability)


def _check(user, capability: str, message: str) -> None:
    if not may(user, capability):
        raise PermissionDenied(message)


def check_viewer(user) -> None:
    _check(user, roles.VIEW_DUTY_LISTS, NOT_VIEWER)


def check_editor(user) -> None:
    _check(user, roles.EDIT_DUTY_LISTS, NOT_EDITOR)


def check_applicant(user) -> None:
    _check(user, roles.APPLY_ACCESS, NOT_APPLICANT)


def check_first_reviewer(user) -> None:
    _check(user, roles.FIRST_REVIEW_ACCESS, NOT_FIRST_REVIEWER)


def check_approver(user) -> None:
    _check(user, roles.APPROVE_ACCESS, NOT_APPROVER)


def may_apply(user) -> bool:
    return may(user, roles.APPLY_ACCESS)


def is_reviewer(user) -> bool:
    return may(user, roles.FIRST_REVIEW_ACCESS) or may(user, roles.APPROVE_ACCESS)


def district_of(region: Region) -> Region | None:
    if region.level == DISTRICT:
        return region
    return scope.ancestors_or_self(region.path).filter(level=DISTRICT).first()


# ---------------------------------------------------------------- the two lists


def _districts_around(user) -> QuerySet:
    """The district the user's scope lies in, or the districts it holds (the administrator: every one)."""
    path = scope.region_path(user)
    if path is None:
        return scope.subtree(None)
    if path == "":
        return scope.subtree("").filter(level=DISTRICT)
    return scope.subtree(path).filter(level=DISTRICT) | scope.ancestors_or_self(path).filter(level=DISTRICT)


def districts(*, user) -> QuerySet:
    """The districts whose lists the user reads."""
    check_viewer(user)
    return _districts_around(user)


def edit_districts(*, user) -> QuerySet:
    """The districts whose lists the user may change: their own office's district (the administrator: every one)."""
    check_editor(user)
    return scope.office_regions(user).filter(level=DISTRICT).order_by("path")


def district_get(*, user, pk: int | None) -> Region | None:
    """The district the lists' page shows: the one asked for if the user reads it, else the user's first."""
    seen = districts(user=user).order_by("path")
    if pk is not None:
        return scope.get_or_404(seen, pk=pk)
    return seen.first()


def may_edit(user, district: Region | None) -> bool:
    return district is not None and may(user, roles.EDIT_DUTY_LISTS) and scope.office_covers(user, district)


def items(*, user, district: Region, list: str | None = None, retired: bool = True) -> QuerySet:
    """The items of a district's lists (both, or one), by list and number; retired ones too unless asked not."""
    scope.get_or_404(districts(user=user), pk=district.pk)
    qs = DutyItem.objects.filter(district=district)
    if list:
        qs = qs.filter(list=list)
    if not retired:
        qs = qs.filter(active=True)
    return qs.order_by("list", "number")


def item_queryset(*, user) -> QuerySet:
    """Every item of the districts the user reads (404 for others)."""
    return DutyItem.objects.filter(district__in=districts(user=user).values("pk"))


def item_get(*, user, pk: int) -> DutyItem:
    return scope.get_or_404(item_queryset(user=user).select_related("district"), pk=pk)


def changes(*, user, district: Region, item_id: int | None = None) -> QuerySet:
    """The history of a district's lists (or of one item), newest first, with who changed what."""
    scope.get_or_404(districts(user=user), pk=district.pk)
    qs = DutyItemChange.objects.filter(item__district=district)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    return qs.select_related("item", "changed_by").order_by("-changed_at", "-id")


# ---------------------------------------------------------------- work-access applications


def _covered_q(path: str) -> Q:
    """Applications naming a community of the subtree at `path`, or naming none (the whole district)."""
    through = AccessApplication.communities.through
    named = through.objects.filter(accessapplication_id=OuterRef("pk"))
    if path == "":
        return Q()
    return Q(Exists(named.filter(scope.in_subtree("region", path)))) | ~Q(Exists(named))


def own_q(user) -> Q:
    """The applications of the user's body: their department's, or their own office's."""
    if roles.is_admin(user):
        return Q()
    q = Q(pk__in=[])
    if user.organization_id:
        q |= Q(organization_id=user.organization_id)
    if user.region_id:
        q |= Q(office_id=user.region_id)
    return q


def application_queryset(*, user) -> QuerySet:
    """The applications the user sees (404 for others): the applying body's own, the district reviewers' once
    submitted, and approved ones covering the user's communities."""
    check_viewer(user)
    qs = AccessApplication.objects.all()
    if roles.is_admin(user):
        return qs
    q = own_q(user) if may(user, roles.APPLY_ACCESS) else Q(pk__in=[])
    if is_reviewer(user):
        q |= ~Q(state=rules.DRAFT) & scope.region_q(scope.office_path(user), "district")
    path = scope.region_path(user)
    if path is not None:
        q |= Q(state=rules.APPROVED) & scope.subtree_or_above_q(path, "district") & _covered_q(path)
    return qs.filter(q)


def _listed(qs: QuerySet) -> QuerySet:
    return qs.select_related("district", "organization", "office", "applicant").order_by("-created_at", "-id")


def application_list(*, user, box: str = "all", state: str | None = None) -> QuerySet:
    """The applications of a box: "mine" (the user's body's), "review" (awaiting the user's 初审 or 审批), or "all"
    the user sees; narrowed to one state when asked."""
    if box == "review":
        qs = awaiting(user=user)
    else:
        qs = application_queryset(user=user)
        if box == "mine":
            qs = qs.filter(own_q(user)) if may(user, roles.APPLY_ACCESS) else qs.none()
    if state:
        qs = qs.filter(state=state)
    return _listed(qs)


def awaiting(*, user) -> QuerySet:
    """The applications whose next step is the user's: 待初审 for a first reviewer, 待审批 for an approver — of
    their district, never their own application, and never the one they reviewed first."""
    check_viewer(user)
    qs = scope.within(AccessApplication.objects.all(), scope.office_path(user), "district")
    q = Q(pk__in=[])
    if may(user, roles.FIRST_REVIEW_ACCESS):
        q |= Q(state=rules.SUBMITTED)
    if may(user, roles.APPROVE_ACCESS):
        q |= Q(state=rules.FIRST_PASSED) & ~Q(first_reviewer=user)
    return qs.filter(q).exclude(applicant=user)


def application_get(*, user, pk: int) -> AccessApplication:
    """One application with its communities and documents (404 out of scope)."""
    qs = application_queryset(user=user).select_related(
        "district", "organization", "office", "applicant", "first_reviewer", "approver"
    ).prefetch_related(
        Prefetch("communities", queryset=Region.objects.order_by("path")),
        Prefetch("documents", queryset=AccessDocument.objects.select_related("uploaded_by").order_by("id")),
    )  # fmt: skip
    return scope.get_or_404(qs, pk=pk)


def is_own(user, application: AccessApplication) -> bool:
    """Whether the application is the user's body's (who may edit, submit and withdraw it)."""
    if not may(user, roles.APPLY_ACCESS):
        return False
    if roles.is_admin(user):
        return True
    if user.organization_id and application.organization_id == user.organization_id:
        return True
    return application.office_id is not None and application.office_id == user.region_id


def reviews_district(user, application: AccessApplication) -> bool:
    return scope.office_covers(user, application.district)


def steps_for(user, application: AccessApplication) -> list[str]:
    """The steps the user may take on the application now (the buttons its page offers)."""
    found = []
    for step in access_rules.steps_from(application.state):
        actor = access_rules.ACTOR[step]
        if actor == access_rules.APPLICANT:
            allowed = is_own(user, application)
        else:
            capability = roles.FIRST_REVIEW_ACCESS if actor == access_rules.FIRST_REVIEWER else roles.APPROVE_ACCESS
            allowed = (
                may(user, capability)
                and reviews_district(user, application)
                and not access_rules.decider_problem(
                    step, user_id=user.pk, applicant_id=application.applicant_id,
                    first_reviewer_id=application.first_reviewer_id,
                )
            )  # fmt: skip
        if allowed:
            found.append(step)
    return found


def trail(application: AccessApplication) -> list[dict]:
    """The decision trail: who did what when, with their opinion (the application's fields, no query)."""
    a = application
    rows = [{"step": _("起草申请"), "who": a.applicant, "at": a.created_at, "opinion": ""}]
    if a.submitted_at:
        rows.append({"step": _("提交申请"), "who": a.applicant, "at": a.submitted_at, "opinion": ""})
    if a.first_reviewed_at:
        passed = a.state != rules.REFUSED or a.approver_id is not None
        label = _("初审通过") if passed else _("初审不通过")
        rows.append({"step": label, "who": a.first_reviewer, "at": a.first_reviewed_at, "opinion": a.first_opinion})
    if a.state in (rules.APPROVED, rules.REFUSED) and a.approver_id:
        label = _("批准") if a.state == rules.APPROVED else _("不批准")
        rows.append({"step": label, "who": a.approver, "at": a.decided_at, "opinion": a.decision_opinion})
    if a.state == rules.WITHDRAWN:
        rows.append({"step": _("撤回"), "who": None, "at": a.decided_at, "opinion": ""})
    return rows


def apply_districts(*, user) -> QuerySet:
    """The districts the user may apply to: the one their office or department lies in."""
    check_applicant(user)
    return _districts_around(user)


def apply_communities(*, user, district: Region) -> QuerySet:
    """The communities an application may name: the district's, within the user's scope (a street: its own)."""
    communities = scope.user_regions(user).filter(level=COMMUNITY)
    return scope.subtree(district.path, communities).order_by("path")


def work_for_application(*, user, ids) -> QuerySet:
    """Held (or declined) work given by the user's body, that a new application may be made for."""
    qs = WorkRequest.objects.filter(pk__in=list(ids), state__in=(rules.HELD, rules.DECLINED))
    if not roles.is_admin(user):
        q = Q(pk__in=[])
        if user.organization_id:
            q |= Q(organization_id=user.organization_id)
        office = scope.office_path(user)
        if office is not None:  # work a street gives its communities; the district's offices, the district's
            q |= scope.region_q(office, "office")
        qs = qs.filter(q)
    pending = Q(access__state__in=(rules.DRAFT, rules.SUBMITTED, rules.FIRST_PASSED, rules.APPROVED))
    return qs.exclude(pending).select_related("community").order_by("id")


def application_work(application: AccessApplication) -> QuerySet:
    """The work linked to an application, with its community."""
    return WorkRequest.objects.filter(access=application).select_related("community").order_by("community__path", "id")


# ---------------------------------------------------------------- work given to communities


def user_district_ids(user) -> QuerySet:
    """The ids of the districts whose lists and applications a user picks a basis from: the district of their
    region or organisation, every district for an administrator."""
    districts = Region.objects.filter(level=Region.Level.DISTRICT)
    path = scope.region_path(user)
    if path is None:
        return districts.none().values("pk")
    if path == "":
        return districts.values("pk")
    return districts.filter(path__in=scope.enclosing_paths(path)).values("pk")


def work_queryset(user) -> QuerySet:
    """Work rows a user sees: with VIEW_BURDEN those given to the communities of their subtree (a community its
    own, a street its communities, the district all); with APPLY_ACCESS also those their own body asked for (a
    department's, or an office's at or under the user's own), so that it can apply for what is held."""
    if roles.effective_role(user) is None:
        return WorkRequest.objects.none()
    q = Q(pk__in=[])
    if roles.can(user, roles.BURDEN, roles.VIEW_BURDEN):
        q |= scope.region_q(scope.region_path(user), "community")
    if roles.can(user, roles.BURDEN, roles.APPLY_ACCESS):
        q |= asked_by_q(user)
    return WorkRequest.objects.filter(q)


def asked_by_q(user) -> Q:
    """Work asked by the user's own body: their organisation, or a region office at or under their own node."""
    if user.organization_id:
        return Q(organization_id=user.organization_id)
    path = scope.office_path(user)
    if path is None:
        return Q(pk__in=[])
    return Q(office__isnull=False) & scope.region_q(path, "office")


def report_path(user) -> str | None:
    """The subtree whose communities' burden the user's report covers (None: no report)."""
    if not roles.can(user, roles.BURDEN, roles.VIEW_BURDEN):
        return None
    return scope.region_path(user)


def has_lists(district_id: int) -> bool:
    """Whether the district keeps its two lists (any item, retired ones included)."""
    return DutyItem.objects.filter(district_id=district_id).exists()


def held_source_ids(source: str, community_ids=None) -> QuerySet:
    """The ids of `source`'s rows (e.g. "campaigns.taskunit") whose work is withheld from the community: 待准入 or
    准入未批. A module excludes these from what the community sees; narrow with `community_ids` when known."""
    qs = WorkRequest.objects.filter(source=source, state__in=(rules.HELD, rules.DECLINED))
    if community_ids is not None:
        qs = qs.filter(community_id__in=community_ids)
    return qs.values("source_id")


def held_communities(source: str, source_id: int) -> QuerySet:
    """The communities from which the work of one module row (e.g. a survey's forms) is withheld."""
    qs = WorkRequest.objects.filter(source=source, source_id=source_id, state__in=(rules.HELD, rules.DECLINED))
    return qs.values("community_id")


def basis_items(district_ids) -> QuerySet:
    return DutyItem.objects.filter(district_id__in=district_ids, active=True).order_by("list", "number")


def basis_applications(district_ids) -> QuerySet:
    """Applications work may be asked under: approved, or still being decided (the work then waits for them)."""
    states = (rules.APPROVED, rules.SUBMITTED, rules.FIRST_PASSED)
    return AccessApplication.objects.filter(district_id__in=district_ids, state__in=states).order_by("-id")
