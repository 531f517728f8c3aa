"""Pure rules of rectification (整改): when a finding is late, when its rectification failed, and which units are
called to account. No ORM."""

from collections.abc import Hashable, Mapping

from linli.cases import rules as case_rules

# 003 篇3: units with "两次以上整改不力" are called to account (责任追究).
ACCOUNTABILITY_THRESHOLD = 2


def finding_late(*, state: str, due_at, feedback_at, now) -> bool:
    """Not fixed by its deadline (整改时限): the fix that stands came in after it, or none has come and the deadline
    has passed. As everywhere in the case engine the owner's clock stops at its feedback, so a finding fixed in
    time and waiting for the check is not late; a failed check (返工) clears the feedback and restarts the clock."""
    if due_at is None or state in case_rules.NOT_COUNTED:
        return False
    if feedback_at is not None:
        return feedback_at > due_at
    return state in case_rules.OPEN_STATES and now > due_at


def rectification_failed(*, state: str, due_at, feedback_at, rework_count: int, now) -> bool:
    """整改不力: the on-site check failed at least once (返工), or the fix was late (finding_late)."""
    if state in case_rules.NOT_COUNTED:
        return False
    return rework_count >= 1 or finding_late(state=state, due_at=due_at, feedback_at=feedback_at, now=now)


def accountability_flags(counts: Mapping[Hashable, int], threshold: int = ACCOUNTABILITY_THRESHOLD) -> list:
    """The units to call to account: those with `threshold` or more failed rectifications in one plan, most
    failures first (ties in the order given)."""
    flagged = [(unit, n) for unit, n in counts.items() if n >= threshold]
    return [unit for unit, _ in sorted(flagged, key=lambda item: -item[1])]
