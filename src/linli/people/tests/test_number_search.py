"""Looking a person up by full ID or phone number keeps the number out of every URL (issue 11, finding 6).

A URL reaches the web server's and the proxies' access logs, the browser's history and the Referer header of the
next page. The `access_log` fixture keeps what an access log keeps of each request the test client makes (the
request line and the Referer), and the tests search by ID number and by phone, on the pages and in the API, then
read that log for the number, in any spelling (lower case, separators dropped, URL-encoded).
"""

import re
from urllib.parse import unquote_plus, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core.signals import request_started
from django.test import Client

from linli.core import searches
from linli.people.models import Estate, Household
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors

LANDLINE = "024-88886666"  # a family's shared line: one number, several people
MOBILE = "13912345678"


@pytest.fixture
def reg(world):
    """In 甲一1号网格: 王建国 (mobile) and 25 people of one landline; in 乙一社区, out of community_worker's scope."""
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    household = Household.objects.create(number="H0001", house=factories.house(world.grid_a1, estate))
    head = factories.person(world.grid_a1, household, name="王建国", phone=MOBILE)
    shared = [factories.person(world.grid_a1, name=f"住户{i:02d}", phone=LANDLINE) for i in range(25)]
    far = factories.person(world.grid_b1, name="赵外人", phone="13700000000")
    return {"head": head, "shared": shared, "far": far}


@pytest.fixture
def access_log():
    """Each request's line and Referer as a web server would log them (gunicorn's %(r)s and %(f)s)."""
    lines = []

    def record(sender, environ, **kwargs):
        query = environ.get("QUERY_STRING", "")
        line = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}{'?' + query if query else ''}"
        lines.append(f'{line} "{environ.get("HTTP_REFERER", "-")}"')

    request_started.connect(record)
    yield lines
    request_started.disconnect(record)


def mentions(lines: list[str], number: str) -> list[str]:
    """The lines that hold the number, however it is spelt or encoded."""
    bare = re.sub(r"[^0-9A-Z]", "", number.upper())
    return [line for line in lines if bare in re.sub(r"[^0-9A-Z]", "", unquote_plus(line).upper())]


@pytest.mark.parametrize(
    "line",
    [
        "GET /persons/?id_number=21010319800501001X",
        "GET /persons/?id_number=21010319800501001x",
        "GET /persons/?phone=024-88886666",
        "GET /persons/?phone=024%2D8888%206666",
        'GET /persons/ "http://testserver/persons/?q=024+8888+6666"',
    ],
)
def test_the_log_is_read_for_the_number_in_any_spelling(line):
    assert mentions([line], "21010319800501001X" if "id_number" in line else LANDLINE) == [line]


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def search(client, **fields):
    """Submit the person list's form as the browser does; returns (the redirect, the results page)."""
    posted = client.post("/persons/", fields)
    assert posted.status_code == 302
    return posted, client.get(posted["Location"])


@pytest.fixture
def worker(client, world):
    client.force_login(world.users["community_worker"])
    return client


# ---------------------------------------------------------------- pages


def test_a_search_by_id_number_keeps_the_number_out_of_every_url(worker, reg, access_log):
    number = reg["head"].id_number
    posted, results = search(worker, id_number=number.lower(), name="王")
    assert names(results) == ["王建国"]
    assert results.context["form"]["id_number"].value() == number.lower()  # shown again in the form, not the URL
    url = urlsplit(posted["Location"])
    assert (url.path, sorted(re.findall(r"(\w+)=", url.query))) == ("/persons/", ["name", "search"])
    # The next page the user opens names the results page as its Referer.
    referer = f"http://testserver{posted['Location']}"
    assert worker.get(f"/persons/{reg['head'].pk}/", HTTP_REFERER=referer).status_code == 200
    assert len(access_log) == 3
    assert mentions(access_log, number) == []


def test_a_search_by_phone_pages_and_reloads_without_the_number(worker, reg, access_log):
    posted, first = search(worker, phone=LANDLINE)
    assert first.context["page"].paginator.count == 25 and len(names(first)) == 20
    html = first.content.decode()
    assert 'name="phone"' in html and 'autocomplete="off"' in html
    second_url = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    referer = f"http://testserver{posted['Location']}"
    second = worker.get("/persons/" + second_url, HTTP_REFERER=referer)
    assert names(second) == [f"住户{i:02d}" for i in range(20, 25)]
    assert names(worker.get(posted["Location"])) == names(first)  # reload, or back from page 2
    assert mentions(access_log, LANDLINE) == [] and mentions(access_log, MOBILE) == []
    assert len(access_log) == 4


def test_the_session_keeps_the_number_encrypted(worker, reg):
    search(worker, id_number=reg["head"].id_number, phone=MOBILE)
    stored = Session.objects.get(session_key=worker.session.session_key)
    decoded = str(stored.get_decoded())
    assert reg["head"].id_number not in decoded and MOBILE not in decoded
    assert reg["head"].id_number not in stored.session_data and MOBILE not in stored.session_data


def test_the_other_filters_stay_in_the_url_and_a_search_without_numbers_has_no_search_id(worker, world, reg):
    posted, results = search(worker, grid=world.grid_a1.pk, age_min="abc")
    assert "search=" not in posted["Location"] and f"grid={world.grid_a1.pk}" in posted["Location"]
    assert "age_min" in results.context["form"].errors  # shown as a link with a bad value would show it
    assert len(names(results)) == 20


def test_the_page_reads_no_number_from_a_url(worker, reg):
    # An old bookmark or a hand-typed link: its number is not looked up, so no link with one ever works.
    response = worker.get("/persons/", {"id_number": reg["head"].id_number, "phone": MOBILE})
    assert response.context["page"].paginator.count == 26
    assert response.context["form"]["id_number"].value() in (None, "")


def test_a_search_id_works_only_in_its_session_and_for_half_an_hour(worker, world, reg):
    posted, _ = search(worker, phone=MOBILE)
    other = Client()
    other.force_login(world.users["community_worker"])
    foreign = other.get(posted["Location"])
    assert foreign.context["search_expired"] and names(foreign) == []
    assert "查询已过期" in foreign.content.decode()

    session = worker.session
    for entry in session[searches.SESSION_KEY].values():
        entry["at"] -= searches.LIFETIME
    session.save()
    expired = worker.get(posted["Location"])
    assert expired.context["search_expired"] and names(expired) == []


def test_a_session_keeps_only_its_latest_searches(worker, reg):
    first, _ = search(worker, phone=MOBILE)
    for _ in range(searches.KEPT):
        latest, _ = search(worker, phone=LANDLINE)
    assert len(worker.session[searches.SESSION_KEY]) == searches.KEPT
    assert worker.get(first["Location"]).context["search_expired"]
    assert worker.get(latest["Location"]).context["page"].paginator.count == 25


def test_a_search_stays_within_the_users_scope(worker, reg):
    _, results = search(worker, phone=reg["far"].phone)
    assert names(results) == [] and not results.context["search_expired"]


def test_an_overlong_number_is_not_stored(worker, reg):
    posted, _ = search(worker, id_number="1" * 31, name="王")
    assert "search=" not in posted["Location"]


# ---------------------------------------------------------------- API


def test_the_api_searches_by_number_in_the_body_only(world, reg, access_log):
    api = ApiClient(world.users["community_worker"])
    by_id = api.post("/persons/search", {"id_number": reg["head"].id_number})
    assert [p["name"] for p in by_id.json()["items"]] == ["王建国"]
    by_phone = api.post("/persons/search?page=2", {"phone": LANDLINE})
    assert by_phone.json()["count"] == 25 and len(by_phone.json()["items"]) == 5
    assert mentions(access_log, reg["head"].id_number) == [] and mentions(access_log, LANDLINE) == []
    assert len(access_log) == 2


def test_the_list_tells_a_caller_with_a_number_in_the_url_where_to_send_it(world, reg):
    api = ApiClient(world.users["community_worker"])
    response = api.get("/persons", {"id_number": reg["head"].id_number, "phone": MOBILE, "name": "王"})
    assert response.status_code == 400
    assert field_errors(response) == {
        "id_number": "证件号码不能放在网址中，请改用 POST /api/v1/persons/search 在请求体中查询",
        "phone": "电话号码不能放在网址中，请改用 POST /api/v1/persons/search 在请求体中查询",
    }
    assert api.get("/persons", {"phone": ""}).status_code == 400  # named at all, even blank
