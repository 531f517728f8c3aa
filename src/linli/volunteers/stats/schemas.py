from datetime import date
from decimal import Decimal

from linli.core.schemas import Schema


class RegionRef(Schema):
    id: int
    name: str


class Period(Schema):
    start: date
    end: date


class VolunteerHeadline(Schema):
    persons: int
    volunteers: int
    hours: Decimal
    volunteer_share: Decimal | None
    volunteer_hours_per_capita: Decimal | None
    teams: int
    total_hours: Decimal


class TeamHours(Schema):
    team: str
    hours: Decimal


class Bands(Schema):
    labels: list[str]
    counts: list[int]


class Activities(Schema):
    held: list[int]
    cancelled: list[int]
    short: list[int]
    fill: list[Decimal | None]
    fill_rate: Decimal | None
    bands: Bands
    total: int
    with_waiting_list: int


class Stars(Bands):
    thresholds: list[int]


class VolunteerStatsOut(Schema):
    region: RegionRef | None
    period: Period
    headline: VolunteerHeadline
    months: list[str]
    hours_by_month: list[Decimal]
    hours_by_team: list[TeamHours]
    activities: Activities
    stars: Stars
