"""Authorization matrix of /api/v1/cases: every endpoint × every persona × a case in scope and one out of scope.

Read a row as "what each persona gets back". Each place holds three cases of category 0401 (路灯不亮, handled by
the persona dept_handler's 区城市管理综合执法局): one received (with a photo), one dispatched (deadline already
past), one fed back and waiting for the on-site check, one closed and waiting for its return visit (回访).
- in scope  = grid 甲一1 (community 甲一, street 甲): every region persona but community_worker2 sees its cases;
- out scope = grid 乙一1 (community 乙一, street 乙): of the region personas only admin and district_staff see it.
Department staff see the cases sent to their organisation wherever they lie, and nothing else; company staff
have none here. Statuses: 200/201 allowed; 400 the request names a place outside the persona's region (intake
answers which field); 403 the persona may not do this at all; 404 the case is out of the persona's scope (it
looks exactly like a missing one).

The table runs on linli.testing.authz: each persona's call in a savepoint that is rolled back, so every persona
meets the same data. An action placeholder names itself: {register} is the action register.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.cases import rules, services
from linli.cases.models import Case, Category
from linli.cases.tests.casework import case_in, photo
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

ROLES = factories.PERSONAS


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Place:
    grid: object
    received: Case
    dispatched: Case
    fed_back: Case
    closed: Case
    attachment: int = 0

    def url_values(self) -> dict:
        return {
            "grid": self.grid.pk,
            "received": self.received.pk,
            "dispatched": self.dispatched.pk,
            "fed_back": self.fed_back.pk,
            "closed": self.closed.pk,
            "attachment": self.attachment,
            "category": self.received.category_id,
            **{action: action for action in rules.TRANSITIONS},
        }


def place(grid) -> Place:
    received = services.case_create(
        user=User.objects.get(username="admin"),
        channel="window",
        data={
            "category_id": Category.objects.get(code="0401").pk,
            "description": "路灯杆倾斜",
            "region_id": grid.pk,
            "reporter_phone": "13912345678",
        },  # fmt: skip
        photos=[photo()],
    )
    return Place(
        grid=grid,
        received=received,
        dispatched=case_in(grid, "dispatched", dispatched_at=timezone.now() - timedelta(days=30)),
        fed_back=case_in(grid, "feedback"),
        closed=closed_in(grid),
        attachment=received.attachments.get().pk,
    )


def closed_in(grid) -> Case:
    """A case fed back and then closed directly (grid 乙一1 has no on-site persona), waiting for its return visit."""
    case = case_in(grid, "feedback")
    Case.objects.filter(pk=case.pk).update(state=rules.CLOSED, closed_at=timezone.now())
    case.refresh_from_db()
    return case


def new_case(p: Place) -> dict:
    return {
        "channel": "patrol",
        "category_id": Category.objects.get(code="0401").pk,
        "description": "巡查发现路灯不亮",
        "region_id": p.grid.pk,
    }


def with_photo(body):
    return lambda p: {**body(p), "photos": [photo()]}


def version_of(case_attr: str, **extra):
    def body(p: Place) -> dict:
        return {"version": getattr(p, case_attr).version, **extra}

    return body


DEFERRAL_STEPS = (("accept", "dept_handler", {}),
                  ("request_deferral", "dept_handler", {"note": "待供暖期结束后施工", "resume_on": "later"}),
                  ("approve_deferral", "admin", {}))  # fmt: skip


def deferral_at(steps: int):
    """Takes the place's dispatched case through the first `steps` of 签收, 申请缓办 and 批准缓办."""

    def prepare(p: Place) -> None:
        case = Case.objects.get(pk=p.dispatched.pk)
        for action, persona, params in DEFERRAL_STEPS[:steps]:
            params = {k: resume_on() if v == "later" else v for k, v in params.items()}
            case = services.case_act(user=User.objects.get(username=persona), case_id=case.pk, action=action,
                                     version=case.version, **params)  # fmt: skip
        p.dispatched = case

    return prepare


def resume_on() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


def selected(case: Case) -> dict:
    return {"id": case.pk, "version": case.version}


ALL_200 = "200 200 200 200 200 200 200 200"
# fmt: off
ENDPOINTS = [
    #                                                                    adm dis str cw  cw2 grd dep com
    # ---- lists: each persona gets its own rows (checked below)
    Endpoint("GET",  "/cases",                                          ALL_200),
    # the dispatcher's desk and the overdue list are the dispatchers' and supervisors', as their pages
    Endpoint("GET",  "/cases/queue",                                    "200 200 200 403 403 403 403 403"),
    Endpoint("GET",  "/cases/todo",                                     ALL_200),
    Endpoint("GET",  "/cases/overdue",                                  "200 200 200 403 403 403 403 403"),
    Endpoint("GET",  "/cases/categories",                               ALL_200),
    # the return visits' call list is the dispatchers', who call residents back
    Endpoint("GET",  "/cases/visits",                                   "200 200 200 403 403 403 403 403"),
    # a filter naming a region checks it is in the persona's region scope (organisations read the whole tree)
    Endpoint("GET",  "/cases?region={grid}",                            "200 200 200 200 404 200 200 200",
                                                           out_of_scope="200 200 404 404 404 404 200 200"),
    # indicators are for the region offices; a department or company is what they rank, a grid too small to rank
    Endpoint("GET",  "/cases/indicators",                               "200 200 200 200 200 403 403 403"),
    Endpoint("GET",  "/cases/indicators?region={grid}",                 "200 200 200 200 404 403 403 403",
                                                           out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/cases/indicators/charts?region={grid}",          "200 200 200 200 404 403 403 403",
                                                           out_of_scope="200 200 404 404 404 403 403 403"),
    Endpoint("GET",  "/cases/indicators/export?region={grid}",          "200 200 200 200 404 403 403 403",
                                                           out_of_scope="200 200 404 404 404 403 403 403"),
    # duplicate hints are for those who take cases in, among the cases they see (a place elsewhere finds none)
    Endpoint("GET",  "/cases/similar?category_id={category}&region_id={grid}", "200 200 200 200 200 200 403 403"),
    # ---- batches of the dispatcher's desk and of 超期督办. A dispatch batch answers 200 with each case's own
    # outcome (a case out of scope is a 404 among the results, test_api); a 督办 batch is all or nothing.
    Endpoint("POST", "/cases/dispatch",                                 "200 200 200 403 403 403 403 403",
                                                           out_of_scope="200 200 200 403 403 403 403 403",
             body=lambda p: {"cases": [selected(p.received)]}),
    Endpoint("POST", "/cases/supervise",                                "200 200 200 403 403 403 403 403",
                                                           out_of_scope="200 200 404 403 403 403 403 403",
             body=lambda p: {"cases": [selected(p.dispatched)], "note": "请加快处理"}),
    # ---- intake: region personas take reports of their region; a place outside it is a field error
    Endpoint("POST", "/cases",                                          "201 201 201 201 400 201 403 403",
                                                           out_of_scope="201 201 400 400 400 400 403 403",
             body=new_case),
    Endpoint("POST", "/cases/form",                                     "201 201 201 201 400 201 403 403",
                                                           out_of_scope="201 201 400 400 400 400 403 403",
             body=with_photo(new_case), form=True),
    # ---- one case
    Endpoint("GET",  "/cases/{received}",                               "200 200 200 200 404 200 404 404",
                                                           out_of_scope="200 200 404 404 404 404 404 404"),
    # a department sees the cases sent to it, wherever they lie
    Endpoint("GET",  "/cases/{dispatched}",                             "200 200 200 200 404 200 200 404",
                                                           out_of_scope="200 200 404 404 404 404 200 404"),
    Endpoint("GET",  "/cases/{dispatched}/history",                     "200 200 200 200 404 200 200 404",
                                                           out_of_scope="200 200 404 404 404 404 200 404"),
    Endpoint("GET",  "/cases/{received}/attachments/{attachment}",      "200 200 200 200 404 200 404 404",
                                                           out_of_scope="200 200 404 404 404 404 404 404"),
    # only admin and street_staff hold people.view_pii (or cases.view_reporter)
    Endpoint("POST", "/cases/{received}/reveal",                        "200 403 200 403 403 403 403 403",
                                                           out_of_scope="200 403 404 403 403 403 403 403",
             body=lambda p: {"purpose": "回访核实"}),
    # ---- actions: 立案 and 督办 are the dispatchers' (admin, district, street in their region)…
    Endpoint("POST", "/cases/{received}/actions/{register}",            "200 200 200 403 404 403 404 404",
                                                           out_of_scope="200 200 404 404 404 404 404 404",
             body=version_of("received")),
    Endpoint("POST", "/cases/{received}/actions/{register}/form",       "200 200 200 403 404 403 404 404",
                                                           out_of_scope="200 200 404 404 404 404 404 404",
             body=with_photo(version_of("received")), form=True),
    Endpoint("POST", "/cases/{dispatched}/actions/{supervise}",         "200 200 200 403 404 403 403 404",
                                                           out_of_scope="200 200 404 404 404 404 403 404",
             body=version_of("dispatched", note="请加快处理")),
    # …签收 the lead department's…
    Endpoint("POST", "/cases/{dispatched}/actions/{accept}",            "403 403 403 403 404 403 200 404",
                                                           out_of_scope="403 403 404 404 404 404 200 404",
             body=version_of("dispatched")),
    # …缓办 asked by the lead department, approved by the dispatchers, resumed by either
    Endpoint("POST", "/cases/{dispatched}/actions/{request_deferral}", "403 403 403 403 404 403 200 404",
                                                           out_of_scope="403 403 404 404 404 404 200 404",
             body=lambda p: {"version": p.dispatched.version, "note": "待资金到位", "resume_on": resume_on()},
             prepare=deferral_at(1)),
    Endpoint("POST", "/cases/{dispatched}/actions/{approve_deferral}", "200 200 200 403 404 403 403 404",
                                                           out_of_scope="200 200 404 404 404 404 403 404",
             body=version_of("dispatched"), prepare=deferral_at(2)),
    Endpoint("POST", "/cases/{dispatched}/actions/{resume}",           "200 200 200 403 404 403 200 404",
                                                           out_of_scope="200 200 404 404 404 404 200 404",
             body=version_of("dispatched", note="资金已到位"), prepare=deferral_at(3)),
    # …核查 the grid's and community's, on site (0401 requires the on-site check)
    Endpoint("POST", "/cases/{fed_back}/actions/{verify}",              "403 403 403 200 404 200 403 404",
                                                           out_of_scope="403 403 404 404 404 404 403 404",
             body=version_of("fed_back")),
    # …回访 the dispatchers' again; the lead department sees the case and may not answer for the resident
    Endpoint("POST", "/cases/{closed}/actions/{visit}",                 "200 200 200 403 404 403 403 404",
                                                           out_of_scope="200 200 404 404 404 404 403 404",
             body=version_of("closed", solved=True, rating="satisfied")),
    Endpoint("POST", "/cases/{closed}/actions/{visit_try}",             "200 200 200 403 404 403 403 404",
                                                           out_of_scope="200 200 404 404 404 404 403 404",
             body=version_of("closed")),
]
# fmt: on

CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(w):
    got, table = answers(w.users, CASES, {"in": place(w.grid_a1), "out": place(w.grid_b1)})
    assert got == table


def test_without_credentials_every_endpoint_answers_401(w):
    p = place(w.grid_a1)
    assert {str(e): anonymous_status(e, p) for e in ENDPOINTS} == {str(e): 401 for e in ENDPOINTS}


def test_without_credentials_the_answer_says_to_log_in(w):
    response = ApiClient().get("/cases")
    assert response.status_code == 401 and response.json() == {"detail": "请先登录", "errors": []}


def test_the_table_covers_every_case_endpoint():
    missing, extra = uncovered(ENDPOINTS, "/cases")
    assert missing == set(), "endpoints missing from the authorization matrix"
    assert extra == set(), "rows for endpoints that do not exist"


# ---------------------------------------------------------------- list endpoints return only in-scope rows

# Rows as grid + state: a1r = the received case of grid 甲一1, a1d its dispatched one, a1f the fed back one.
ROWS = {
    "/cases": {
        "admin": "a1c a1d a1f a1r a2r b1c b1d b1f b1r",
        "district_staff": "a1c a1d a1f a1r a2r b1c b1d b1f b1r",
        "street_staff": "a1c a1d a1f a1r a2r",
        "community_worker": "a1c a1d a1f a1r",
        "community_worker2": "a2r",
        "grid_worker": "a1c a1d a1f a1r",
        "dept_handler": "a1c a1d a1f b1c b1d b1f",
        "company_staff": "",
    },
    # the dispatcher's desk: received, registered and returned cases (the other personas get 403, above)
    "/cases/queue": {
        "admin": "a1r a2r b1r",
        "district_staff": "a1r a2r b1r",
        "street_staff": "a1r a2r",
    },
    # departments: what they must sign for or handle; region personas: what waits for the on-site check
    "/cases/todo": {
        "admin": "a1f b1f",
        "district_staff": "a1f b1f",
        "street_staff": "a1f",
        "community_worker": "a1f",
        "community_worker2": "",
        "grid_worker": "a1f",
        "dept_handler": "a1d b1d",
        "company_staff": "",
    },
    "/cases/overdue": {
        "admin": "a1d b1d",
        "district_staff": "a1d b1d",
        "street_staff": "a1d",
    },
}


def test_lists_hold_only_rows_in_scope(w):
    grids = {w.grid_a1.pk: "a1", w.grid_a2.pk: "a2", w.grid_b1.pk: "b1"}
    place(w.grid_a1), place(w.grid_b1), case_in(w.grid_a2)
    got = {}
    for url in ROWS:
        for role in ROWS[url]:
            body = ApiClient(w.users[role]).get(url, {"page_size": 100}).json()
            assert body["count"] == len(body["items"])
            got[url, role] = " ".join(sorted(grids[row["region"]["id"]] + row["state"][0] for row in body["items"]))
    assert got == {(url, role): rows for url, expected in ROWS.items() for role, rows in expected.items()}


# ---------------------------------------------------------------- a page and its endpoint ask the same question

# The page, the endpoint that reads the same list, and the refusal both give.
PAGE_AND_API = [
    ("/cases/", "/cases/queue", "只有街道、区级调度人员可以使用调度台"),
    ("/cases/supervision/", "/cases/overdue", "只有系统管理员、区级和街道工作人员可以督办案件。"),
    ("/cases/visits/", "/cases/visits", "只有系统管理员、区级和街道工作人员可以回访。"),
]


@pytest.mark.parametrize("page, url, refusal", PAGE_AND_API, ids=[url for _, url, _ in PAGE_AND_API])
def test_the_page_and_the_api_agree_for_every_persona(client, w, page, url, refusal):
    for role in ROLES:
        client.force_login(w.users[role])
        shown, answered = client.get(page), ApiClient(w.users[role]).get(url)
        assert shown.status_code == answered.status_code, role
        if answered.status_code == 403:
            assert answered.json()["detail"] == refusal and refusal in shown.content.decode(), role
