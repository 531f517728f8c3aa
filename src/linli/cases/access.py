"""Who may do what with cases, asked the same way by selectors, services, pages and the API: the organisation a
user acts for, their capabilities on one case, the reporter's full phone and the indicators. What a role may do is
`accounts/roles.py`; where (the region subtree) is `accounts/scope.py`."""

from django.utils.translation import gettext_lazy as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied

from . import rules

INDICATORS_REFUSED = _("考核指标只对系统管理员、区级和街道工作人员、社区工作者开放。")
QUEUE_REFUSED = _("只有街道、区级调度人员可以使用调度台")
SUPERVISION_REFUSED = _("只有系统管理员、区级和街道工作人员可以督办案件。")
VISITS_REFUSED = _("只有系统管理员、区级和街道工作人员可以回访。")


def organization_of(user) -> int | None:
    """The department or company whose cases the user works on; None for the region roles."""
    return user.organization_id if roles.in_group(user, roles.ORG_ROLES) else None


def capabilities_of(user, case) -> frozenset[str]:
    org = organization_of(user)
    return rules.capabilities(
        roles.effective_role(user),
        in_region=org is None and scope.covers(user, case.region),
        lead=org is not None and org == case.lead_department_id,
        assisting=org is not None and case.assisting.filter(pk=org).exists(),
        verification_on_site=rules.verified_on_site(case.category.requires_verification, case.kind),
    )


def check_action(user, case, action: str) -> None:
    """Refuse (403) an action the user may never take on this case, before anything they typed is looked at.
    Whether the case's state allows it now is services.case_act's answer, with the current state in the message."""
    try:
        rules.check(action, case.facts(), capabilities_of(user, case))
    except rules.NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    except rules.IllegalTransition:
        pass


def can_view_reporter(user) -> bool:
    return user.has_perm("cases.view_reporter") or user.has_perm("people.view_pii")


def check_indicator_viewer(user) -> None:
    """Indicators rank departments and places against each other: they are for the region offices that assess
    them (roles.VIEW_INDICATORS). A department or company account sees only its own cases and a grid worker only
    a grid's, so a ranking of those would mislead."""
    if not roles.can(user, roles.CASES, roles.VIEW_INDICATORS):
        raise PermissionDenied(INDICATORS_REFUSED)


def check_dispatcher(user) -> None:
    """The dispatcher's desk (调度台, its queue) is for those who register and dispatch (roles.DISPATCHER)."""
    if not roles.can(user, roles.CASES, roles.DISPATCHER):
        raise PermissionDenied(QUEUE_REFUSED)


def check_visitor(user) -> None:
    """The return visits' call list is for those who call residents back: the dispatchers (roles.DISPATCHER), who
    take the 回访 action on the cases of their region."""
    if not roles.can(user, roles.CASES, roles.DISPATCHER):
        raise PermissionDenied(VISITS_REFUSED)


def check_supervisor(user) -> None:
    """The overdue and yellow-light lists and 督办 are for those who supervise (roles.SUPERVISOR)."""
    if not roles.can(user, roles.CASES, roles.SUPERVISOR):
        raise PermissionDenied(SUPERVISION_REFUSED)


def supervision_label(user) -> str:
    """督办 for a street, 挂牌督办 for the district: what the user's supervision amounts to."""
    return rules.SUPERVISION_LABELS[rules.supervision_level(roles.effective_role(user))]
