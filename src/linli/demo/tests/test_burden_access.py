"""The demo's 社区减负 lists and applications: the 36 default items with three edits in the history, and
applications in every state, through the services (初审 and 审批 by two people)."""

import pytest
from django.utils import timezone

from linli.burden import rules
from linli.burden.models import AccessApplication, DutyItem, DutyItemChange
from linli.demo import burden

pytestmark = pytest.mark.django_db


def test_lists_and_applications_in_each_state(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lines = burden.build_lists_and_access(now=timezone.now(), seed=7)
    assert len(lines) == 2
    assert DutyItem.objects.filter(district=world.district).count() == 37
    assert DutyItemChange.objects.count() == 3
    states = set(AccessApplication.objects.values_list("state", flat=True))
    assert states == {rules.DRAFT, rules.SUBMITTED, rules.FIRST_PASSED, rules.APPROVED, rules.REFUSED, rules.WITHDRAWN}
    approved = AccessApplication.objects.filter(state=rules.APPROVED).first()
    assert approved.first_reviewer_id != approved.approver_id and approved.documents.count() == 2
    assert burden.build_lists_and_access(now=timezone.now(), seed=7)[0].startswith("社区工作事项清单")
    assert DutyItemChange.objects.count() == 3
