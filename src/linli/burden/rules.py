"""社区减负 (004 篇十八): the vocabulary of the two lists, work-access applications and the work given to communities.

Pure: no database. The services decide with these; the models take their choices from here.
"""

from django.utils.translation import gettext_lazy as _

# The two lists of what a community does (社区工作事项清单).
DUTIES = "duties"
ASSIST = "assist"
LIST_LABELS = {DUTIES: _("社区依法履行职责事项"), ASSIST: _("社区依法协助政府工作事项")}

# A work-access application (社区工作准入): 申请 → 区领导小组初审 → 区委、区政府审批.
DRAFT = "draft"
SUBMITTED = "submitted"  # waiting for 初审
FIRST_PASSED = "first_passed"  # 初审通过, waiting for 审批
APPROVED = "approved"
REFUSED = "refused"  # at 初审 or at 审批; the opinion says which
WITHDRAWN = "withdrawn"
ACCESS_STATE_LABELS = {
    DRAFT: _("草稿"),
    SUBMITTED: _("待初审"),
    FIRST_PASSED: _("待审批"),
    APPROVED: _("已批准"),
    REFUSED: _("未批准"),
    WITHDRAWN: _("已撤回"),
}

# What a body asks of a community: the burden report counts these (任务、报表、表格).
TASK = "task"
REPORT = "report"
FORM = "form"
WORK_KIND_LABELS = {TASK: _("工作任务"), REPORT: _("报表"), FORM: _("调查表格")}

# Where a piece of work stands against the lists.
LISTED = "listed"  # within the two lists
ADMITTED = "admitted"  # outside them, covered by an approved access application
HELD = "held"  # 待准入: outside the lists and not (yet) approved; the community does not see it
DECLINED = "declined"  # the application for it was refused: the work stays withheld
WORK_STATE_LABELS = {LISTED: _("清单内"), ADMITTED: _("准入已批"), HELD: _("待准入"), DECLINED: _("准入未批")}
