"""The small demo district, built once: every record valid, the shape DESIGN.md describes, the README accounts."""

import pytest
from django.contrib.auth.hashers import check_password
from django.db.models import Count, Q

from linli.accounts.models import Role, User
from linli.accounts.roles import STAFF_ROLES
from linli.demo import build
from linli.people import rules
from linli.people.models import House, Household, HouseOwner, Person, PersonTag, Rental
from linli.regions import rules as region_rules
from linli.regions.models import GridStaff, Region

from .test_build import SMALL

# Each worker that runs tests of this module builds the small district once for them (they only read it), outside
# the tests' transactions, so each test's rollback leaves it as built; it is emptied again when the module ends.


@pytest.fixture(scope="module")
def _small_district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build.reset()
        district = build.build(seed=7, scale=SMALL, parallel=False)
    yield district
    with django_db_blocker.unblock():
        build.reset()


@pytest.fixture
def small(_small_district, db):
    return _small_district


def test_the_district_has_the_shape_design_md_describes(small):
    levels = dict(Region.objects.values_list("level").annotate(n=Count("id")))
    assert levels == {
        Region.Level.DISTRICT: 1,
        Region.Level.STREET: 2,
        Region.Level.COMMUNITY: 8,
        Region.Level.GRID: 40,
    }
    for node in Region.objects.select_related("parent").exclude(parent=None):
        assert region_rules.validate_code(node.code, node.level, node.parent.code, node.parent.level) == node.code
        assert region_rules.validate_boundary(node.boundary) is not None
    grids = Region.objects.filter(level=Region.Level.GRID)
    assert sum(g.households_planned for g in grids) == Household.objects.count() > 0
    assert not GridStaff.objects.filter(duty=GridStaff.Duty.LEADER).values("grid").annotate(n=Count("id")).exclude(n=1)
    assert small.counts["residents 人员"] == Person.objects.count() >= 800


def test_every_person_is_valid_unique_and_lives_where_the_household_does(small):
    persons = list(Person.objects.select_related("household__house"))
    id_numbers = [p.id_number for p in persons]
    assert len(set(id_numbers)) == len(persons)
    for p in persons:
        facts = rules.parse_id_number(p.id_type, p.id_number)
        if facts.birth_date:
            assert facts.birth_date == p.birth_date, p.id_number
        if facts.gender:
            assert facts.gender == p.gender, p.id_number
        if p.phone:
            assert rules.validate_phone(p.phone) == p.phone
        if p.household:
            assert p.grid_id == p.household.grid_id == p.household.house.grid_id
    assert Person.objects.filter(residence_type=Person.ResidenceType.FLOATING).exists()
    assert (
        Person.objects.filter(id_type=rules.ID_PASSPORT).exists()
        or Person.objects.filter(residence_type=Person.ResidenceType.OVERSEAS).exists()
    )


def test_every_household_has_one_head_among_its_members_and_history(small):
    heads = Household.objects.annotate(n=Count("members", filter=Q(members__relationship=Person.Relationship.HEAD)))
    assert not heads.exclude(n=1).exists()
    for household in Household.objects.select_related("head"):
        assert household.head is not None and household.head.household_id == household.pk
        assert household.head.relationship == Person.Relationship.HEAD
    assert Household.history.filter(history_type="~").count() == Household.objects.count()
    assert Person.history.count() == Person.objects.count()


def test_tags_owners_and_rentals_are_consistent(small):
    assert PersonTag.objects.filter(tag__code="elderly_alone").exists()
    for link in PersonTag.objects.select_related("tag"):
        assert (link.grade is not None) == link.tag.graded
        if link.grade is not None:
            assert 1 <= link.grade <= 4
    assert HouseOwner.objects.count() >= House.objects.filter(use=House.Use.OWNER_OCCUPIED).count()
    for rental in Rental.objects.select_related("house").prefetch_related("tenants"):
        assert rental.house.use == House.Use.RENTED
        assert rental.tenants.exists()
        assert rental.ends_on is None or rental.starts_on <= rental.ends_on


def test_the_demo_accounts_have_their_roles_scopes_and_the_shared_password(small):
    staff = User.objects.filter(role__in=STAFF_ROLES)  # residents' accounts are the portal's (tested below)
    users = {u.username: u for u in staff.select_related("region", "organization")}
    assert set(users) == {name for name, _ in build.ACCOUNTS}
    for username, role in build.ACCOUNTS:
        assert users[username].role == role
        assert check_password(build.DEMO_PASSWORD, users[username].password)
    with_pii = {name for name, u in users.items() if u.has_perm("people.view_pii")}
    assert with_pii == {"admin", "street_staff"}
    one, two = users["community_worker"].region, users["community_worker2"].region
    assert one != two and one.parent_id == two.parent_id == users["street_staff"].region_id
    grid = users["grid_worker"].region
    assert grid.parent_id == one.pk and GridStaff.objects.filter(grid=grid, user=users["grid_worker"]).exists()
    assert users["dept_handler"].organization.kind == "department"
    assert users["company_staff"].organization.kind == "company"
    assert users["admin"].is_superuser and users["admin"].role == Role.ADMIN


def test_last_months_bulletins_rank_the_streets_communities_and_departments(small):
    from linli.bulletins.models import Bulletin, Entry

    bulletins = Bulletin.objects.all()
    assert sorted(bulletins.values_list("group", flat=True)) == ["community", "department", "street"]
    assert len({b.month for b in bulletins}) == 1
    streets = Entry.objects.filter(bulletin__group="street")
    assert streets.count() == 2 and sorted(streets.values_list("rank", flat=True)) in ([1, 2], [1, 1])
    assert Entry.objects.filter(bulletin__group="community").count() == 8


def test_buildings_stand_in_their_grids_inside_their_estates_outline(small):
    """The registry is the demo's base map: every building has a point in its own grid and in its estate's outline."""
    from linli.people.models import Building

    def inside(geometry, lon, lat):
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for ring, *_ in polygons:
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            if min(xs) <= lon <= max(xs) and min(ys) <= lat <= max(ys):
                return True
        return False

    buildings = Building.objects.select_related("grid", "estate")
    assert buildings.exists()
    for b in buildings:
        lon, lat = float(b.longitude), float(b.latitude)
        assert inside(b.grid.boundary, lon, lat), b
        assert inside(b.estate.outline, lon, lat), b


def test_residents_are_bound_in_every_community_and_each_community_has_requests_to_review(small):
    from linli.residents import rules as resident_rules
    from linli.residents.models import BindingRequest, CorrectionRequest, Resident

    bound = Resident.objects.filter(person__isnull=False)
    communities = Region.objects.filter(level=Region.Level.COMMUNITY)
    assert set(bound.values_list("person__grid__parent", flat=True)) == set(communities.values_list("pk", flat=True))
    at_once = bound.filter(binding_requests__why=resident_rules.Why.NONE).select_related("person")
    assert at_once.count() >= 8 * 30 and all(r.phone == r.person.phone for r in at_once)  # the same phone
    pending = BindingRequest.objects.filter(status=resident_rules.Status.PENDING)
    assert pending.values("person__grid__parent").distinct().count() == communities.count()
    assert not pending.filter(resident__person__isnull=False).exists()
    corrections = CorrectionRequest.objects.filter(status=resident_rules.Status.PENDING).select_related("person")
    assert corrections.count() >= communities.count()
    assert all(c.changes and c.changes[0].old == (getattr(c.person, c.changes[0].field) or "") for c in corrections)
    # every demo account has agreed to the current privacy notice: signing in as one opens the portal, not the notice
    from linli.residents.account.rules import NOTICE_VERSION

    assert not Resident.objects.exclude(consents__version=NOTICE_VERSION).exists()


def test_the_demo_phone_binds_at_once_and_has_reports_to_follow(small):
    from linli.residents.binding.services import bind
    from linli.residents.reports.selectors import my_reports
    from linli.residents.services import resident_account

    from ..binding import DEMO_PHONE, DEMO_REPORTS, demo_person

    person = demo_person()
    resident = resident_account(DEMO_PHONE)
    states = list(my_reports(resident).values_list("state", flat=True))
    assert 2 <= len(states) <= DEMO_REPORTS and "closed" in states  # the small district has fewer states
    bind(user=resident.user, name=person.name, id_number=person.id_number)
    resident.refresh_from_db()
    assert resident.person == person
    assert f"姓名 name {person.name} 证件号码 ID number {person.id_number}" in build.accounts_table()


def test_the_demo_has_three_finished_votes_and_one_the_demo_phone_can_cast(small):
    from fractions import Fraction

    from linli.residents.binding.services import bind
    from linli.residents.services import resident_account
    from linli.votes import rules as vote_rules
    from linli.votes import selectors as vote_selectors
    from linli.votes import services as vote_services
    from linli.votes.models import Vote

    from ..binding import DEMO_PHONE, demo_person

    published = {v.item: vote_selectors.tally(v) for v in Vote.objects.filter(state=vote_rules.PUBLISHED)}
    assert set(published) == {"8", "4", "6"}
    assert not published["8"].participation_met
    assert published["4"].passed and not vote_rules.is_major("4")
    repair = published["6"]
    agree_area = repair.thresholds[2]
    assert repair.participation_met and not repair.passed and not agree_area.met
    # 74% in the full demo; the small district's few owners leave coarser steps.
    assert Fraction(7, 10) <= agree_area.share < Fraction(745, 1000)
    assert all(v.result == vote_rules.summary(vote_selectors.tally(v)) for v in Vote.objects.all() if v.result)
    person, resident = demo_person(), resident_account(DEMO_PHONE)
    bind(user=resident.user, name=person.name, id_number=person.id_number)
    resident.refresh_from_db()
    (vote,) = vote_selectors.resident_votes(resident).filter(state=vote_rules.OPEN)
    (voter,) = vote_selectors.resident_voters(resident=resident, vote=vote)
    vote_services.ballot_cast(resident=resident, vote_id=vote.pk, voter_id=voter.pk, choice=vote_rules.AGREE)
