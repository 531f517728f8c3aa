"""The statistics page and /api/v1/stats/population: the same figures, for the caller's scope."""

from datetime import date

import pytest

from linli.people.models import PersonTag, Tag
from linli.testing import factories


@pytest.fixture
def people(world):
    factories.person(world.grid_a1, birth=date(1950, 3, 3), female=True)
    veteran = factories.person(world.grid_a2, birth=date(1960, 3, 3))
    factories.person(world.grid_b1, birth=date(1970, 3, 3))
    PersonTag.objects.create(person=veteran, tag=Tag.objects.get(code="veteran"))
    return world


def test_anonymous_users_are_sent_to_the_login_page(client, people):
    assert client.get("/stats/")["Location"].startswith("/login/?next=")
    assert client.get("/api/v1/stats/population").status_code == 401


def test_the_page_embeds_the_figures_for_the_charts(client, people):
    client.force_login(people.users["street_staff"])
    response = client.get("/stats/")
    assert response.status_code == 200
    data = response.context["data"]
    assert data["headline"]["persons"] == 2 and data["region"] is None
    html = response.content.decode()
    assert 'id="stats-data"' in html and "echarts.min.js" in html and 'id="chart-pyramid"' in html
    assert 'id="chart-tags"' in html
    options = [label.strip() for _, label in response.context["options"]]
    assert "甲一社区" in options and "乙一社区" not in options


def test_the_region_filter_narrows_and_an_out_of_scope_region_is_404(client, people):
    client.force_login(people.users["street_staff"])
    response = client.get("/stats/", {"region": people.community_a2.pk})
    assert response.context["data"]["headline"]["persons"] == 1
    assert f'<option value="{people.community_a2.pk}" selected>' in response.content.decode()
    assert client.get("/stats/", {"region": people.community_b1.pk}).status_code == 404
    assert client.get("/stats/", {"region": "abc"}).status_code == 200


def test_the_api_answers_the_same_data(client, people):
    client.force_login(people.users["street_staff"])
    page = client.get("/stats/").context["data"]
    response = client.get("/api/v1/stats/population")
    assert response.status_code == 200
    body = response.json()
    assert body["headline"] == page["headline"] and body["pyramid"] == page["pyramid"]
    assert body["tagged_by_grid"]["series"] == [
        {"code": "veteran", "name": "退役军人", "sensitive": False, "counts": [0, 0, 1]}
    ]
    narrowed = client.get("/api/v1/stats/population", {"region": people.community_a1.pk}).json()
    assert narrowed["region"]["name"] == "甲一社区" and narrowed["headline"]["persons"] == 1
    out = client.get("/api/v1/stats/population", {"region": people.community_b1.pk})
    assert out.status_code == 404 and out.json()["detail"] == "未找到该记录或无权访问"
