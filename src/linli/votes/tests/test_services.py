"""Votes' services: who sets up and runs a vote, the frozen electorate, who may cast, one ballot per owner (also
under concurrency), immutability after close, the recount, the clause."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications.models import Message
from linli.people.models import HouseOwner
from linli.testing.threads import in_thread, shared_database, simultaneously
from linli.votes import rules, selectors, services
from linli.votes.models import Ballot, Vote, Voter

from .town import TOTAL_AREA


def voter_of(town, vote, key) -> Voter:
    return selectors.resident_voters(resident=town.residents[key], vote=vote)[0]


def cast(town, vote, key, choice=rules.AGREE):
    return services.ballot_cast(resident=town.residents[key], vote_id=vote.pk, voter_id=voter_of(town, vote, key).pk,
                                choice=choice)  # fmt: skip


def test_opening_freezes_the_electorate_as_the_register_counts_it(town):
    vote = town.vote()
    assert (vote.state, vote.total_owners, vote.total_area) == (rules.OPEN, 4, Decimal(TOTAL_AREA))
    voters = {v.key: v for v in Voter.objects.filter(vote=vote)}
    assert len(voters) == 4 and voters["developer"].area == Decimal("76.20")
    assert [v.fallback for v in voters.values()].count(True) == 1
    # A later sale of the developer's unit does not change the running vote.
    HouseOwner.objects.create(house=town.houses["202"], person=town.residents["tenant"].person)
    vote.refresh_from_db()
    assert (vote.total_owners, Voter.objects.filter(vote=vote).count()) == (4, 4)
    assert selectors.resident_voters(resident=town.residents["tenant"], vote=vote) == []


def test_opening_refuses_units_without_any_area(town):
    house = town.houses["202"]
    house.exclusive_area = house.building_area = None
    house.save()
    vote = town.vote(open_=False)
    with pytest.raises(Conflict, match="既无专有部分面积也无建筑面积"):
        services.vote_open(user=town.worker, vote_id=vote.pk, version=vote.version)
    assert Vote.objects.get(pk=vote.pk).state == rules.DRAFT and not Voter.objects.exists()


REFUSED = [
    ("community_worker2", Http404),
    ("street_staff", PermissionDenied),
    ("grid_worker", PermissionDenied),
    ("company_staff", PermissionDenied),
]


@pytest.mark.parametrize("persona, error", REFUSED)
def test_only_the_estates_community_sets_up_a_vote(town, persona, error):
    today = timezone.localdate()
    with pytest.raises(error):
        services.vote_create(user=town.world.users[persona], estate_id=town.estate.pk, title="t", motion="m",
                             item="4", opens_on=today, closes_on=today)  # fmt: skip
    assert not Vote.objects.exists()


def test_a_vote_with_bad_content_names_each_field(town):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as caught:
        services.vote_create(user=town.worker, estate_id=town.estate.pk, title=" ", motion="", item="10",
                             opens_on=today, closes_on=today - timedelta(days=1))  # fmt: skip
    assert {e.field for e in caught.value.errors} == {"title", "motion", "item", "closes_on"}


def test_a_stale_version_answers_409(town):
    vote = town.vote(open_=False)
    with pytest.raises(Conflict):
        services.vote_open(user=town.worker, vote_id=vote.pk, version=vote.version + 1)


def test_an_owner_casts_once_and_a_joint_owner_casts_for_both(town):
    vote = town.vote()
    ballot = cast(town, vote, "one")
    assert (ballot.channel, ballot.person_id) == (rules.PORTAL, town.residents["one"].person_id)
    with pytest.raises(Conflict, match="已经投过票"):
        cast(town, vote, "one", rules.AGAINST)
    cast(town, vote, "two")
    with pytest.raises(Conflict, match="已经投过票"):
        cast(town, vote, "three")
    assert Ballot.objects.filter(vote=vote).count() == 2
    assert Ballot.objects.get(voter=voter_of(town, vote, "one")).choice == rules.AGREE


def test_non_owners_and_other_estates_owners_cannot_cast(town):
    vote = town.vote()
    with pytest.raises(Http404):
        services.ballot_cast(resident=town.residents["tenant"], vote_id=vote.pk, voter_id=1, choice=rules.AGREE)
    with pytest.raises(Http404):
        services.ballot_cast(resident=town.residents["far"], vote_id=vote.pk, voter_id=1, choice=rules.AGREE)
    # An owner naming another owner's voter row.
    with pytest.raises(PermissionDenied):
        services.ballot_cast(resident=town.residents["one"], vote_id=vote.pk,
                             voter_id=voter_of(town, vote, "four").pk, choice=rules.AGREE)  # fmt: skip
    with pytest.raises(ValidationFailed):
        cast(town, vote, "one", "maybe")
    assert not Ballot.objects.exists()


def test_ballots_are_refused_outside_the_open_period_and_after_close(town):
    draft = town.vote(open_=False)
    with pytest.raises(Http404):  # a draft is no resident's business yet
        services.ballot_cast(resident=town.residents["one"], vote_id=draft.pk, voter_id=1, choice=rules.AGREE)
    vote = town.vote()
    voter = voter_of(town, vote, "one")
    later = timezone.now() + timedelta(days=15)
    with pytest.raises(Conflict, match="不在投票期内"):
        services.ballot_cast(resident=town.residents["one"], vote_id=vote.pk, voter_id=voter.pk,
                             choice=rules.AGREE, now=later)  # fmt: skip
    cast(town, vote, "two")
    vote = services.vote_close(user=town.worker, vote_id=vote.pk, version=vote.version)
    with pytest.raises(Conflict, match="不在投票期内"):
        cast(town, vote, "one")
    with pytest.raises(Conflict):
        services.ballot_enter(user=town.worker, vote_id=vote.pk, voter_id=voter.pk, choice=rules.AGREE,
                              channel=rules.PROXY, proxy_name="王五")  # fmt: skip
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_staff_enter_paper_ballots_with_the_scan_and_proxies_with_their_name(town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vote = town.vote()
    developer = Voter.objects.get(vote=vote, key=rules.DEVELOPER_KEY)
    four = voter_of(town, vote, "four")
    with pytest.raises(ValidationFailed) as caught:
        services.ballot_enter(user=town.worker, vote_id=vote.pk, voter_id=developer.pk, choice=rules.AGREE,
                              channel=rules.PAPER)  # fmt: skip
    assert caught.value.errors[0].field == "scan"
    with pytest.raises(ValidationFailed) as caught:
        services.ballot_enter(user=town.worker, vote_id=vote.pk, voter_id=four.pk, choice=rules.AGREE,
                              channel=rules.PROXY, proxy_name=" ")  # fmt: skip
    assert caught.value.errors[0].field == "proxy_name"
    scan = SimpleUploadedFile("票.pdf", b"%PDF-1.4 ballot", content_type="application/pdf")
    paper = services.ballot_enter(user=town.worker, vote_id=vote.pk, voter_id=developer.pk, choice=rules.AGAINST,
                                  channel=rules.PAPER, scan=scan)  # fmt: skip
    proxy = services.ballot_enter(user=town.worker, vote_id=vote.pk, voter_id=four.pk, choice=rules.AGREE,
                                  channel=rules.PROXY, proxy_name="王五", proxy_document="委托书2026-01")  # fmt: skip
    assert paper.scan.name.startswith("votes/ballots/") and paper.entered_by == town.worker
    assert (proxy.proxy_name, proxy.channel) == ("王五", rules.PROXY)
    with pytest.raises(PermissionDenied):
        services.ballot_enter(user=town.world.users["street_staff"], vote_id=vote.pk, voter_id=four.pk,
                              choice=rules.AGREE, channel=rules.PROXY, proxy_name="王五")  # fmt: skip


def test_close_stores_the_result_and_the_recount_matches_it(town):
    vote = town.vote(item="6")
    cast(town, vote, "one")  # 152.40 ㎡
    cast(town, vote, "two")  # 76.20 ㎡
    cast(town, vote, "four", rules.AGAINST)  # 89.50 ㎡
    vote = services.vote_close(user=town.worker, vote_id=vote.pk, version=vote.version)
    assert vote.result["cast_owners"] == 3 and vote.result["agree_area"] == "228.60"
    result, matches = services.vote_recount(user=town.world.users["street_staff"], vote_id=vote.pk)
    assert matches and result.participation_met and not result.passed  # 228.60 / 318.10 < 3/4
    # A ballot slipped into the table behind the services' back shows up as a mismatch.
    Ballot.objects.create(vote=vote, voter=Voter.objects.get(vote=vote, key="developer"), choice=rules.AGREE,
                          channel=rules.PROXY, proxy_name="x", cast_at=timezone.now())  # fmt: skip
    assert services.vote_recount(user=town.worker, vote_id=vote.pk)[1] is False
    published = services.vote_publish(user=town.worker, vote_id=vote.pk, version=vote.version)
    assert published.state == rules.PUBLISHED and published.published_at


def test_the_clause_is_frozen_when_the_vote_opens(town):
    with pytest.raises(ValidationFailed):
        services.clause_set(user=town.worker, estate_id=town.estate.pk, silent=rules.SILENT_AGREE)
    services.clause_set(user=town.worker, estate_id=town.estate.pk, silent=rules.SILENT_AGREE, source="管理规约第20条")
    vote = town.vote()
    services.clause_set(user=town.worker, estate_id=town.estate.pk, silent=rules.SILENT_NONE)
    vote.refresh_from_db()
    assert vote.silent == rules.SILENT_AGREE
    with pytest.raises(Http404):
        services.clause_set(user=town.worker, estate_id=town.far_estate.pk, silent=rules.SILENT_NONE)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_joint_owners_voting_at_once_leave_one_ballot(world, tmp_path):
    from .town import town_of

    town = town_of(world)
    vote = town.vote()
    voter = voter_of(town, vote, "two").pk
    residents = [town.residents["two"], town.residents["three"]]

    def owner(i):
        return services.ballot_cast(resident=residents[i], vote_id=vote.pk, voter_id=voter,
                                    choice=[rules.AGREE, rules.AGAINST][i])  # fmt: skip

    with shared_database(tmp_path):
        outcomes = simultaneously(owner, 2)
        assert sorted(type(o).__name__ for o in outcomes) == ["Ballot", "Conflict"]
        assert in_thread(lambda: Ballot.objects.filter(voter_id=voter).count()) == 1


def test_the_database_itself_keeps_one_ballot_per_owner(town):
    vote = town.vote()
    voter = voter_of(town, vote, "one")
    fields = {"vote": vote, "voter": voter, "channel": rules.PROXY, "proxy_name": "x", "cast_at": timezone.now()}
    Ballot.objects.create(choice=rules.AGREE, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(choice=rules.AGAINST, **fields)


def test_owners_with_a_portal_account_are_told_when_a_vote_opens_and_when_its_result_is_published(town, client):
    vote = town.vote()
    owners = {town.residents[k].user for k in ("one", "two", "three", "four")}
    told = Message.objects.filter(template="votes.opened")
    assert {m.user for m in told} == owners  # not the tenant, nor the owner in another estate
    day = vote.closes_on
    assert told.first().body == f"{town.estate.name}业主大会表决已开始，{day.month}月{day.day}日截止，请在居民端投票。"
    assert told.first().link == f"/portal/votes/{vote.pk}/"
    for key in ("one", "two", "four"):
        cast(town, vote, key)
    vote = services.vote_close(user=town.worker, vote_id=vote.pk, version=vote.version)
    services.vote_publish(user=town.worker, vote_id=vote.pk, version=vote.version)
    published = Message.objects.filter(template="votes.published")
    assert {m.user for m in published} == owners and "通过" in published.first().body
    client.force_login(town.residents["one"].user)
    client.get(f"/portal/votes/{vote.pk}/")
    assert not Message.objects.filter(user=town.residents["one"].user, read_at__isnull=True).exists()
