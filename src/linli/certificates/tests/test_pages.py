"""The staff pages (/certificates/), the portal's (/portal/certificates/) and the public check
(/verify/certificate/): they call the services; the public sees a masked name and no ID number; lists run a constant
number of queries."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from linli.certificates import rules, services
from linli.certificates.models import Application, Certificate
from linli.core.pii import mask_id_number

from .conftest import window

pytestmark = pytest.mark.django_db


def _scan(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 scan", content_type="application/pdf")


def _post(place, matter=None, **extra) -> dict:
    return {"matter": str(matter.pk) if matter else "other", "requester": "某某银行", "article": "某法第十条",
            "purpose": "开户", "reason": "银行要求", "promised": "on", "id_card": _scan("身份证.pdf"),
            "hukou": _scan("户口本.pdf"), **extra}  # fmt: skip


def test_the_window_takes_an_application_and_the_community_issues_and_prints_it(world, place, client):
    client.force_login(world.users["community_worker"])
    page = client.get("/certificates/window/").content.decode()
    assert "居住情况证明" in page and "《居住证暂行条例》第九条" in page
    response = client.post("/certificates/window/", {**_post(place, place.residence),
                                                     "id_number": place.person_a.id_number})  # fmt: skip
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/certificates/{app.pk}/"
    detail = client.get(f"/certificates/{app.pk}/").content.decode()
    assert "出具证明" in detail and "身份证.pdf" in detail
    evidence = app.evidence.get(kind="id_card")
    assert client.get(f"/certificates/{app.pk}/evidence/{evidence.pk}/").status_code == 200
    response = client.post(f"/certificates/{app.pk}/issue/", {"version": app.version, "statement": "经核实，属实"})
    cert = Certificate.objects.get()
    assert response["Location"] == f"/certificates/issued/{cert.pk}/"
    printed = client.get(f"/certificates/issued/{cert.pk}/").content.decode()
    assert cert.serial in printed and "盖章处" in printed and rules.shown_code(cert.code) in printed
    assert mask_id_number(place.person_a.id_number) in printed and place.person_a.id_number not in printed
    word = client.get(f"/certificates/issued/{cert.pk}/docx/")
    text = "\n".join(p.text for p in Document(BytesIO(word.content)).paragraphs)
    assert "盖章处" in text and cert.serial in text and "某法第十条" in text
    client.post(f"/certificates/issued/{cert.pk}/revoke/", {"reason": "信息有误"})
    cert.refresh_from_db()
    assert cert.revoked_at and cert.revoke_reason == "信息有误"


def test_missing_evidence_is_shown_beside_the_fields(world, place, client):
    client.force_login(world.users["community_worker"])
    data = {**_post(place, place.residence), "id_number": place.person_a.id_number}
    del data["hukou"], data["promised"]
    response = client.post("/certificates/window/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "请上传户口本" in page and "请阅读并勾选真实性承诺" in page


def test_offices_above_read_but_do_not_take_applications(world, place, client):
    window(world, place)
    client.force_login(world.users["street_staff"])
    assert "王小明" in client.get("/certificates/").content.decode()
    assert client.get("/certificates/window/").status_code == 403
    client.force_login(world.users["grid_worker"])
    assert client.get("/certificates/").status_code == 403


def test_the_district_keeps_the_list(world, place, client):
    client.force_login(world.users["district_staff"])
    page = client.get("/certificates/matters/").content.decode()
    assert len(re.findall(r'href="/certificates/matters/\d+/"', page)) == 15
    m = place.residence
    client.post(f"/certificates/matters/{m.pk}/", {"version": m.version, "name": m.name, "basis": "新依据第一条",
                                                   "wording": m.wording, "active": "on"})  # fmt: skip
    m.refresh_from_db()
    assert m.basis == "新依据第一条" and m.version == 2
    client.force_login(world.users["community_worker"])
    assert client.get(f"/certificates/matters/{m.pk}/").status_code == 403


def test_a_resident_applies_on_the_phone_and_sees_the_refusal_of_an_unlisted_matter(world, place, client):
    client.force_login(place.resident_a.user)
    assert "居住情况证明" in client.get("/portal/certificates/apply/").content.decode()
    response = client.post("/portal/certificates/apply/", _post(place, asked="无犯罪记录证明"))
    app = Application.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert app.state == rules.REFUSED and "公安机关" in page
    client.post("/portal/certificates/apply/", _post(place, place.residence))
    mine = client.get("/portal/certificates/").content.decode()
    assert "居住情况证明" in mine and "待审核" in mine
    other = services.portal_apply(resident=place.resident_b, matter_id=place.residence.pk, asked="",
                                  requester="x", article="y", purpose="z", reason="r", promised=True,
                                  id_card=[_scan("a.pdf")], hukou=[_scan("b.pdf")])  # fmt: skip
    assert client.get(f"/portal/certificates/{other.pk}/").status_code == 404


def test_the_public_check(world, place, client):
    app = window(world, place)
    cert = services.application_issue(user=world.users["community_worker"], application_id=app.pk,
                                      version=app.version)  # fmt: skip
    response = client.get("/verify/certificate/", {"code": cert.code.lower()})
    assert response["Location"] == f"/verify/certificate/{rules.shown_code(cert.code)}/"
    page = client.get(response["Location"]).content.decode()
    assert "证明有效" in page and "王*明" in page and "王小明" not in page
    assert place.person_a.id_number not in page and mask_id_number(place.person_a.id_number) not in page
    assert client.get("/verify/certificate/ZZZZ-ZZZZ-ZZZZ/").status_code == 404


def test_pages_run_a_constant_number_of_queries(world, place, client, django_assert_max_num_queries):
    client.force_login(world.users["community_worker"])
    for n in (1, 6):
        while Application.objects.count() < n:
            services.portal_apply(resident=place.resident_a, matter_id=None, asked="无犯罪记录证明")
        with django_assert_max_num_queries(12):
            assert client.get("/certificates/").status_code == 200
    client.force_login(place.resident_a.user)
    with django_assert_max_num_queries(12):
        assert client.get("/portal/certificates/").status_code == 200
