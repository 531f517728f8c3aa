"""The 物业监管 pages: who opens them, the forms call the services, the public ranking shows no more than it should."""

import pytest
from django.test import Client
from django.urls import reverse

from linli.property.models import CreditRecord, Project

from .support import complaint

pytestmark = pytest.mark.django_db


def client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize(
    "persona, status",
    [("district_staff", 200), ("street_staff", 200), ("community_worker", 200), ("grid_worker", 403),
     ("dept_handler", 403)],
)  # fmt: skip
def test_the_company_list(p, persona, status):
    response = client(p.world.users[persona]).get(reverse("property:companies"))
    assert response.status_code == status
    if status == 200:
        assert "安居物业" in response.content.decode()


def test_a_company_user_lands_on_its_own_file_and_no_other(p):
    c = client(p.world.users["company_staff"])
    response = c.get(reverse("property:companies"))
    assert response.status_code == 302 and response["Location"] == reverse("property:company", args=[p.company.pk])
    page = c.get(response["Location"]).content.decode()
    assert "锦绣家园" in page and "记入档案" not in page and "登记项目" not in page
    assert c.get(reverse("property:company", args=[p.other.pk])).status_code == 404


def test_the_district_records_a_bad_record_from_a_case_on_the_page(p):
    case = complaint(p.world, p.a1, p.company)
    c = client(p.world.users["district_staff"])
    url = reverse("property:company", args=[p.company.pk])
    page = c.get(url).content.decode()
    assert case.number in page  # offered in the form's case choices
    response = c.post(reverse("property:record_create", args=[p.company.pk]),
                      {"year": 2026, "item": "B01", "evidence": "经核查属实", "case": case.pk})  # fmt: skip
    assert response.status_code == 302
    assert CreditRecord.objects.get().case == case
    refused = c.post(reverse("property:record_create", args=[p.company.pk]),
                     {"year": 2026, "item": "G01", "evidence": "表彰", "case": case.pk})  # fmt: skip
    assert refused.status_code == 400 and "只有不良记录可以关联投诉事件" in refused.content.decode()


def test_the_tender_rule_on_the_page(p):
    c = client(p.world.users["district_staff"])
    data = {"estate": f"{p.b1.pk}:{p.b1.version}", "contract_start": "2026-07-01", "fee": "1.00",
            "selection": "agreement", "approval": "批复", "area": "50000"}  # fmt: skip
    response = c.post(reverse("property:project_create", args=[p.company.pk]), data)
    assert response.status_code == 400 and "前期物业须公开招标" in response.content.decode()
    response = c.post(reverse("property:project_create", args=[p.company.pk]), data | {"selection": "public"})
    assert response.status_code == 302 and Project.objects.filter(estate=p.b1).exists()


def test_the_estates_page_and_a_status_change(p):
    c = client(p.world.users["district_staff"])
    page = c.get(reverse("property:estates")).content.decode()
    assert "50.0%" in page and "乙一花园" in page
    response = c.post(reverse("property:estate_management"),
                      {"estate": p.b1.pk, "version": p.b1.version, "management": "self"})  # fmt: skip
    assert response.status_code == 302
    p.b1.refresh_from_db()
    assert p.b1.management == "self"
    assert client(p.world.users["street_staff"]).post(reverse("property:estate_management"),
        {"estate": p.b1.pk, "version": p.b1.version, "management": "none"}).status_code == 403  # fmt: skip


def test_the_public_ranking_needs_no_login_and_shows_name_score_grade(p):
    from linli.property import services

    services.credit_record(user=p.world.users["district_staff"], company_id=p.company.pk, year=2026, item="B06",
                           evidence="挪用维修资金，内部编号X-17")  # fmt: skip
    page = client().get(reverse("property_public:ranking") + "?year=2026").content.decode()
    assert "安居物业" in page and "65.0" in page and "B" in page
    assert "X-17" not in page and "ranking-data" in page
