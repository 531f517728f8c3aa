"""Volunteers and teams for staff under /api/v1/volunteers: the files of the user's scope, registering a registry
person (paper consent), skills, availability, state; teams, their leader and members. Thin: selectors read,
services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id, Line

from ..hours.selectors import card
from . import selectors, services
from .schemas import (
    MemberIn,
    Skill,
    State,
    TeamDetailOut,
    TeamIn,
    TeamKind,
    TeamListOut,
    TeamMemberOut,
    TeamUpdateIn,
    VolunteerDetailOut,
    VolunteerOut,
    VolunteerRegisterIn,
    VolunteerStateIn,
    VolunteerUpdateIn,
)

router = Router(tags=["volunteers"])


def detail(user, pk: int):
    """A volunteer with their star level, hours to the next one and teams."""
    volunteer = selectors.volunteer_get(user=user, pk=pk)
    c = card(volunteer)
    volunteer.stars, volunteer.to_next = c.stars, c.to_next
    volunteer.team_names = [t.name for t in selectors.teams_of(volunteer)]
    return volunteer


@router.get("", response=list[VolunteerOut], summary="志愿者：本辖区的注册志愿者")
@paginate(Pages)
def volunteers(
    request, state: State | None = None, name: Line = "", skill: Skill | None = None, team: Id | None = None
):
    selectors.check_viewer(request.user)
    return selectors.volunteer_list(user=request.user, state=state, name=name, skill=skill, team=team)


@router.post("", response={201: VolunteerDetailOut}, summary="社区代为登记志愿者（本人已签署纸质告知同意书）")
def volunteer_register(request, payload: VolunteerRegisterIn):
    volunteer = services.volunteer_register(user=request.user, **payload.dict())
    return Status(201, detail(request.user, volunteer.pk))


@router.get("/teams", response=list[TeamListOut], summary="志愿服务队：本辖区的队伍")
@paginate(Pages)
def teams(request, kind: TeamKind | None = None):
    selectors.check_viewer(request.user)
    return selectors.team_list(user=request.user, kind=kind)


def team_detail(user, pk: int):
    team = selectors.team_get(user=user, pk=pk)
    team.member_rows = list(selectors.team_members(team))
    return team


@router.post("/teams", response={201: TeamDetailOut}, summary="组建志愿服务队")
def team_create(request, payload: TeamIn):
    team = services.team_create(user=request.user, **payload.dict())
    return Status(201, team_detail(request.user, team.pk))


@router.get("/teams/{team_id}", response=TeamDetailOut, summary="一支队伍：队长与队员")
def team(request, team_id: Id):
    return team_detail(request.user, team_id)


@router.put("/teams/{team_id}", response=TeamDetailOut, summary="修改队伍：名称、类型、简介、队长、是否在用")
def team_update(request, team_id: Id, payload: TeamUpdateIn):
    services.team_update(user=request.user, team_id=team_id, **payload.dict())
    return team_detail(request.user, team_id)


@router.post("/teams/{team_id}/members", response={201: TeamMemberOut}, summary="加入队员（本区域在册志愿者）")
def member_add(request, team_id: Id, payload: MemberIn):
    member = services.team_member_add(user=request.user, team_id=team_id, volunteer_id=payload.volunteer_id)
    return Status(201, member)


@router.delete("/teams/{team_id}/members/{volunteer_id}", response={204: None}, summary="移出队员")
def member_remove(request, team_id: Id, volunteer_id: Id):
    services.team_member_remove(user=request.user, team_id=team_id, volunteer_id=volunteer_id)
    return Status(204, None)


@router.get("/{volunteer_id}", response=VolunteerDetailOut, summary="一名志愿者：档案、星级、所在队伍")
def volunteer(request, volunteer_id: Id):
    return detail(request.user, volunteer_id)


@router.put("/{volunteer_id}", response=VolunteerDetailOut, summary="修改技能特长与可服务时间")
def volunteer_update(request, volunteer_id: Id, payload: VolunteerUpdateIn):
    services.volunteer_update(user=request.user, volunteer_id=volunteer_id, **payload.dict())
    return detail(request.user, volunteer_id)


@router.post("/{volunteer_id}/state", response=VolunteerDetailOut, summary="在册、暂停或退出")
def volunteer_state(request, volunteer_id: Id, payload: VolunteerStateIn):
    services.volunteer_set_state(user=request.user, volunteer_id=volunteer_id, **payload.dict())
    return detail(request.user, volunteer_id)
