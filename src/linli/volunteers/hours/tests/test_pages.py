"""Stars, leaderboards, certificates (print, .docx, revoke), the export, the portal's certificate and the public
check of a code."""

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from linli.audit.models import AuditEntry
from linli.volunteers.hours import rules, services
from linli.volunteers.models import Certificate, StarScheme
from linli.volunteers.registry.tests.place import credit

pytestmark = pytest.mark.django_db


def test_the_district_sets_its_stars_on_the_page(place, client):
    w = place.world
    client.force_login(w.users["district_staff"])
    page = client.get("/volunteers/hours/stars/").content.decode()
    assert "沈河区" in page and "默认标准" in page
    data = {"district": w.district.pk, "version": 0, "star1": 100, "star2": 200, "star3": 500, "star4": 800,
            "star5": 1000}  # fmt: skip
    assert client.post("/volunteers/hours/stars/", data).status_code == 302
    assert StarScheme.objects.get().thresholds == [100, 200, 500, 800, 1000]
    bad = client.post("/volunteers/hours/stars/", {**data, "version": 1, "star3": 150})
    assert bad.status_code == 400 and "须多于2星" in bad.content.decode()
    client.force_login(w.users["street_staff"])
    page = client.get("/volunteers/hours/stars/").content.decode()
    assert "★★★" in page and "500 小时" in page and 'name="star1"' not in page
    assert client.post("/volunteers/hours/stars/", data).status_code == 403


def test_the_leaderboard_page(place, client):
    credit(place.va, "6")
    credit(place.vb, "9")
    client.force_login(place.world.users["admin"])
    page = client.get("/volunteers/hours/leaderboard/?period=year").content.decode()
    assert page.index("李远方") < page.index("张志愿")
    one = client.get(f"/volunteers/hours/leaderboard/?period=all&region={place.world.community_a1.pk}").content
    assert "张志愿" in one.decode() and "李远方" not in one.decode()


def test_a_certificate_is_issued_printed_downloaded_revoked_and_checked(place, client):
    credit(place.va, "20")
    client.force_login(place.worker)
    response = client.post(f"/volunteers/hours/volunteers/{place.va.pk}/certificates/")
    cert = Certificate.objects.get()
    assert response["Location"] == f"/volunteers/hours/certificates/{cert.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        "志愿服务时长证明" in page and "张志愿" in page and "20.0 小时" in page and rules.shown_code(cert.code) in page
    )
    doc = client.get(f"/volunteers/hours/certificates/{cert.pk}/docx/")
    text = "\n".join(p.text for p in Document(BytesIO(doc.content)).paragraphs)
    assert cert.serial in text and "张志愿" in text and rules.shown_code(cert.code) in text
    public = client.get(f"/verify/volunteer/{rules.shown_code(cert.code)}/").content.decode()
    assert "证明有效" in public and "张*愿" in public and "张志愿" not in public
    client.post(f"/volunteers/hours/certificates/{cert.pk}/revoke/", {"reason": "时长录入有误"})
    public = client.get(f"/verify/volunteer/{cert.code}/").content.decode()
    assert "证明已作废" in public
    unknown = client.get("/verify/volunteer/ABCD-EFGH-JKMN/")
    assert unknown.status_code == 404 and "查无此证明" in unknown.content.decode()
    typed = client.get("/verify/volunteer/", {"code": rules.shown_code(cert.code).lower()})
    assert typed["Location"] == f"/verify/volunteer/{cert.code}/"


def test_an_office_without_the_file_does_not_issue(place, client):
    credit(place.vb, "5")
    client.force_login(place.worker)
    assert client.post(f"/volunteers/hours/volunteers/{place.vb.pk}/certificates/").status_code == 404
    client.force_login(place.world.users["grid_worker"])
    assert client.post(f"/volunteers/hours/volunteers/{place.va.pk}/certificates/").status_code == 403


def test_the_export_has_one_row_per_volunteer_and_activity_with_masked_ids(place, client):
    credit(place.va, "3", title="敬老院探访")
    credit(place.vb, "4")
    client.force_login(place.world.users["street_staff"])
    response = client.get("/volunteers/hours/export.xlsx")
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "志愿者编号" and len(rows) == 2  # 甲街道 sees 甲一社区's volunteer only
    assert rows[1][1] == "张志愿" and rows[1][4] == "敬老院探访" and rows[1][7] == 3
    assert "*" in rows[1][2] and place.persons["va"].id_number not in str(rows)
    assert AuditEntry.objects.get(action="export").count == 1


def test_the_volunteer_reads_their_certificate_in_the_portal(place, client):
    credit(place.va, "8")
    cert = services.certificate_issue(user=place.worker, volunteer_id=place.va.pk)
    credit(place.vb, "2")
    other = services.certificate_issue(user=place.world.users["admin"], volunteer_id=place.vb.pk)
    client.force_login(place.residents["vol"].user)
    card = client.get("/portal/volunteer/").content.decode()
    assert cert.serial in card and "8.0" in card
    page = client.get(f"/portal/volunteer/certificates/{cert.pk}/").content.decode()
    assert rules.shown_code(cert.code) in page
    assert client.get(f"/portal/volunteer/certificates/{other.pk}/").status_code == 404
