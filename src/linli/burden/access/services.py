"""Writes of the two lists and of work-access applications (社区减负, 004 篇十八).

The lists: a district's default content (idempotent), and its editors' changes (roles.EDIT_DUTY_LISTS over the
district's office): add, edit (version, 409 when stale), retire and restore, each kept as a DutyItemChange with the
values before and after and the reason.

Applications: a department, a street or the district applies (roles.APPLY_ACCESS) with what it asks, the basis, the
communities and its documents (the policy basis and the work plan are required before it is submitted) → 初审
(roles.FIRST_REVIEW_ACCESS) → 审批 (roles.APPROVE_ACCESS, another person than the first reviewer); the applying body
may withdraw it before the decision. Each decision is told to the applicant, and moves the work waiting on the
application (WorkRequest.access) to admitted or declined in the same transaction (`settle_work`)."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from linli.accounts import scope
from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.burden import rules as burden_rules
from linli.burden import selectors
from linli.burden.models import AccessApplication, AccessDocument, DutyItem, DutyItemChange, WorkRequest
from linli.core import uploads
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.notifications.services import notify

from . import rules
from .defaults import DEFAULT_LISTS

ITEM_FIELDS = ("list", "number", "category", "title", "basis", "active")
ACTION_LABELS = {
    "added": gettext_lazy("增加"),
    "edited": gettext_lazy("修改"),
    "retired": gettext_lazy("停用"),
    "restored": gettext_lazy("恢复"),
}
ADMIN = AuditEntry.Action.ADMIN


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _clean(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


# ---------------------------------------------------------------- the two lists


@transaction.atomic
def ensure_default_lists(district) -> int:
    """The default items of each list a district has none of yet (defaults.DEFAULT_LISTS); answers how many were
    added. Idempotent: a list the district already keeps, even changed, is left as it is."""
    kept = set(DutyItem.objects.filter(district=district).values_list("list", flat=True).distinct())
    rows = [
        DutyItem(district=district, list=key, number=n, category=category, title=title, basis=basis)
        for key, entries in DEFAULT_LISTS.items()
        if key not in kept
        for n, (category, title, basis) in enumerate(entries, start=1)
    ]
    DutyItem.objects.bulk_create(rows)
    return len(rows)


def defaults_load(*, user, district_id: int) -> int:
    """The district editor's "载入默认清单": the default items of each list the district does not keep yet."""
    district = scope.get_or_404(selectors.edit_districts(user=user), pk=district_id)
    added = ensure_default_lists(district)
    if added:
        audit_record(actor=user, action=ADMIN, object_type="burden.dutyitem", detail="载入默认清单",
                     object_ids=[district.pk], count=added)  # fmt: skip
    return added


def _snapshot(item: DutyItem) -> dict:
    return {field: getattr(item, field) for field in ITEM_FIELDS}


def _record(item: DutyItem, *, user, action: str, before: dict | None, reason: str, now=None) -> DutyItemChange:
    change = DutyItemChange.objects.create(
        item=item, action=action, before=before, after=_snapshot(item), reason=reason, changed_by=user
    )
    if now is not None:
        DutyItemChange.objects.filter(pk=change.pk).update(changed_at=now)
    what = f"{item.get_list_display()} {item.number}. {item.title}"
    audit_record(actor=user, action=ADMIN, object_type="burden.dutyitem", object_ids=[item.pk],
                 detail=f"清单事项{ACTION_LABELS[action]}：{what}；理由：{reason}")  # fmt: skip
    return change


def _item_content(errors: list, *, category: str, title: str, basis: str, reason: str) -> None:
    if not _clean(title):
        errors.append(FieldError("title", gettext("请填写事项")))
    if not _clean(basis):
        errors.append(FieldError("basis", gettext("请填写法律法规依据")))
    if len(_clean(category)) > 40:
        errors.append(FieldError("category", gettext("类别最多40个字")))
    _reason(errors, reason)


def _reason(errors: list, reason: str) -> None:
    if not _clean(reason):
        errors.append(FieldError("reason", gettext("请填写修改理由")))
    elif len(_clean(reason)) > rules.REASON_MAX:
        errors.append(FieldError("reason", gettext("理由最多%(REASON_MAX)s个字") % {"REASON_MAX": rules.REASON_MAX}))


@transaction.atomic
def item_add(*, user, district_id: int, list: str, category: str, title: str, basis: str, reason: str,
             now: datetime | None = None) -> DutyItem:  # fmt: skip
    """A new item at the end of one of the district's lists."""
    district = scope.get_or_404(selectors.edit_districts(user=user), pk=district_id)
    errors: list[FieldError] = []
    if list not in burden_rules.LIST_LABELS:
        errors.append(FieldError("list", gettext("请选择清单")))
    _item_content(errors, category=category, title=title, basis=basis, reason=reason)
    _raise(errors)
    # The district's row lock: two editors adding at once take numbers one after the other.
    type(district).objects.select_for_update().filter(pk=district.pk).exists()
    last = DutyItem.objects.filter(district=district, list=list).aggregate(n=Max("number"))["n"] or 0
    item = DutyItem.objects.create(district=district, list=list, number=last + 1, category=_clean(category),
                                   title=_clean(title), basis=_clean(basis))  # fmt: skip
    _record(item, user=user, action="added", before=None, reason=_clean(reason), now=now)
    return item


def _locked_item(*, user, item_id: int, version: int | None) -> DutyItem:
    selectors.check_editor(user)
    found = selectors.item_get(user=user, pk=item_id)
    if not selectors.may_edit(user, found.district):
        raise PermissionDenied(selectors.NOT_EDITOR)
    item = DutyItem.objects.select_for_update().get(pk=found.pk)
    if version is not None and item.version != version:
        raise Conflict()
    return item


@transaction.atomic
def item_update(*, user, item_id: int, version: int | None, category: str, title: str, basis: str, reason: str,
                now: datetime | None = None) -> DutyItem:  # fmt: skip
    """Edits an item's category, wording or basis; a stale version answers 409."""
    item = _locked_item(user=user, item_id=item_id, version=version)
    errors: list[FieldError] = []
    _item_content(errors, category=category, title=title, basis=basis, reason=reason)
    _raise(errors)
    before = _snapshot(item)
    item.category, item.title, item.basis = _clean(category), _clean(title), _clean(basis)
    if _snapshot(item) == before:
        raise ValidationFailed([FieldError("title", gettext("内容没有变化"))])
    item.version += 1
    item.save(update_fields=["category", "title", "basis", "version", "updated_at"])
    _record(item, user=user, action="edited", before=before, reason=_clean(reason), now=now)
    return item


@transaction.atomic
def item_set_active(*, user, item_id: int, version: int | None, active: bool, reason: str,
                    now: datetime | None = None) -> DutyItem:  # fmt: skip
    """Retires an item (it no longer counts as listed work) or restores it; its number stays its own."""
    item = _locked_item(user=user, item_id=item_id, version=version)
    if item.active == active:
        raise Conflict(gettext("该事项已恢复") if active else gettext("该事项已停用"))
    errors: list[FieldError] = []
    _reason(errors, reason)
    _raise(errors)
    before = _snapshot(item)
    item.active = active
    item.version += 1
    item.save(update_fields=["active", "version", "updated_at"])
    _record(item, user=user, action="restored" if active else "retired", before=before, reason=_clean(reason),
            now=now)  # fmt: skip
    return item


def item_retire(*, user, item_id: int, version: int | None, reason: str, now: datetime | None = None) -> DutyItem:
    return item_set_active(user=user, item_id=item_id, version=version, active=False, reason=reason, now=now)


def item_restore(*, user, item_id: int, version: int | None, reason: str, now: datetime | None = None) -> DutyItem:
    return item_set_active(user=user, item_id=item_id, version=version, active=True, reason=reason, now=now)


# ---------------------------------------------------------------- applications


def _content(errors: list, *, title, kind, content, basis, reason, starts_on, ends_on, communities: int) -> None:
    problems = rules.content_problems(rules.Content(
        title=_clean(title), content=_clean(content), basis=_clean(basis), communities=communities,
        starts_on=starts_on, ends_on=ends_on,
    ))  # fmt: skip
    errors.extend(FieldError(field, message) for field, message in problems.items())
    if kind not in burden_rules.WORK_KIND_LABELS:
        errors.append(FieldError("kind", gettext("请选择工作类型")))
    for field, value, limit in (("title", title, rules.TITLE_MAX), ("content", content, rules.TEXT_MAX),
                                ("basis", basis, rules.TEXT_MAX), ("reason", reason, rules.TEXT_MAX)):  # fmt: skip
        if len(_clean(value)) > limit:
            errors.append(FieldError(field, gettext("最多%(limit)s个字") % {"limit": limit}))


def _communities(errors: list, *, user, district, community_ids) -> list:
    ids = sorted(set(community_ids or ()))
    if not ids:
        return []
    found = list(selectors.apply_communities(user=user, district=district).filter(pk__in=ids))
    if len(found) != len(ids):
        errors.append(FieldError("community_ids", gettext("所选社区不在本区或不在本单位辖区内")))
    return found


def _documents(errors: list, documents) -> list[tuple[str, uploads.Upload]]:
    """(kind, file) pairs checked by content; refused ones named by their field."""
    checked = []
    for kind, file in documents or ():
        if file is None:
            continue
        if kind not in rules.DOC_LABELS:
            errors.append(FieldError("kind", gettext("请选择材料类型")))
            continue
        try:
            checked.append((kind, uploads.check(file, uploads.EVIDENCE, field=f"{kind}_file",
                                                label=rules.DOC_LABELS[kind])))  # fmt: skip
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    return checked


def _store(application, checked, user) -> None:
    if application.documents.count() + len(checked) > rules.MAX_DOCS:
        raise ValidationFailed(
            [FieldError("other_file", gettext("每份申请最多%(MAX_DOCS)s份材料") % {"MAX_DOCS": rules.MAX_DOCS})]
        )
    for kind, upload in checked:
        AccessDocument.objects.create(application=application, kind=kind, name=upload.name[:200], file=upload.file,
                                      uploaded_by=user)  # fmt: skip


def _link_work(errors: list, *, user, application, work_ids) -> None:
    ids = sorted(set(work_ids or ()))
    if not ids:
        return
    work = list(selectors.work_for_application(user=user, ids=ids))
    if len(work) != len(ids):
        errors.append(FieldError("work_ids", gettext("所选工作不是本单位待准入的工作，或已在申请中")))
        return
    WorkRequest.objects.filter(pk__in=[w.pk for w in work]).update(access=application, state=burden_rules.HELD,
                                                                   decided_at=None)  # fmt: skip


@transaction.atomic
def application_create(*, user, title: str, kind: str, content: str, basis: str, reason: str = "",
                       community_ids=(), starts_on: date | None = None, ends_on: date | None = None,
                       district_id: int | None = None, work_ids=(), documents=(), submit: bool = False,
                       now: datetime | None = None) -> AccessApplication:  # fmt: skip
    """A draft application of the user's body (their department, or their office); `documents` are (kind, file)
    pairs, `work_ids` held work of the body it is made for, `submit` submits it at once (then both required
    documents must be among those given)."""
    selectors.check_applicant(user)
    districts = selectors.apply_districts(user=user)
    district = scope.get_or_404(districts, pk=district_id) if district_id else districts.order_by("path").first()
    if district is None:
        raise PermissionDenied(selectors.NOT_APPLICANT)
    errors: list[FieldError] = []
    communities = _communities(errors, user=user, district=district, community_ids=community_ids)
    _content(errors, title=title, kind=kind, content=content, basis=basis, reason=reason, starts_on=starts_on,
             ends_on=ends_on, communities=len(communities))  # fmt: skip
    checked = _documents(errors, documents)
    if submit and (missing := rules.missing_documents(k for k, _ in checked)):
        field = "basis_file" if rules.DOC_LABELS[rules.BASIS_DOC] in missing else "plan_file"
        errors.append(FieldError(field, gettext("提交前请上传：%(join)s") % {"join": "、".join(map(str, missing))}))
    _raise(errors)
    organization = user.organization if user.organization_id else None
    office = None if organization else (user.region if user.region_id else district)
    application = AccessApplication.objects.create(
        district=district, organization=organization, office=office, title=_clean(title), kind=kind,
        content=_clean(content), basis=_clean(basis), reason=_clean(reason), starts_on=starts_on, ends_on=ends_on,
        applicant=user,
    )  # fmt: skip
    application.communities.set(communities)
    _store(application, checked, user)
    errors = []
    _link_work(errors, user=user, application=application, work_ids=work_ids)
    _raise(errors)
    audit_record(actor=user, action=ADMIN, object_type="burden.accessapplication",
                 object_ids=[application.pk], detail=f"准入申请起草：{application.title}")  # fmt: skip
    if submit:
        return _submit(user, application, now or timezone.now())
    return application


def _own_locked(*, user, application_id: int, version: int | None) -> AccessApplication:
    """The user's body's application, row-locked; 403 for others who see it, 409 on a stale version."""
    selectors.check_applicant(user)
    found = scope.get_or_404(selectors.application_queryset(user=user).select_related("office"), pk=application_id)
    if not selectors.is_own(user, found):
        raise PermissionDenied(gettext("只有申请单位可以修改、提交或撤回申请"))
    application = AccessApplication.objects.select_for_update().get(pk=found.pk)
    if version is not None and application.version != version:
        raise Conflict()
    return application


@transaction.atomic
def application_update(*, user, application_id: int, version: int | None, title: str, kind: str, content: str,
                       basis: str, reason: str = "", community_ids=(), starts_on: date | None = None,
                       ends_on: date | None = None) -> AccessApplication:  # fmt: skip
    """Edits a draft (a submitted application is changed only by withdrawing it and applying again)."""
    application = _own_locked(user=user, application_id=application_id, version=version)
    if application.state != burden_rules.DRAFT:
        raise Conflict(gettext("申请已提交，不能再修改；如需修改请撤回后重新申请"))
    errors: list[FieldError] = []
    communities = _communities(errors, user=user, district=application.district, community_ids=community_ids)
    _content(errors, title=title, kind=kind, content=content, basis=basis, reason=reason, starts_on=starts_on,
             ends_on=ends_on, communities=len(communities))  # fmt: skip
    _raise(errors)
    application.title, application.kind, application.content = _clean(title), kind, _clean(content)
    application.basis, application.reason = _clean(basis), _clean(reason)
    application.starts_on, application.ends_on = starts_on, ends_on
    application.version += 1
    application.save()
    application.communities.set(communities)
    return application


@transaction.atomic
def document_add(*, user, application_id: int, kind: str, file) -> AccessDocument:
    """A document of a draft: the policy basis, the work plan or another (content-checked, 10 MB at most)."""
    application = _own_locked(user=user, application_id=application_id, version=None)
    if application.state != burden_rules.DRAFT:
        raise Conflict(gettext("申请已提交，不能再增加材料"))
    errors: list[FieldError] = []
    if file is None:
        errors.append(FieldError("file", gettext("请选择文件")))
    checked = _documents(errors, [(kind, file)])
    _raise(errors)
    _store(application, checked, user)
    return application.documents.order_by("-id").first()


@transaction.atomic
def document_remove(*, user, application_id: int, document_id: int) -> None:
    application = _own_locked(user=user, application_id=application_id, version=None)
    if application.state != burden_rules.DRAFT:
        raise Conflict(gettext("申请已提交，不能再删除材料"))
    document = scope.get_or_404(AccessDocument.objects.filter(application=application), pk=document_id)
    document.file.delete(save=False)
    document.delete()


def _step(application: AccessApplication, step: str) -> str:
    if problem := rules.step_problem(application.state, step):
        raise Conflict(problem)
    return rules.next_state(application.state, step)


def _submit(user, application: AccessApplication, now: datetime) -> AccessApplication:
    application.state = _step(application, rules.SUBMIT)
    if missing := rules.missing_documents(application.documents.values_list("kind", flat=True)):
        raise ValidationFailed(
            [FieldError("documents", gettext("提交前请上传：%(join)s") % {"join": "、".join(map(str, missing))})]
        )
    application.submitted_at = now
    application.version += 1
    application.save(update_fields=["state", "submitted_at", "version"])
    audit_record(actor=user, action=ADMIN, object_type="burden.accessapplication",
                 object_ids=[application.pk], detail=f"准入申请提交：{application.title}")  # fmt: skip
    return application


@transaction.atomic
def application_submit(*, user, application_id: int, version: int | None,
                       now: datetime | None = None) -> AccessApplication:  # fmt: skip
    """提交: to the district's 初审, once the policy basis and the work plan are attached."""
    application = _own_locked(user=user, application_id=application_id, version=version)
    return _submit(user, application, now or timezone.now())


@transaction.atomic
def application_withdraw(*, user, application_id: int, version: int | None,
                         now: datetime | None = None) -> AccessApplication:  # fmt: skip
    """撤回 before the decision; the work it was made for stays held (and may be applied for again)."""
    application = _own_locked(user=user, application_id=application_id, version=version)
    application.state = _step(application, rules.WITHDRAW)
    application.decided_at = now or timezone.now()
    application.version += 1
    application.save(update_fields=["state", "decided_at", "version"])
    WorkRequest.objects.filter(access=application).update(access=None)
    audit_record(actor=user, action=ADMIN, object_type="burden.accessapplication",
                 object_ids=[application.pk], detail=f"准入申请撤回：{application.title}")  # fmt: skip
    return application


def settle_work(application: AccessApplication, now: datetime | None = None) -> int:
    """Moves the held work linked to a decided application to admitted (approved) or declined (refused), in the
    caller's transaction; answers how many rows moved. Nothing moves while the application is undecided."""
    state = rules.work_state_after(application.state)
    if state is None:
        return 0
    return WorkRequest.objects.filter(access=application, state=burden_rules.HELD).update(
        state=state, decided_at=now or timezone.now()
    )


def _decider_locked(*, user, application_id: int, version: int | None, step: str) -> AccessApplication:
    if rules.ACTOR[step] == rules.FIRST_REVIEWER:
        selectors.check_first_reviewer(user)
    else:
        selectors.check_approver(user)
    found = scope.get_or_404(selectors.application_queryset(user=user).select_related("district"), pk=application_id)
    if not selectors.reviews_district(user, found):
        raise PermissionDenied(selectors.NOT_REVIEWER)
    application = AccessApplication.objects.select_for_update().get(pk=found.pk)
    if version is not None and application.version != version:
        raise Conflict()
    return application


def _tell(application: AccessApplication, result: str, opinion: str) -> None:
    note = gettext("意见：%(opinion)s") % {"opinion": opinion} if opinion else ""
    notify([application.applicant], "burden.access_decided", {"title": application.title, "result": result,
           "note": note}, link=reverse("access:detail", args=[application.pk]),
           subject=f"burden.access:{application.pk}")  # fmt: skip


def _decide(*, user, application_id: int, version: int | None, step: str, opinion: str, now: datetime | None):
    application = _decider_locked(user=user, application_id=application_id, version=version, step=step)
    new_state = _step(application, step)
    if problem := rules.decider_problem(step, user_id=user.pk, applicant_id=application.applicant_id,
                                        first_reviewer_id=application.first_reviewer_id):  # fmt: skip
        raise PermissionDenied(problem)
    opinion = _clean(opinion)
    errors: list[FieldError] = []
    if problem := rules.opinion_problem(step, opinion):
        errors.append(FieldError("opinion", problem))
    elif len(opinion) > rules.OPINION_MAX:
        errors.append(
            FieldError("opinion", gettext("意见最多%(OPINION_MAX)s个字") % {"OPINION_MAX": rules.OPINION_MAX})
        )
    _raise(errors)
    now = now or timezone.now()
    application.state = new_state
    if rules.ACTOR[step] == rules.FIRST_REVIEWER:
        application.first_reviewer, application.first_reviewed_at, application.first_opinion = user, now, opinion
        if new_state == burden_rules.REFUSED:
            application.decided_at = now
    else:
        application.approver, application.decided_at, application.decision_opinion = user, now, opinion
    application.version += 1
    application.save()
    moved = settle_work(application, now)
    detail = gettext("准入申请%(STEP_LABELS)s：%(title)s；%(opinion)s") % {
        "STEP_LABELS": rules.STEP_LABELS[step],
        "title": application.title,
        "opinion": opinion,
    }
    audit_record(actor=user, action=ADMIN, object_type="burden.accessapplication", object_ids=[application.pk],
                 detail=detail[:500], count=moved or None)  # fmt: skip
    _tell(application, rules.STEP_LABELS[step], opinion)
    return application


@transaction.atomic
def application_first_review(*, user, application_id: int, version: int | None, passed: bool, opinion: str = "",
                             now: datetime | None = None) -> AccessApplication:  # fmt: skip
    """区领导小组初审: passed on to 审批, or refused (with the opinion saying why)."""
    step = rules.FIRST_PASS if passed else rules.FIRST_REFUSE
    return _decide(user=user, application_id=application_id, version=version, step=step, opinion=opinion, now=now)


@transaction.atomic
def application_decide(*, user, application_id: int, version: int | None, approve: bool, opinion: str = "",
                       now: datetime | None = None) -> AccessApplication:  # fmt: skip
    """区委、区政府审批: approve (the work waiting on it is admitted) or refuse (it is declined, with the reason);
    by another person than the first reviewer."""
    step = rules.APPROVE if approve else rules.REFUSE
    return _decide(user=user, application_id=application_id, version=version, step=step, opinion=opinion, now=now)
