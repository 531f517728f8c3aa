"""Helpers for tests of the JSON API: a client per persona (bearer token) and a small registry per scope."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.test import Client

from linli.accounts.models import ApiToken
from linli.people.models import Estate, House, Household, Person, PersonTag, Rental, RentalTenant, Tag
from linli.regions.models import GridStaff
from linli.testing import factories

API = "/api/v1"


class ApiClient:
    """Speaks JSON to /api/v1 as `user` (with a fresh bearer token), or anonymously."""

    def __init__(self, user=None):
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {ApiToken.issue(user, timedelta(hours=1))}"
        self.client = Client(headers=headers)

    def request(self, method: str, path: str, data=None):
        method = method.lower()
        if method == "get":
            return self.client.get(API + path, data or {})
        body = json.dumps(data) if data is not None else ""
        return getattr(self.client, method)(API + path, body, content_type="application/json")

    def get(self, path, params=None):
        return self.request("get", path, params)

    def post(self, path, data=None):
        return self.request("post", path, data)

    def patch(self, path, data=None):
        return self.request("patch", path, data)

    def delete(self, path):
        return self.request("delete", path)


def field_errors(response) -> dict[str, str]:
    """{"field": "message"} from an error answer."""
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@dataclass
class Place:
    """One grid's worth of registry data: estate → house → household → person (tagged), a rental, staff."""

    grid: object
    estate: Estate
    house: House
    household: Household
    person: Person
    rental: Rental
    staff: GridStaff


@dataclass
class Registry:
    places: dict[str, Place] = field(default_factory=dict)

    def __getitem__(self, key) -> Place:
        return self.places[key]


def place(grid, community, name: str, estate_name: str, number: str) -> Place:
    estate = Estate.objects.create(region=community, name=estate_name)
    house = factories.house(grid, estate, number="101")
    household = Household.objects.create(number=number, house=house)
    person = factories.person(grid, household, name=name, relationship=Person.Relationship.HEAD)
    household.head = person
    household.save()
    PersonTag.objects.create(person=person, tag=Tag.objects.get(code="elderly_alone"))
    PersonTag.objects.create(person=person, tag=Tag.objects.get(code="mental_disorder"))
    rental = Rental.objects.create(house=house, landlord=person, starts_on=date(2025, 1, 1))
    RentalTenant.objects.create(rental=rental, person=person, registered_on=date(2025, 1, 1))
    staff = GridStaff.objects.create(grid=grid, duty="worker", name=f"{name}网格员", phone="13900001111")
    return Place(grid, estate, house, household, person, rental, staff)


def registry(world) -> Registry:
    """Data in grid 甲一1 ("a1": every region persona but community_worker2 sees it), 甲二1 ("a2") and 乙一1 ("b1")."""
    return Registry(
        {
            "a1": place(world.grid_a1, world.community_a1, "甲一居民", "甲一小区", "A1-0001"),
            "a2": place(world.grid_a2, world.community_a2, "甲二居民", "甲二小区", "A2-0001"),
            "b1": place(world.grid_b1, world.community_b1, "乙一居民", "乙一小区", "B1-0001"),
        }
    )
