"""Proposals, who takes part, the discussion and its moderation, polls (one vote each, also under concurrency),
closing and publishing."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from linli.consultation import selectors, services
from linli.consultation.models import Ballot, Poll
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications.models import Message
from linli.testing.threads import in_thread, shared_database, simultaneously

from .town import town_of

pytestmark = pytest.mark.django_db

EVERYONE = {"a1", "a1_next", "a1b", "a2", "b1", "unbound", "owner"}
BODY = "楼下空地想改成晾晒区，请大家商量。"


def worker(town):
    return town.world.users["community_worker"]


def proposal(town, audience="estate", target=None, **kwargs):
    target = target or {"estate": town.places["a1"].estate.pk, "community": town.world.community_a1.pk}[audience]
    return services.proposal_create(user=worker(town), title="晾晒区", body=BODY, audience=audience, target=target)


def poll(town, p, **kwargs):
    settings = {"question": "是否设晾晒区", "options": ["同意", "不同意"], "quorum_kind": "share", "quorum_value": 50,
                "pass_rule": "simple", "closes_at": timezone.now() + timedelta(days=7)}  # fmt: skip
    p.refresh_from_db()
    return services.poll_open(user=worker(town), proposal_id=p.pk, version=p.version, **{**settings, **kwargs})


def option(poll_, label):
    return poll_.options.get(label=label).pk


def who_takes_part(town, p) -> set[str]:
    return {key for key, r in town.residents.items() if selectors.takes_part(r, p)}


@pytest.mark.parametrize(
    "audience, target, part",
    [
        ("community", lambda t: t.world.community_a1.pk, {"a1", "a1_next", "a1b", "owner"}),
        ("grid", lambda t: t.world.grid_a1b.pk, {"a1b"}),
        ("estate", lambda t: t.places["a1"].estate.pk, {"a1", "a1_next", "owner"}),
        ("building", lambda t: t.building.pk, {"a1", "owner"}),
    ],
)
def test_those_who_live_or_own_a_house_in_the_place_take_part(town, audience, target, part):
    p = proposal(town, audience, target(town))
    assert who_takes_part(town, p) == part
    poll(town, p)  # and those, only, are told in their inbox that it opened
    told = Message.objects.filter(template="consultation.poll_opened")
    assert {m.user for m in told} == {town.residents[k].user for k in part}
    assert set(selectors.eligible_residents(p)) == {town.residents[k] for k in part}
    assert selectors.eligible_count(p) == len(part)
    for key in EVERYONE - part:  # another place's residents do not even see it
        with pytest.raises(Http404):
            services.comment_post(resident=town.residents[key], proposal_id=p.pk, body="我也说两句")


def test_a_residents_proposal_waits_for_the_community_and_a_declined_one_says_why(town):
    a1 = town.residents["a1"]
    assert {(a, label) for a, _, label in selectors.proposal_places(a1)} >= {
        ("community", town.world.community_a1.name), ("estate", town.places["a1"].estate.name)
    }  # fmt: skip
    mine = services.proposal_submit(
        resident=a1, title="加装电梯", body=BODY, audience="building", target=town.building.pk
    )
    assert mine.status == "submitted" and mine.region_id == town.building.grid_id
    assert list(selectors.resident_proposals(a1)) == [mine]
    assert not selectors.resident_proposals(town.residents["owner"]).exists()  # not in consultation yet
    with pytest.raises(Conflict):
        services.comment_post(resident=a1, proposal_id=mine.pk, body="先说两句")
    with pytest.raises(ValidationFailed) as refused:
        services.proposal_decide(user=worker(town), proposal_id=mine.pk, version=1, accept=False, reason=" ")
    assert refused.value.errors[0].field == "reason"
    services.proposal_decide(
        user=worker(town), proposal_id=mine.pk, version=1, accept=False, reason="属于业主大会表决事项"
    )
    seen = selectors.resident_proposal_get(resident=a1, pk=mine.pk)
    assert (seen.status, seen.reason) == ("declined", "属于业主大会表决事项")
    told = Message.objects.get(user=a1.user, template="consultation.decided")
    assert (told.title, told.body) == ("议题不予受理：加装电梯", "您提出的议题不予受理。说明：属于业主大会表决事项")
    with pytest.raises(Conflict):  # decided once
        services.proposal_decide(user=worker(town), proposal_id=mine.pk, version=2, accept=True)


def test_a_resident_proposes_only_to_a_place_they_belong_to(town):
    with pytest.raises(ValidationFailed) as refused:
        services.proposal_submit(
            resident=town.residents["a2"],
            title="题",
            body=BODY,
            audience="community",
            target=town.world.community_a1.pk,
        )
    assert refused.value.errors[0].field == "target"
    with pytest.raises(ValidationFailed):
        services.proposal_submit(resident=town.residents["unbound"], title="题", body=BODY, audience="grid",
                                 target=town.world.grid_a1.pk)  # fmt: skip
    # the owner living elsewhere may address the building of the flat they own
    owned = services.proposal_submit(
        resident=town.residents["owner"], title="题", body=BODY, audience="building", target=town.building.pk
    )
    assert owned.audience == "building"


def test_who_may_run_a_consultation(town):
    p = proposal(town)
    for persona in ("grid_worker", "dept_handler", "company_staff"):
        with pytest.raises(PermissionDenied):
            services.proposal_decide(user=town.world.users[persona], proposal_id=p.pk, version=1, accept=True)
    with pytest.raises(Http404):  # another community's worker: not in their scope
        services.staff_comment_post(user=town.world.users["community_worker2"], proposal_id=p.pk, body="你好")
    with pytest.raises(Conflict):  # stale version
        services.poll_open(user=worker(town), proposal_id=p.pk, version=0, question="q", options=["是", "否"],
                           closes_at=timezone.now() + timedelta(days=1), quorum_kind="count", quorum_value=1,
                           pass_rule="simple")  # fmt: skip


def test_a_hidden_comment_leaves_the_residents_view_and_stays_on_the_record(town):
    p = proposal(town)
    rude = services.comment_post(resident=town.residents["a1"], proposal_id=p.pk, body="骂人的话")
    kind = services.comment_post(resident=town.residents["owner"], proposal_id=p.pk, body="支持")
    with pytest.raises(ValidationFailed):
        services.comment_post(resident=town.residents["a1"], proposal_id=p.pk, body="   ")
    with pytest.raises(ValidationFailed) as refused:
        services.comment_hide(user=worker(town), comment_id=rude.pk, reason="")
    assert refused.value.errors[0].field == "reason"
    services.comment_hide(user=worker(town), comment_id=rude.pk, reason="含有人身攻击")
    with pytest.raises(Conflict):
        services.comment_hide(user=worker(town), comment_id=rude.pk, reason="再次")
    assert list(selectors.comments(p, hidden=False)) == [kind]
    assert [(c.pk, c.hidden_reason) for c in selectors.comments(p, hidden=True)] == [
        (rude.pk, "含有人身攻击"),
        (kind.pk, ""),
    ]
    detail = selectors.resident_detail(selectors.resident_proposal_get(resident=town.residents["a1"], pk=p.pk),
                                       town.residents["a1"])  # fmt: skip
    assert [c.body for c in detail["comments"]] == ["支持"] and detail["comment_count"] == 1


def test_one_vote_each_a_closed_poll_refuses_more_and_the_result_is_published(town):
    p = proposal(town)  # 甲一小区: a1, a1_next, owner
    ballot = poll(town, p, quorum_value=60)
    services.vote(resident=town.residents["a1"], poll_id=ballot.pk, option_id=option(ballot, "同意"))
    with pytest.raises(Conflict):
        services.vote(resident=town.residents["a1"], poll_id=ballot.pk, option_id=option(ballot, "不同意"))
    with pytest.raises(Http404):  # not of the place
        services.vote(resident=town.residents["b1"], poll_id=ballot.pk, option_id=option(ballot, "同意"))
    with pytest.raises(ValidationFailed):  # an option of no such poll
        services.vote(resident=town.residents["owner"], poll_id=ballot.pk, option_id=0)
    services.vote(resident=town.residents["owner"], poll_id=ballot.pk, option_id=option(ballot, "同意"))
    # residents see no counts before publication
    a1 = town.residents["a1"]
    seen = selectors.resident_detail(selectors.resident_proposal_get(resident=a1, pk=p.pk), a1)
    assert seen["my_option"] == "同意" and seen["poll"]["options"][0]["votes"] is None
    with pytest.raises(Conflict):  # publish before close
        services.poll_publish(user=worker(town), poll_id=ballot.pk, version=1)
    services.poll_close(user=worker(town), poll_id=ballot.pk, version=1)
    with pytest.raises(Conflict):
        services.vote(resident=town.residents["a1_next"], poll_id=ballot.pk, option_id=option(ballot, "同意"))
    services.poll_publish(user=worker(town), poll_id=ballot.pk, version=2)
    shown = selectors.resident_detail(selectors.resident_proposal_get(resident=a1, pk=p.pk), a1)["poll"]
    assert (shown["eligible"], shown["turnout"], shown["quorum_met"], shown["passed"]) == (3, 2, True, True)
    assert (shown["leading_label"], shown["turnout_text"]) == ("同意", "66.6%")
    assert [o["votes"] for o in shown["options"]] == [2, 0]


def test_the_electorate_is_frozen_when_the_poll_closes(town):
    p = proposal(town, "building", town.building.pk)  # a1 and owner
    ballot = poll(town, p, quorum_value=50)
    services.vote(resident=town.residents["a1"], poll_id=ballot.pk, option_id=option(ballot, "同意"))
    services.poll_close(user=worker(town), poll_id=ballot.pk, version=1)
    town.residents["owner"].person.houseowner_set.all().delete()  # the owner sells after the close
    got = selectors.result(selectors.poll_of(p))
    assert (got.eligible, got.turnout, got.quorum_met) == (2, 1, True)


def test_a_poll_is_set_up_once_on_an_accepted_proposal_with_sound_settings(town):
    submitted = services.proposal_submit(
        resident=town.residents["a1"], title="题", body=BODY, audience="grid", target=town.world.grid_a1.pk
    )
    with pytest.raises(Conflict):
        poll(town, submitted)
    p = proposal(town)
    with pytest.raises(ValidationFailed) as refused:
        poll(town, p, options=["同意"], closes_at=timezone.now() - timedelta(minutes=1), quorum_value=0)
    assert {e.field for e in refused.value.errors} == {"options", "closes_at", "quorum_value"}
    poll(town, p)
    with pytest.raises(Conflict):
        poll(town, p)


# serialized_rollback: the flush after this test keeps the content types the browser tests restore later.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_votes_of_one_resident_at_the_same_moment(world, tmp_path):
    """Two phones of one resident send their vote at once: the unique constraint lets one in, the other gets 409."""
    town = town_of(world)
    p = proposal(town)
    ballot = poll(town, p)
    a1 = town.residents["a1"]
    choices = [option(ballot, "同意"), option(ballot, "不同意")]
    with shared_database(tmp_path):
        outcomes = simultaneously(lambda i: services.vote(resident=a1, poll_id=ballot.pk, option_id=choices[i]), 2)
        stored = in_thread(lambda: list(Ballot.objects.filter(poll_id=ballot.pk).values_list("resident_id", flat=True)))
    assert sorted(type(o).__name__ for o in outcomes) == ["Ballot", "Conflict"], outcomes
    assert stored == [a1.pk]
    assert Poll.objects.filter(pk=ballot.pk).exists()


def test_a_resident_who_deletes_their_account_leaves_their_comment_and_vote_counted(town):
    from linli.residents.account.services import account_delete

    p = proposal(town)
    ballot = poll(town, p, quorum_kind="count", quorum_value=1)
    a1 = town.residents["a1"]
    services.comment_post(resident=a1, proposal_id=p.pk, body="支持")
    services.vote(resident=a1, poll_id=ballot.pk, option_id=option(ballot, "同意"))
    account_delete(resident=a1, confirm=True)
    assert [c.body for c in selectors.comments(p, hidden=False)] == ["支持"]
    got = selectors.result(selectors.poll_of(p))
    assert (got.turnout, got.passed) == (1, True)


def test_the_periodic_job_closes_polls_past_their_closing_time_once(town):
    due = poll(town, proposal(town), closes_at=timezone.now() + timedelta(hours=1))
    later = poll(town, proposal(town), closes_at=timezone.now() + timedelta(days=2))
    services.vote(resident=town.residents["a1"], poll_id=due.pk, option_id=option(due, "同意"))
    after = timezone.now() + timedelta(hours=2)
    assert services.polls_close_due(now=after) == 1
    assert services.polls_close_due(now=after) == 0  # run twice: nothing left to do
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.closed_at, due.eligible, due.version) == ("closed", due.closes_at, 3, 2)
    assert later.status == "open"
