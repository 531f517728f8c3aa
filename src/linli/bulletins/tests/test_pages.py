"""The 考核通报 pages call the API's services and checks: issuing, reading, downloading, a region's scheme."""

from datetime import date

import pytest
from django.utils import timezone

from linli.bulletins import rules
from linli.bulletins.models import Bulletin, ScoringScheme
from linli.testing import factories


def login(client, w, persona):
    client.force_login(w.users[persona])
    return client


def test_a_street_issues_last_months_bulletin_and_reads_it(client, w):
    login(client, w, "street_staff")
    month = rules.last_month(timezone.localdate())
    page = client.get("/bulletins/")
    assert page.status_code == 200 and "发布月度通报" in page.content.decode()
    response = client.post("/bulletins/", {"region": w.street_a.pk, "month": month.isoformat(), "group": "community"})
    b = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulletins/{b.pk}/"
    assert (b.region, b.month, b.issuer) == (w.street_a, month, "甲街道")
    detail = client.get(f"/bulletins/{b.pk}/").content.decode()
    assert f"关于{month.year}年{month.month}月甲街道社区案件办理考核情况的通报" in detail
    assert client.get(f"/bulletins/{b.pk}/bulletin.docx")["Content-Type"].endswith("wordprocessingml.document")
    assert client.get(f"/bulletins/{b.pk}/bulletin.xlsx")["Content-Type"].endswith("spreadsheetml.sheet")
    # the communities of the street read it; the other street's office does not see it
    assert login(client, w, "community_worker").get(f"/bulletins/{b.pk}/").status_code == 200
    other = factories.user("street_b", factories.Role.STREET_STAFF, w.street_b)
    client.force_login(other)
    assert client.get(f"/bulletins/{b.pk}/").status_code == 404


def test_a_region_outside_the_scope_is_refused_on_the_form(client, w):
    login(client, w, "street_staff")
    month = rules.last_month(timezone.localdate()).isoformat()
    response = client.post("/bulletins/", {"region": w.street_b.pk, "month": month, "group": "community"})
    assert response.status_code == 400 and not Bulletin.objects.exists()


@pytest.mark.parametrize("persona, status", [("grid_worker", 403), ("dept_handler", 403)])
def test_those_who_read_no_indicators_get_403(client, w, persona, status):
    login(client, w, persona)
    assert client.get("/bulletins/").status_code == status
    assert client.get(f"/bulletins/schemes/{w.street_a.pk}/").status_code == 403


def test_the_scheme_page_saves_a_regions_own_scheme(client, w):
    login(client, w, "street_staff")
    page = client.get(f"/bulletins/schemes/{w.street_a.pk}/")
    assert page.status_code == 200 and "响应率权重" in page.content.decode()
    data = {"w_satisfaction_rate": "60", "w_solve_rate": "40", "d_late_close": "2", "c_late_close": "8", "floor": "50",
            "version": ""}  # fmt: skip
    assert client.post(f"/bulletins/schemes/{w.street_a.pk}/", data).status_code == 302
    row = ScoringScheme.objects.get(region=w.street_a)
    assert (row.weights, row.deductions, row.caps, row.floor) == (
        {"solve_rate": "40", "satisfaction_rate": "60"},
        {"late_close": "2"},
        {"late_close": "8"},
        50,
    )
    # all weights empty: refused, naming what is wrong, nothing changed
    response = client.post(f"/bulletins/schemes/{w.street_a.pk}/", {"floor": "0", "version": row.version})
    assert response.status_code == 400 and "至少一项指标的权重应大于 0" in response.content.decode()
    assert ScoringScheme.objects.get(region=w.street_a).version == 1


def test_a_month_not_yet_over_is_not_offered(client, w):
    login(client, w, "street_staff")
    today = timezone.localdate()
    response = client.post(
        "/bulletins/", {"region": w.street_a.pk, "month": today.replace(day=1).isoformat(), "group": "community"}
    )
    assert response.status_code == 400 and not Bulletin.objects.exists()
    assert f'value="{date(today.year, today.month, 1).isoformat()}"' not in response.content.decode()
