import pytest
from django.db import IntegrityError, transaction

from linli.audit.models import AuditEntry
from linli.burden import rules as b
from linli.burden import selectors
from linli.burden.access import services
from linli.burden.models import AccessApplication, DutyItem, DutyItemChange, WorkRequest
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications.models import Message

from .conftest import apply, pdf

pytestmark = pytest.mark.django_db


def test_default_lists_are_seeded_once(world):
    assert services.ensure_default_lists(world.district) == 36
    assert services.ensure_default_lists(world.district) == 0
    assert DutyItem.objects.filter(district=world.district, list=b.ASSIST).count() == 16


def test_editing_a_list_keeps_its_history(world):
    services.ensure_default_lists(world.district)
    staff = world.users["district_staff"]
    item = DutyItem.objects.get(district=world.district, list=b.DUTIES, number=1)
    edited = services.item_update(user=staff, item_id=item.pk, version=1, category="居民自治", title="召集居民会议",
                                  basis=item.basis, reason="文字精简")  # fmt: skip
    with pytest.raises(Conflict):
        services.item_update(user=staff, item_id=item.pk, version=1, category="", title="又改", basis="x", reason="r")
    services.item_retire(user=staff, item_id=item.pk, version=edited.version, reason="并入第4项")
    added = services.item_add(user=staff, district_id=world.district.pk, list=b.ASSIST, category="新增",
                              title="协助做好垃圾分类宣传", basis="《固体废物污染环境防治法》",
                              reason="区政府常务会议决定")  # fmt: skip
    assert added.number == 17
    history = list(selectors.changes(user=staff, district=world.district))
    assert [c.action for c in history] == ["added", "retired", "edited"]
    assert history[2].before["title"] != history[2].after["title"] and history[1].after["active"] is False
    assert AuditEntry.objects.filter(object_type="burden.dutyitem").count() == 3
    with pytest.raises(ValidationFailed):
        services.item_restore(user=staff, item_id=item.pk, version=None, reason="")
    for persona in ("street_staff", "community_worker", "dept_handler"):
        with pytest.raises(PermissionDenied):
            services.item_retire(user=world.users[persona], item_id=added.pk, version=None, reason="r")


def test_an_application_goes_through_first_review_and_approval_and_admits_its_work(world):
    dept = world.users["dept_handler"]
    work = WorkRequest.objects.create(community=world.community_a1, organization=dept.organization,
                                      requester="区城管执法局", kind=b.FORM, source="surveys.area", source_id=1,
                                      title="油烟调查", state=b.HELD)  # fmt: skip
    application = apply(world, work_ids=[work.pk])
    assert application.state == b.SUBMITTED and application.documents.count() == 2
    reviewer, approver = world.users["district_staff"], world.users["admin"]
    assert list(selectors.awaiting(user=reviewer)) == [application]
    application = services.application_first_review(user=reviewer, application_id=application.pk, version=2,
                                                    passed=True, opinion="依据充分")  # fmt: skip
    with pytest.raises(PermissionDenied, match="不同的人"):
        services.application_decide(user=reviewer, application_id=application.pk, version=3, approve=True)
    application = services.application_decide(user=approver, application_id=application.pk, version=3, approve=True)
    assert application.state == b.APPROVED
    work.refresh_from_db()
    assert work.state == b.ADMITTED and work.decided_at is not None
    assert Message.objects.filter(user=dept, template="burden.access_decided").count() == 2
    # The community it covers sees it; the other street's does not.
    assert selectors.application_queryset(user=world.users["community_worker"]).filter(pk=application.pk).exists()
    assert not selectors.application_queryset(user=world.users["community_worker2"]).exists()


def test_refusal_declines_the_work_and_needs_a_reason(world):
    dept = world.users["dept_handler"]
    work = WorkRequest.objects.create(community=world.community_a1, organization=dept.organization,
                                      requester="区城管执法局", kind=b.TASK, source="campaigns.taskunit",
                                      source_id=7, title="台账", state=b.HELD)  # fmt: skip
    application = apply(world, work_ids=[work.pk])
    staff = world.users["district_staff"]
    with pytest.raises(ValidationFailed):
        services.application_first_review(user=staff, application_id=application.pk, version=None, passed=False)
    services.application_first_review(user=staff, application_id=application.pk, version=None, passed=False,
                                      opinion="属于部门职责，不得转嫁社区")  # fmt: skip
    work.refresh_from_db()
    assert work.state == b.DECLINED
    # A new application may be made for declined work.
    again = apply(world, work_ids=[work.pk], submit=False)
    work.refresh_from_db()
    assert work.access_id == again.pk and work.state == b.HELD


def test_submit_needs_the_basis_and_the_plan_and_withdraw_frees_the_work(world):
    draft = apply(world, submit=False, documents=[])
    with pytest.raises(ValidationFailed) as refused:
        services.application_submit(user=world.users["dept_handler"], application_id=draft.pk, version=1)
    assert refused.value.errors[0].message == "提交前请上传：政策、文件依据、工作方案"
    services.document_add(user=world.users["dept_handler"], application_id=draft.pk, kind="basis", file=pdf())
    services.document_add(user=world.users["dept_handler"], application_id=draft.pk, kind="plan", file=pdf("方案.pdf"))
    with pytest.raises(ValidationFailed):
        services.document_add(user=world.users["dept_handler"], application_id=draft.pk, kind="other",
                              file=pdf("x.exe").__class__(b"MZ\x90\x00", name="x.pdf"))  # fmt: skip
    submitted = services.application_submit(user=world.users["dept_handler"], application_id=draft.pk, version=1)
    with pytest.raises(Conflict):
        services.application_update(user=world.users["dept_handler"], application_id=draft.pk, version=None,
                                    title="改", kind="task", content="c", basis="b")  # fmt: skip
    withdrawn = services.application_withdraw(user=world.users["dept_handler"], application_id=draft.pk,
                                              version=submitted.version)  # fmt: skip
    assert withdrawn.state == b.WITHDRAWN
    with pytest.raises(Conflict):
        services.application_first_review(user=world.users["district_staff"], application_id=draft.pk, version=None,
                                          passed=True)  # fmt: skip


def test_who_may_apply_and_review(world):
    with pytest.raises(PermissionDenied):
        apply(world, user="community_worker")
    street = apply(world, user="street_staff", community_ids=[world.community_a2.pk])
    assert street.office == world.street_a
    with pytest.raises(ValidationFailed):  # a street names only its own communities
        apply(world, user="street_staff", community_ids=[world.community_b1.pk])
    with pytest.raises(PermissionDenied):
        services.application_first_review(user=world.users["street_staff"], application_id=street.pk,
                                          version=None, passed=True)  # fmt: skip
    own = apply(world, user="district_staff")
    with pytest.raises(PermissionDenied, match="本人"):
        services.application_first_review(user=world.users["district_staff"], application_id=own.pk, version=None,
                                          passed=True)  # fmt: skip
    # The dept sees its own, not the street's draft or submitted one.
    assert not selectors.application_queryset(user=world.users["dept_handler"]).filter(pk=street.pk).exists()


def test_the_database_refuses_one_person_deciding_twice(world):
    application = apply(world)
    user = world.users["district_staff"]
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessApplication.objects.filter(pk=application.pk).update(first_reviewer=user, approver=user)
    assert DutyItemChange.objects.count() == 0
