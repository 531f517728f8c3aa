"""The API of 实名认证, 我的家庭, 更正申请 and the review queue: the authorization matrix (every persona, in and out
of scope), the resident's own answers, and a resident never reaching another's."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.people.models import Person
from linli.residents import rules
from linli.residents.binding import services
from linli.residents.models import BindingRequest, CorrectionRequest
from linli.testing import factories
from linli.testing.apiclient import ApiClient, registry
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

pytestmark = pytest.mark.django_db


@dataclass
class Ctx:
    binding: int
    correction: int


def _requests(person: Person, phone: str, claim_phone: str) -> Ctx:
    """A pending binding (another phone claims the person) and a pending correction (by the person's account)."""
    claimant = factories.resident(claim_phone)
    binding = services.bind(user=claimant.user, name=person.name, id_number=person.id_number)
    owner = factories.resident(phone, person=person)
    correction = services.correction_request(user=owner.user, changes={"employer": "市二医院"}, reason="换了工作")
    return Ctx(binding.pk, correction.pk)


@pytest.fixture
def places(world):
    return registry(world)


@pytest.fixture
def ctx(places):
    return {
        "in": _requests(places["a1"].person, "13700000001", "13700000002"),
        "out": _requests(places["b1"].person, "13700000003", "13700000004"),
    }


def approve(ctx):
    return {"approve": True, "note": "已核实"}


PORTAL_403 = "403 403 403 403 403 403 403 403"  # staff have their own pages: the portal is residents' only
# fmt: off
ENDPOINTS = [
    #                                                               adm dis str cw  cw2 grd dep com
    Endpoint("GET",  "/resident-reviews/bindings",                  "200 200 200 200 200 403 403 403"),
    Endpoint("GET",  "/resident-reviews/bindings/{binding}",        "200 200 200 200 404 403 403 403",
                                                       out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("POST", "/resident-reviews/bindings/{binding}/decision", "403 403 403 200 404 403 403 403",
                                                       out_of_scope="403 403 403 404 404 403 403 403", body=approve),
    Endpoint("GET",  "/resident-reviews/corrections",               "200 200 200 200 200 403 403 403"),
    Endpoint("GET",  "/resident-reviews/corrections/{correction}",  "200 200 200 200 404 403 403 403",
                                                       out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("POST", "/resident-reviews/corrections/{correction}/decision", "403 403 403 200 404 403 403 403",
                                                       out_of_scope="403 403 403 404 404 403 403 403", body=approve),
    Endpoint("GET",    "/portal/binding",                           PORTAL_403),
    Endpoint("POST",   "/portal/binding",                           PORTAL_403,
             body=lambda c: {"name": "张三", "id_number": "210103198005010011"}),
    Endpoint("DELETE", "/portal/binding",                           PORTAL_403),
    Endpoint("POST",   "/portal/binding/withdraw",                  PORTAL_403),
    Endpoint("GET",    "/portal/household",                         PORTAL_403),
    Endpoint("GET",    "/portal/corrections",                       PORTAL_403),
    Endpoint("POST",   "/portal/corrections",                       PORTAL_403,
             body=lambda c: {"changes": {"employer": "x"}, "reason": "换了工作"}),
    Endpoint("GET",    "/portal/corrections/{correction}",          PORTAL_403),
    Endpoint("POST",   "/portal/corrections/{correction}/withdraw", PORTAL_403),
]
# fmt: on
CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(world, ctx):
    got, table = answers(world.users, CASES, ctx)
    assert got == table


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_credentials_every_endpoint_answers_401(endpoint):
    # Authentication comes before any lookup: ids that name no row do.
    assert anonymous_status(endpoint, Ctx(binding=1, correction=1)) == 401


def test_the_table_covers_every_endpoint_of_the_queue_and_these_portal_pages():
    missing, stale = uncovered(ENDPOINTS, "/resident-reviews", "/portal/binding", "/portal/household",
                               "/portal/corrections")  # fmt: skip
    assert missing == set() and stale == set()


def test_the_review_lists_hold_the_requests_of_the_personas_scope(world, ctx):
    got = {}
    for role in ("admin", "street_staff", "community_worker", "community_worker2"):
        api = ApiClient(world.users[role])
        got[role] = (
            sorted(r["id"] for r in api.get("/resident-reviews/bindings").json()["items"]),
            sorted(r["id"] for r in api.get("/resident-reviews/corrections").json()["items"]),
        )
    a, b = ctx["in"], ctx["out"]
    assert got == {
        "admin": (sorted([a.binding, b.binding]), sorted([a.correction, b.correction])),
        "street_staff": ([a.binding], [a.correction]),
        "community_worker": ([a.binding], [a.correction]),
        "community_worker2": ([], []),
    }


def test_a_binding_through_the_api(world):
    person = registry(world)["a1"].person
    resident = factories.resident(person.phone)
    api = ApiClient(resident.user)
    assert api.get("/portal/binding").json() == {"bound": False, "name": "", "pending": None, "last": None}
    before = api.get("/portal/household")
    assert before.status_code == 404 and before.json()["detail"] == "请先完成实名认证"
    wrong = api.post("/portal/binding", {"name": "李四", "id_number": person.id_number})
    assert wrong.status_code == 400 and wrong.json()["detail"] == services.NO_MATCH
    answer = api.post("/portal/binding", {"name": person.name, "id_number": person.id_number})
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    assert api.get("/portal/binding").json()["name"] == person.name
    household = api.get("/portal/household").json()
    assert household["household_number"] == "A1-0001" and household["members"][0]["id_number"] == person.id_number
    assert api.delete("/portal/binding").status_code == 204
    assert api.get("/portal/binding").json()["bound"] is False


def test_a_correction_through_the_api_and_its_review(world):
    person = registry(world)["a1"].person
    resident = factories.resident("13700000009", person=person)
    api = ApiClient(resident.user)
    bad = api.post("/portal/corrections", {"changes": {"phone": "123"}, "reason": "换了号码"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "phone"
    made = api.post("/portal/corrections", {"changes": {"phone": "13700000009"}, "reason": "换了号码"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["status"] == "pending" and body["changes"][0]["new"] == "137****0009"
    worker = ApiClient(world.users["community_worker"])
    refused = worker.post(f"/resident-reviews/corrections/{body['id']}/decision", {"approve": False})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "note"
    ok = worker.post(f"/resident-reviews/corrections/{body['id']}/decision", {"approve": True})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    person.refresh_from_db()
    assert person.phone == "13700000009"
    mine = api.get("/portal/corrections").json()
    assert mine["count"] == 1 and mine["items"][0]["status_label"] == "已通过"


def test_a_resident_gets_404_for_another_residents_correction(places, ctx):
    other = factories.resident("13700000010", person=places["a2"].person)
    api = ApiClient(other.user)
    pk = ctx["in"].correction
    assert api.get(f"/portal/corrections/{pk}").status_code == 404
    assert api.post(f"/portal/corrections/{pk}/withdraw").status_code == 404
    assert CorrectionRequest.objects.get(pk=pk).status == rules.Status.PENDING
    assert BindingRequest.objects.filter(status=rules.Status.PENDING).count() == 2


def test_the_queues_cost_the_same_for_ten_times_the_requests(world, places, client):
    worker = world.users["community_worker"]
    client.force_login(worker)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/api/v1/resident-reviews/bindings", "/api/v1/resident-reviews/corrections", "/residents/reviews/",
            "/residents/reviews/?kind=corrections"]  # fmt: skip
    _requests(places["a1"].person, "13700000001", "13700000002")
    few = [queries(url) for url in urls]
    for n in range(10):
        person = factories.person(places["a1"].grid, places["a1"].household, name=f"成员{n}", phone=f"1350000{n:04d}")
        _requests(person, f"1360000{n:04d}", f"1330000{n:04d}")
    assert [queries(url) for url in urls] == few
