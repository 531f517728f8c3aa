"""Publishing, who sees a notice, read counts, withdrawing; the in-app message; queries per page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notices import selectors, services
from linli.notifications.models import Message
from linli.people.models import House, Rental, RentalTenant
from linli.testing import factories

pytestmark = pytest.mark.django_db

EVERYONE = {"a1", "a1_next", "a1b", "a2", "b1", "unbound"}


def publish(town, audience: str, target: int, user="community_worker", **kwargs):
    return services.notice_create(
        user=town.world.users[user], title="停水通知", body="各位居民：\n  明日9时至17时停水。\n特此通知。",
        audience=audience, target=target, publish=True, **kwargs,
    )  # fmt: skip


def readers(town, notice) -> set[str]:
    return {key for key, r in town.residents.items() if selectors.resident_notices(r).filter(pk=notice.pk).exists()}


@pytest.mark.parametrize(
    "audience, target, reached",
    [
        ("community", lambda t: t.world.community_a1.pk, {"a1", "a1_next", "a1b"}),
        ("grid", lambda t: t.world.grid_a1.pk, {"a1", "a1_next"}),
        ("grid", lambda t: t.world.grid_a1b.pk, {"a1b"}),
        ("estate", lambda t: t.places["a1"].estate.pk, {"a1", "a1_next"}),
        ("building", lambda t: t.building.pk, {"a1"}),
    ],
)
def test_a_notice_reaches_the_bound_residents_of_its_audience_only(town, audience, target, reached):
    notice = publish(town, audience, target(town))
    assert readers(town, notice) == reached
    assert set(selectors.audience_residents(notice)) == {town.residents[k] for k in reached}
    for key in EVERYONE - reached:  # another community's resident (or one not yet bound) gets 404, like a missing one
        with pytest.raises(Http404):
            services.notice_read(resident=town.residents[key], notice_id=notice.pk)


def test_a_tenant_gets_the_notices_of_the_building_rented_now_not_of_one_rented_before(town):
    world, a1 = town.world, town.places["a1"]
    tenant = factories.resident("13900000007", factories.person(world.grid_b1, name="租户"))
    today = timezone.localdate()
    rented_now = House.objects.get(unit__building__estate=a1.estate, unit__building__number="2")
    for house, ends_on in ((rented_now, None), (a1.house, today - timedelta(days=1))):
        rental = Rental.objects.create(
            house=house, landlord=a1.person, starts_on=today - timedelta(days=90), ends_on=ends_on
        )
        RentalTenant.objects.create(rental=rental, person=tenant.person, registered_on=rental.starts_on)
    town.residents["tenant"] = tenant
    building_2 = publish(town, "building", rented_now.unit.building_id)
    assert readers(town, building_2) == {"a1_next", "tenant"}
    assert set(selectors.audience_residents(building_2)) == {town.residents["a1_next"], tenant}
    assert readers(town, publish(town, "building", town.building.pk)) == {"a1"}  # that tenancy ended yesterday
    estate = publish(town, "estate", a1.estate.pk)
    assert readers(town, estate) == {"a1", "a1_next", "tenant"} and selectors.audience_size(estate) == 3
    assert "tenant" not in readers(town, publish(town, "community", world.community_a1.pk))  # registered in 乙一


def test_a_draft_and_a_withdrawn_notice_reach_nobody(town):
    worker = town.world.users["community_worker"]
    draft = services.notice_create(
        user=worker, title="草稿", body="正文", audience="community", target=town.world.community_a1.pk
    )
    assert readers(town, draft) == set()
    services.notice_publish(user=worker, notice_id=draft.pk, version=draft.version)
    assert readers(town, draft) == {"a1", "a1_next", "a1b"}
    services.notice_withdraw(user=worker, notice_id=draft.pk, version=draft.version + 1)
    assert readers(town, draft) == set()


def test_read_counts_count_each_resident_once(town):
    notice = publish(town, "community", town.world.community_a1.pk)
    worker = town.world.users["community_worker"]
    assert selectors.notice_get(user=worker, pk=notice.pk).read_count == 0
    for key in ("a1", "a1", "a1b"):
        services.notice_read(resident=town.residents[key], notice_id=notice.pk)
    got = selectors.notice_get(user=worker, pk=notice.pk)
    assert (got.read_count, selectors.audience_size(got)) == (2, 3)
    listed = {n.pk: n.read_count for n in selectors.notice_list(user=worker)}
    assert listed == {notice.pk: 2}
    unread = selectors.resident_notices(town.residents["a1_next"]).get(pk=notice.pk)
    assert unread.read is False and selectors.resident_notices(town.residents["a1"]).get(pk=notice.pk).read is True


def test_publishing_tells_the_audience_in_their_inbox_and_reading_marks_the_message_read(
    town, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task, after the commit
        notice = publish(town, "grid", town.world.grid_a1.pk)
    messages = Message.objects.filter(template="notices.published")
    assert {m.user_id for m in messages} == {town.residents[k].user_id for k in ("a1", "a1_next")}
    first = messages.get(user=town.residents["a1"].user)
    assert (first.title, first.body) == ("社区公告：停水通知", "甲一社区发布了新的公告，请点击查看。")
    assert first.link == f"/portal/notices/{notice.pk}/" and first.read_at is None
    services.notice_read(resident=town.residents["a1"], notice_id=notice.pk)
    first.refresh_from_db()
    assert first.read_at is not None


def test_no_message_goes_out_unasked_or_for_a_notice_withdrawn_before_the_worker_came(
    town, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(town, "community", town.world.community_a1.pk, notify=False)
    with django_capture_on_commit_callbacks() as queued:
        notice = publish(town, "community", town.world.community_a1.pk)
    worker = town.world.users["community_worker"]
    services.notice_withdraw(user=worker, notice_id=notice.pk, version=notice.version)
    for callback in queued:
        callback()
    assert len(queued) == 1 and not Message.objects.filter(template="notices.published").exists()


@pytest.mark.parametrize(
    "user, audience, target",
    [
        ("community_worker2", "community", lambda t: t.world.community_a1.pk),
        ("community_worker", "grid", lambda t: t.world.grid_a2.pk),
        ("community_worker", "estate", lambda t: t.places["b1"].estate.pk),
        ("street_staff", "community", lambda t: t.world.community_b1.pk),
        ("street_staff", "grid", lambda t: t.world.community_a1.pk),  # a community is not a grid
        ("district_staff", "community", lambda t: t.world.street_a.pk),  # a street is no audience
    ],
)
def test_staff_publish_only_inside_their_scope(town, user, audience, target):
    with pytest.raises(Http404):
        publish(town, audience, target(town), user=user)


@pytest.mark.parametrize("user", ["grid_worker", "dept_handler", "company_staff"])
def test_grid_workers_departments_and_companies_do_not_publish(town, user):
    with pytest.raises(PermissionDenied):
        publish(town, "grid", town.world.grid_a1.pk, user=user)
    with pytest.raises(PermissionDenied):
        selectors.notice_list(user=town.world.users[user])


def test_staff_see_the_notices_of_their_scope(town):
    mine = publish(town, "community", town.world.community_a1.pk)
    other = publish(town, "community", town.world.community_a2.pk, user="community_worker2")
    far = publish(town, "community", town.world.community_b1.pk, user="district_staff")
    seen = {u: {n.pk for n in selectors.notice_list(user=town.world.users[u])} for u in town.world.users if u in (
        "admin", "district_staff", "street_staff", "community_worker", "community_worker2")}  # fmt: skip
    assert seen == {
        "admin": {mine.pk, other.pk, far.pk},
        "district_staff": {mine.pk, other.pk, far.pk},
        "street_staff": {mine.pk, other.pk},
        "community_worker": {mine.pk},
        "community_worker2": {other.pk},
    }


def test_bad_text_and_a_stale_or_wrong_state_are_refused(town):
    worker = town.world.users["community_worker"]
    with pytest.raises(ValidationFailed) as refused:
        services.notice_create(user=worker, title=" ", body="\n", audience="street", target=1)
    assert {e.field for e in refused.value.errors} == {"title", "body", "audience"}
    notice = publish(town, "community", town.world.community_a1.pk)
    with pytest.raises(Conflict):  # someone changed it since
        services.notice_withdraw(user=worker, notice_id=notice.pk, version=notice.version - 1)
    with pytest.raises(Conflict, match="只有草稿可以修改"):
        services.notice_update(
            user=worker, notice_id=notice.pk, version=notice.version, title="改", body="改",
            audience="community", target=town.world.community_a1.pk,
        )  # fmt: skip
    with pytest.raises(Conflict):
        services.notice_publish(user=worker, notice_id=notice.pk, version=notice.version)


def test_editing_a_draft_can_move_it_to_another_audience(town):
    worker = town.world.users["community_worker"]
    draft = services.notice_create(
        user=worker, title="草稿", body="正文", audience="community", target=town.world.community_a1.pk
    )
    edited = services.notice_update(
        user=worker, notice_id=draft.pk, version=draft.version, title="楼栋停电", body="3号楼停电",
        audience="building", target=town.building.pk, notify=False,
    )  # fmt: skip
    assert (edited.audience, edited.building_id, edited.region_id, edited.version) == (
        "building", town.building.pk, town.world.grid_a1.pk, draft.version + 1,
    )  # fmt: skip


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_the_lists_cost_the_same_queries_for_1_and_10_notices(town, client):
    worker, resident = town.world.users["community_worker"], town.residents["a1"]

    def pages():
        client.force_login(worker)
        staff = _queries(lambda: client.get("/notices/"))
        client.force_login(resident.user)
        return staff, _queries(lambda: client.get("/portal/notices/"))

    publish(town, "building", town.building.pk)
    one = pages()
    for _ in range(3):
        publish(town, "community", town.world.community_a1.pk)
        publish(town, "grid", town.world.grid_a1.pk)
        publish(town, "estate", town.places["a1"].estate.pk)
    assert pages() == one
