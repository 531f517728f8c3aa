from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from linli.committees import rules, selectors, services
from linli.committees.models import Committee, CommitteeMember, CrossOffice, PartyOrganization
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.testing import factories

from .town import form, members, places


@pytest.fixture
def town(world):
    return places(world)


def test_a_community_worker_forms_a_committee_of_owners_for_five_years(world, town):
    committee = form(world.users["community_worker"], town["in"], filed_on=date(2024, 4, 1), filing_number="甲备01")
    assert committee.region == world.community_a1
    assert committee.term_ends == date(2029, 3, 15)
    assert committee.ended_on is None
    got = selectors.committee_get(user=world.users["street_staff"], pk=committee.pk)
    assert [m.role for m in got.members.all()] == ["chair", "vice_chair", "member", "member", "member"]
    assert (got.member_count, got.party_members, got.has_party_org) == (5, 2, False)


def test_members_must_own_a_house_in_the_estate(world, town):
    outsider = factories.person(world.grid_a1, name="租户", phone="")
    other_estates_owner = town["out"].owners[0]
    chosen = members(town["in"].owners[:3]) + [
        services.Member(outsider.pk, rules.MEMBER),
        services.Member(other_estates_owner.pk, rules.MEMBER),
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.committee_form(
            user=world.users["community_worker"], estate_id=town["in"].estate.pk, assembly_on=date(2024, 3, 1),
            formed_on=date(2024, 3, 1), members=chosen,
        )  # fmt: skip
    assert [(e.field, e.row) for e in exc.value.errors] == [("members", 4), ("members", 5)]
    assert "不是本小区登记的业主" in exc.value.errors[0].message
    assert not Committee.objects.exists()


@pytest.mark.parametrize("n", [4, 6])
def test_an_even_or_too_small_committee_is_refused(world, town, n):
    with pytest.raises(ValidationFailed) as exc:
        form(world.users["community_worker"], town["in"], n=n)
    assert exc.value.errors[0].message == f"业主委员会应由5至11名委员组成且为单数，现为{n}名"


def test_dates_are_checked(world, town):
    p = town["in"]
    with pytest.raises(ValidationFailed) as exc:
        services.committee_form(
            user=world.users["community_worker"], estate_id=p.estate.pk, assembly_on=date(2024, 3, 2),
            formed_on=date(2024, 3, 1), filed_on=date(2024, 2, 1), members=members(p.owners),
        )  # fmt: skip
    assert {e.field for e in exc.value.errors} == {"assembly_on", "filed_on"}
    with pytest.raises(ValidationFailed) as exc:
        form(world.users["community_worker"], p, formed_on=date(2024, 3, 1), today=date(2024, 2, 29))
    assert exc.value.errors[0].field == "formed_on"


@pytest.mark.parametrize(
    "persona, error",
    [("street_staff", PermissionDenied), ("district_staff", PermissionDenied), ("grid_worker", PermissionDenied),
     ("company_staff", PermissionDenied), ("community_worker2", Http404)],
)  # fmt: skip
def test_only_the_estates_community_records_its_committee(world, town, persona, error):
    with pytest.raises(error):
        form(world.users[persona], town["in"])
    assert not Committee.objects.exists()


def test_a_new_committee_ends_the_current_one_and_keeps_the_history(world, town):
    worker = world.users["community_worker"]
    first = form(worker, town["in"], formed_on=date(2019, 5, 10))
    with pytest.raises(ValidationFailed):  # not after the current one
        form(worker, town["in"], formed_on=date(2019, 5, 10))
    second = form(worker, town["in"], formed_on=date(2024, 5, 8))
    first.refresh_from_db()
    assert first.ended_on == date(2024, 5, 8)
    terms = selectors.estate_committees(user=worker, estate=town["in"].estate)
    assert [c.pk for c in terms] == [second.pk, first.pk]
    assert [c.pk for c in selectors.committee_list(user=worker)] == [second.pk]


def test_the_database_holds_one_current_committee_per_estate(world, town):
    committee = form(world.users["community_worker"], town["in"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(
            estate=committee.estate, region=committee.region, assembly_on=date(2025, 1, 1),
            formed_on=date(2025, 1, 1), term_ends=date(2030, 1, 1),
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(committee=committee, person=town["in"].owners[6], role=rules.CHAIR)


def test_editing_members_needs_the_version_read_and_a_current_committee(world, town):
    worker = world.users["community_worker"]
    committee = form(worker, town["in"], formed_on=date(2019, 5, 10))
    kwargs = {"members": members(town["in"].owners, 7), "filed_on": date(2019, 6, 1), "filing_number": "甲备02"}
    services.committee_update(user=worker, committee_id=committee.pk, version=1, **kwargs)
    committee.refresh_from_db()
    assert (committee.version, committee.filing_number, committee.members.count()) == (2, "甲备02", 7)
    with pytest.raises(Conflict):
        services.committee_update(user=worker, committee_id=committee.pk, version=1, **kwargs)
    form(worker, town["in"], formed_on=date(2024, 5, 8))
    with pytest.raises(Conflict) as exc:
        services.committee_update(user=worker, committee_id=committee.pk, version=3, **kwargs)
    assert exc.value.detail == "这一届业主委员会已经终止，记录不能再修改"


def test_party_organisations_and_cross_office_holdings_feed_the_figures(world, town):
    worker = world.users["community_worker"]
    committee = form(worker, town["in"])
    services.party_create(
        user=worker, kind=rules.GROUP, host=rules.COMMITTEE, name="甲一花园业委会党小组", secretary="王芳", members=3,
        founded_on=date(2024, 4, 1), committee_id=committee.pk,
    )  # fmt: skip
    company_branch = services.party_create(
        user=worker, kind=rules.BRANCH, host=rules.COMPANY, name="安居物业党支部", secretary="李强", members=9,
        founded_on=date(2023, 7, 1), organization_id=town["in"].company.pk,
    )  # fmt: skip
    assert company_branch.region == world.community_a1
    services.cross_office_create(
        user=worker, name="赵敏", home=rules.COMMUNITY, home_post="社区党委书记", serves=rules.COMMITTEE,
        serves_post="业委会副主任", since=date(2024, 3, 15), committee_id=committee.pk,
    )  # fmt: skip
    f = selectors.figures(user=world.users["district_staff"])
    assert (f.estates, f.committees, f.with_party_org, f.members, f.party_members) == (2, 1, 1, 5, 2)
    assert (f.cross_offices, f.companies_with_party_org) == (1, 1)
    assert (rules.percent(f.committee_share), rules.percent(f.party_member_share)) == ("50%", "40%")
    assert selectors.figures(user=world.users["community_worker2"]).committees == 0


def test_a_party_organisation_names_a_host_in_scope(world, town):
    worker = world.users["community_worker"]
    kwargs = {"kind": rules.BRANCH, "name": "党支部", "secretary": "王芳", "members": 3, "founded_on": date(2024, 1, 1)}
    with pytest.raises(ValidationFailed) as exc:
        services.party_create(user=worker, host=rules.COMMITTEE, **kwargs)
    assert exc.value.errors[0].field == "committee_id"
    other = form(factories.user("cw_b1", "community_worker", world.community_b1), town["out"])
    with pytest.raises(Http404):
        services.party_create(user=worker, host=rules.COMMITTEE, committee_id=other.pk, **kwargs)
    with pytest.raises(ValidationFailed) as exc:
        services.party_create(user=worker, host=rules.COMMUNITY, **{**kwargs, "secretary": "  "})
    assert exc.value.errors[0].field == "secretary"
    assert not PartyOrganization.objects.exists()


def test_party_edits_need_the_version_read(world, town):
    worker = world.users["community_worker"]
    party = services.party_create(
        user=worker, kind=rules.BRANCH, host=rules.COMMUNITY, name="社区党委", secretary="赵敏", members=40,
        founded_on=date(2010, 7, 1),
    )  # fmt: skip
    services.party_update(user=worker, party_id=party.pk, version=1, name="社区党委", secretary="钱进", members=41)
    with pytest.raises(Conflict):
        services.party_update(user=worker, party_id=party.pk, version=1, name="社区党委", secretary="孙立", members=41)
    with pytest.raises(PermissionDenied):
        services.party_update(
            user=world.users["street_staff"], party_id=party.pk, version=2, name="x", secretary="x", members=1
        )


def test_a_cross_office_holding_joins_two_different_bodies(world, town):
    with pytest.raises(ValidationFailed):
        services.cross_office_create(
            user=world.users["community_worker"], name="赵敏", home=rules.COMMUNITY, home_post="书记",
            serves=rules.COMMUNITY, serves_post="委员", since=date(2024, 1, 1),
        )  # fmt: skip
    assert not CrossOffice.objects.exists()
