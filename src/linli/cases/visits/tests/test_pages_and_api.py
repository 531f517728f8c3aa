"""The call list as a page and as an endpoint (the same selector and refusal), the 回访 form on the case page, and
the cost of the list: the same queries for N and 10×N cases waiting for their call."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.cases import rules
from linli.cases.models import Case
from linli.cases.tests.support import receive
from linli.testing.apiclient import ApiClient
from linli.testing.queries import page_queries

from .test_services import MON, closed


def waiting(w, n: int, grid=None) -> list[Case]:
    """`n` cases closed without going through the lifecycle (the list reads only the rows)."""
    cases = [receive(w, grid or w.grid_a1, now=MON + timedelta(minutes=i)) for i in range(n)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(state=rules.CLOSED, closed_at=MON + timedelta(days=2))
    return cases


def test_the_page_lists_the_calls_with_their_scripts_and_refuses_as_the_api_does(client, w):
    case = closed(w)
    client.force_login(w.users["street_staff"])
    page = client.get("/cases/visits/")
    text = page.content.decode()
    assert page.status_code == 200 and case.number in text and f"/cases/{case.pk}/#act-visit" in text
    assert "请问您反映的问题解决了吗？" in text
    client.force_login(w.users["community_worker"])
    refused = client.get("/cases/visits/")
    api = ApiClient(w.users["community_worker"]).get("/cases/visits")
    assert refused.status_code == api.status_code == 403
    assert "只有系统管理员、区级和街道工作人员可以回访。" in refused.content.decode()
    assert api.json()["detail"] == "只有系统管理员、区级和街道工作人员可以回访。"


def test_the_case_page_records_the_visit_with_its_script(client, w):
    case = closed(w)
    client.force_login(w.users["street_staff"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="act-visit"' in page and 'id="act-visit_try"' in page and "回访话术" in page
    response = client.post(f"/cases/{case.pk}/act/visit/", {"version": case.version, "rating": "satisfied"})
    assert response.status_code == 400 and "请选择反映的问题是否已解决" in response.content.decode()
    response = client.post(f"/cases/{case.pk}/act/visit/", {"version": case.version, "solved": "0",
                                                           "rating": "satisfied", "note": "路灯又坏了"})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.visit_result, case.rating) == (rules.UNSOLVED, rules.SATISFIED)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "问题未解决，评价：满意" in page and 'id="act-reopen"' in page and 'id="act-visit"' not in page


def test_the_api_answers_the_calls_and_takes_the_answers_as_case_actions(w):
    case = closed(w)
    api = ApiClient(w.users["street_staff"])
    [call] = api.get("/cases/visits").json()["items"]
    assert (call["id"], call["number"], call["version"], call["rated"], call["tries"]) == (
        case.pk, case.number, case.version, False, 0,
    )  # fmt: skip
    assert call["reporter_phone"] == "139****5678" and call["department"] == "区城市管理综合执法局"
    assert call["script"][2] == "请问您反映的问题解决了吗？（已解决／未解决）"
    body = api.post(f"/cases/{case.pk}/actions/visit_try", {"version": case.version}).json()
    assert api.get("/cases/visits").json()["items"][0]["tries"] == 1
    body = api.post(f"/cases/{case.pk}/actions/visit", {"version": body["version"], "solved": True,
                                                        "rating": "basic"}).json()  # fmt: skip
    assert body["timeline"][-1]["label"] == "回访" and api.get("/cases/visits").json()["items"] == []


@pytest.mark.parametrize("where", ["page", "api"])
def test_the_call_list_costs_the_same_queries_for_n_and_ten_times_n_cases(client, w, where):
    user = w.users["street_staff"]
    client.force_login(user)

    def run() -> int:
        if where == "page":
            return page_queries(client, "/cases/visits/")
        with CaptureQueriesContext(connection) as ctx:
            assert ApiClient(user).get("/cases/visits", {"page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    waiting(w, 2)
    few = run()
    waiting(w, 18)
    assert run() == few
