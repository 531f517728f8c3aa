"""The volunteers' files and teams: each use case, its refusals, and nothing changed when refused."""

import pytest
from django.http import Http404

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.volunteers import rules as vocabulary
from linli.volunteers.models import TeamMember, Volunteer
from linli.volunteers.registry import services


def test_a_registry_person_becomes_a_volunteer_of_their_community_with_its_next_number(place):
    va, year = place.va, place.va.registered_at.year
    assert va.region == place.world.community_a1 and va.via == vocabulary.STAFF
    assert va.number == f"210103001001-{year}-00001" and va.consent_version
    other = services.volunteer_register(user=place.worker, person_id=place.persons["other"].pk, skills=[],
                                        availability=[], paper_consent=True)  # fmt: skip
    assert other.number == f"210103001001-{year}-00002"  # 甲一2号网格 is in 甲一社区 too
    assert place.vb.number.startswith("210103002001-")


def test_a_person_is_a_volunteer_once(place):
    with pytest.raises(Conflict, match="已是注册志愿者"):
        services.volunteer_register(user=place.worker, person_id=place.persons["va"].pk, skills=[],
                                    availability=[], paper_consent=True)  # fmt: skip


def test_staff_registration_needs_the_signed_paper_form_and_known_choices(place):
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(user=place.worker, person_id=place.persons["plain"].pk, skills=["flying"],
                                    availability=[], paper_consent=True)  # fmt: skip
    assert exc.value.errors[0].field == "skills"
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(user=place.worker, person_id=place.persons["plain"].pk, skills=[],
                                    availability=[], paper_consent=False)  # fmt: skip
    assert exc.value.errors[0].field == "paper_consent"
    assert not Volunteer.objects.filter(person=place.persons["plain"]).exists()


def test_an_office_registers_only_the_people_it_keeps(place):
    w = place.world
    with pytest.raises(Http404):  # 乙一社区's person is outside 甲一社区's registry
        services.volunteer_register(user=w.users["community_worker2"], person_id=place.persons["va"].pk,
                                    skills=[], availability=[], paper_consent=True)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.volunteer_register(user=w.users["grid_worker"], person_id=place.persons["plain"].pk,
                                    skills=[], availability=[], paper_consent=True)  # fmt: skip


def test_a_resident_registers_in_the_portal_after_agreeing(place):
    resident = place.residents["plain"]
    with pytest.raises(ValidationFailed) as exc:
        services.portal_register(resident=resident, skills=["it"], availability=[], agreed=False)
    assert exc.value.errors[0].field == "agreed"
    volunteer = services.portal_register(resident=resident, skills=["it", "medical"], availability=["weekend"],
                                         agreed=True)  # fmt: skip
    assert volunteer.via == vocabulary.PORTAL and volunteer.skills == ["medical", "it"]
    assert volunteer.region == place.world.community_a1 and volunteer.registered_by == resident.user
    with pytest.raises(PermissionDenied, match="实名认证"):
        services.portal_register(resident=place.residents["unbound"], skills=[], availability=[], agreed=True)


def test_skills_and_state_change_with_the_version_read(place):
    va = place.va
    va = services.volunteer_update(user=place.worker, volunteer_id=va.pk, version=va.version, skills=["legal"],
                                   availability=[])  # fmt: skip
    assert va.skills == ["legal"]
    with pytest.raises(Conflict):
        services.volunteer_set_state(user=place.worker, volunteer_id=va.pk, version=va.version - 1, state="left")
    va = services.volunteer_set_state(user=place.worker, volunteer_id=va.pk, version=va.version, state="suspended")
    assert va.state == "suspended"
    with pytest.raises(Http404):  # 甲二社区 neither sees nor keeps 甲一社区's files
        services.volunteer_update(user=place.world.users["community_worker2"], volunteer_id=va.pk, version=None,
                                  skills=[], availability=[])  # fmt: skip


def test_a_volunteer_edits_their_own_skills(place):
    volunteer = services.portal_update(resident=place.residents["vol"], version=place.va.version, skills=["arts"],
                                       availability=["holiday"])  # fmt: skip
    assert volunteer.skills == ["arts"]
    with pytest.raises(PermissionDenied):
        services.portal_update(resident=place.residents["plain"], version=None, skills=[], availability=[])


def test_teams_have_a_leader_among_their_members(place):
    team, worker = place.team, place.worker
    assert team.leader == place.va
    with pytest.raises(ValidationFailed) as exc:
        services.team_update(user=worker, team_id=team.pk, version=team.version, name=team.name, kind="party",
                             leader_id=place.vb.pk)  # fmt: skip
    assert exc.value.errors[0].field == "leader_id"
    with pytest.raises(ValidationFailed) as exc:  # 乙一社区's volunteer does not join 甲一社区's team
        services.team_member_add(user=place.world.users["admin"], team_id=team.pk, volunteer_id=place.vb.pk)
    assert exc.value.errors[0].field == "volunteer_id"
    services.team_member_remove(user=worker, team_id=team.pk, volunteer_id=place.va.pk)
    team.refresh_from_db()
    assert team.leader_id is None and not TeamMember.objects.filter(team=team).exists()


def test_team_names_are_unique_in_a_region(place):
    with pytest.raises(ValidationFailed) as exc:
        services.team_create(user=place.worker, region_id=place.world.community_a1.pk, name="甲一党员志愿服务队",
                             kind="party")  # fmt: skip
    assert exc.value.errors[0].field == "name"


def test_a_suspended_volunteer_joins_no_team(place):
    va = services.volunteer_set_state(user=place.worker, volunteer_id=place.va.pk, version=None, state="suspended")
    team = services.team_create(user=place.worker, region_id=place.world.community_a1.pk, name="巡逻队", kind="patrol")
    with pytest.raises(ValidationFailed) as exc:
        services.team_member_add(user=place.worker, team_id=team.pk, volunteer_id=va.pk)
    assert "不在册" in exc.value.errors[0].message
