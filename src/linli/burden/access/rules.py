"""社区工作准入 (004 篇十八), pure: the state machine of an application (申请 → 区领导小组初审 → 区委、区政府审批),
who may take each step, what an application needs before it is submitted, and what a decision does to the work
waiting on it. No database: the services decide with these."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.burden.rules import (
    ADMITTED,
    APPROVED,
    DECLINED,
    DRAFT,
    FIRST_PASSED,
    HELD,
    REFUSED,
    SUBMITTED,
    WITHDRAWN,
)

# The steps of an application.
SUBMIT = "submit"
FIRST_PASS = "first_pass"  # 初审通过: on to 审批
FIRST_REFUSE = "first_refuse"  # 初审不通过: refused
APPROVE = "approve"  # 审批：批准
REFUSE = "refuse"  # 审批：不批准
WITHDRAW = "withdraw"
STEP_LABELS = {
    SUBMIT: gettext_lazy("提交申请"),
    FIRST_PASS: gettext_lazy("初审通过"),
    FIRST_REFUSE: gettext_lazy("初审不通过"),
    APPROVE: gettext_lazy("批准"),
    REFUSE: gettext_lazy("不批准"),
    WITHDRAW: gettext_lazy("撤回"),
}

# (state, step) → the state after it. A step not in this table is refused in that state.
TRANSITIONS = {
    (DRAFT, SUBMIT): SUBMITTED,
    (DRAFT, WITHDRAW): WITHDRAWN,
    (SUBMITTED, FIRST_PASS): FIRST_PASSED,
    (SUBMITTED, FIRST_REFUSE): REFUSED,
    (SUBMITTED, WITHDRAW): WITHDRAWN,
    (FIRST_PASSED, APPROVE): APPROVED,
    (FIRST_PASSED, REFUSE): REFUSED,
    (FIRST_PASSED, WITHDRAW): WITHDRAWN,
}
STATES = (DRAFT, SUBMITTED, FIRST_PASSED, APPROVED, REFUSED, WITHDRAWN)
FINAL = frozenset({APPROVED, REFUSED, WITHDRAWN})
OPEN = frozenset({SUBMITTED, FIRST_PASSED})  # in review: the reviewers' queue
DECIDING = frozenset({FIRST_REFUSE, APPROVE, REFUSE})  # the steps that end an application with a decision
OPINION_REQUIRED = frozenset({FIRST_REFUSE, REFUSE})  # a refusal says why

# Who takes a step: the applying body, the first reviewer (FIRST_REVIEW_ACCESS), the approver (APPROVE_ACCESS).
APPLICANT = "applicant"
FIRST_REVIEWER = "first_reviewer"
APPROVER = "approver"
ACTOR = {
    SUBMIT: APPLICANT,
    WITHDRAW: APPLICANT,
    FIRST_PASS: FIRST_REVIEWER,
    FIRST_REFUSE: FIRST_REVIEWER,
    APPROVE: APPROVER,
    REFUSE: APPROVER,
}

# The documents an application carries (申请单位提供相关政策、文件依据、工作方案等材料).
BASIS_DOC = "basis"
PLAN_DOC = "plan"
OTHER_DOC = "other"
DOC_LABELS = {
    BASIS_DOC: gettext_lazy("政策、文件依据"),
    PLAN_DOC: gettext_lazy("工作方案"),
    OTHER_DOC: gettext_lazy("其他材料"),
}
REQUIRED_DOCS = (BASIS_DOC, PLAN_DOC)
MAX_DOCS = 10

TITLE_MAX = 200
TEXT_MAX = 4000
OPINION_MAX = 1000
REASON_MAX = 200


def next_state(state: str, step: str) -> str | None:
    """The state after `step`, or None when the step cannot be taken in `state`."""
    return TRANSITIONS.get((state, step))


def steps_from(state: str) -> list[str]:
    """The steps that can be taken in `state`, in the order of STEP_LABELS."""
    return [step for step in STEP_LABELS if (state, step) in TRANSITIONS]


def step_problem(state: str, step: str) -> str | None:
    """Why `step` cannot be taken now (Chinese, for the user), or None."""
    if next_state(state, step) is not None:
        return None
    if state in FINAL:
        return _("该申请已办结，不能再操作")
    if step == SUBMIT:
        return _("该申请已经提交过了")
    if step in (FIRST_PASS, FIRST_REFUSE):
        return _("该申请不在待初审状态")
    if step in (APPROVE, REFUSE):
        return _("该申请须初审通过后才能审批")
    return _("该申请当前不能进行这一操作")


def decider_problem(step: str, *, user_id: int, applicant_id: int | None, first_reviewer_id: int | None) -> str | None:
    """The people a decision may not come from: nobody reviews their own application, and 审批 is another person
    than the one who did 初审 (the database refuses that too)."""
    if ACTOR.get(step) == APPLICANT:
        return None
    if user_id == applicant_id:
        return _("不能审核本人提出的申请")
    if ACTOR.get(step) == APPROVER and user_id == first_reviewer_id:
        return _("初审和审批须由不同的人作出")
    return None


def opinion_problem(step: str, opinion: str) -> str | None:
    if step in OPINION_REQUIRED and not (opinion or "").strip():
        return _("不通过或不批准时请写明意见")
    return None


def missing_documents(kinds: Iterable[str]) -> list[str]:
    """The required documents not among `kinds`, as their labels."""
    have = set(kinds)
    return [DOC_LABELS[k] for k in REQUIRED_DOCS if k not in have]


@dataclass(frozen=True)
class Content:
    title: str
    content: str
    basis: str
    communities: int  # how many communities were chosen (0: the whole district)
    starts_on: date | None
    ends_on: date | None


def content_problems(c: Content) -> dict[str, str]:
    """What is wrong with an application's content, by field (empty when nothing)."""
    problems = {}
    if not c.title.strip():
        problems["title"] = _("请填写事项名称")
    if not c.content.strip():
        problems["content"] = _("请填写工作内容")
    if not c.basis.strip():
        problems["basis"] = _("请填写政策、文件依据")
    if c.starts_on and c.ends_on and c.ends_on < c.starts_on:
        problems["ends_on"] = _("结束日期不能早于开始日期")
    return problems


def work_state_after(state: str) -> str | None:
    """What a decided application does to the held work linked to it: approved admits it, refused declines it;
    None leaves it as it is (still held)."""
    return {APPROVED: ADMITTED, REFUSED: DECLINED}.get(state)


def linkable(work_state: str) -> bool:
    """Work an application may be made for: held, or declined before (a new application may be tried)."""
    return work_state in (HELD, DECLINED)
