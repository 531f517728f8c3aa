"""The pages of 实名认证, 我的家庭 and 更正申请 in the portal, and the offices' review queue."""

import pytest

from linli.residents import rules
from linli.residents.binding import services
from linli.residents.binding.forms import CorrectionForm
from linli.residents.models import BindingRequest, CorrectionRequest
from linli.testing import factories
from linli.testing.apiclient import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(world):
    return registry(world)


def test_the_correction_form_offers_exactly_the_correctable_fields():
    assert [f for f in CorrectionForm.base_fields if f != "reason"] == list(rules.CORRECTABLE)


def test_a_resident_binds_sees_the_household_and_asks_a_correction(client, places):
    person = places["a1"].person
    resident = factories.resident(person.phone)
    client.force_login(resident.user)
    home = client.get("/portal/").content.decode()
    assert "实名认证" in home and "我的家庭" not in home
    assert client.get("/portal/household/").url == "/portal/binding/"  # first 实名认证
    wrong = client.post("/portal/binding/", {"name": "李四", "id_number": person.id_number})
    assert wrong.status_code == 400 and "未找到与您填写的姓名和证件号码一致的登记信息" in wrong.content.decode()
    ok = client.post("/portal/binding/", {"name": person.name, "id_number": person.id_number})
    assert ok.status_code == 302 and ok.url == "/portal/"
    home = client.get("/portal/").content.decode()
    assert "我的家庭" in home and "更正申请" in home
    page = client.get("/portal/household/").content.decode()
    assert person.id_number in page and "A1-0001" in page
    form = client.get("/portal/corrections/new/").content.decode()
    assert 'value="13812345678"' in form  # starts from what is on file
    values = {f: getattr(person, f) or "" for f in rules.CORRECTABLE}
    made = client.post("/portal/corrections/new/", {**values, "employer": "市二医院", "reason": "换了工作"})
    assert made.status_code == 302
    correction = CorrectionRequest.objects.get()
    assert made.url == f"/portal/corrections/{correction.pk}/"
    assert "待社区审核" in client.get(made.url).content.decode()
    unchanged = client.post("/portal/corrections/new/", {**values, "reason": "登记有误"})
    assert unchanged.status_code == 400 and "请至少修改一项" in unchanged.content.decode()


def test_a_queued_binding_is_approved_on_the_review_page(client, world, places):
    person = places["a1"].person
    resident = factories.resident("13700000002")
    client.force_login(resident.user)
    client.post("/portal/binding/", {"name": person.name, "id_number": person.id_number})
    assert "待社区核实" in client.get("/portal/binding/").content.decode()
    request = BindingRequest.objects.get()
    client.force_login(world.users["community_worker"])
    queue = client.get("/residents/reviews/").content.decode()
    assert person.name in queue and "137****0002" in queue and "居民认证审核" in queue
    detail = f"/residents/reviews/bindings/{request.pk}/"
    refused = client.post(detail, {"decision": "refuse", "note": ""})
    assert refused.status_code == 400 and "请填写不通过的原因" in refused.content.decode()
    assert client.post(detail, {"decision": "approve", "note": ""}).status_code == 302
    request.refresh_from_db()
    assert request.status == rules.Status.APPROVED
    assert resident.__class__.objects.get(pk=resident.pk).person_id == person.pk


def test_the_review_pages_follow_role_and_scope(client, world, places):
    person = places["a1"].person
    claimant = factories.resident("13700000002")
    request = services.bind(user=claimant.user, name=person.name, id_number=person.id_number)
    detail = f"/residents/reviews/bindings/{request.pk}/"
    expected = {
        "admin": (200, 200, False), "street_staff": (200, 200, False), "community_worker": (200, 200, True),
        "community_worker2": (200, 404, False), "grid_worker": (403, 403, False), "dept_handler": (403, 403, False),
    }  # fmt: skip
    got = {}
    for role in expected:
        client.force_login(world.users[role])
        queue, page = client.get("/residents/reviews/"), client.get(detail)
        got[role] = (queue.status_code, page.status_code, 'value="approve"' in page.content.decode())
    assert got == expected
    client.force_login(world.users["street_staff"])
    assert client.post(detail, {"decision": "approve"}).status_code == 403
    assert BindingRequest.objects.get(pk=request.pk).status == rules.Status.PENDING


def test_the_menu_offers_the_queue_to_those_who_may_see_it(client, world):
    for role, shown in (("community_worker", True), ("street_staff", True), ("grid_worker", False)):
        client.force_login(world.users[role])
        page = client.get("/persons/").content.decode()
        assert ("/residents/reviews/" in page) is shown, role


@pytest.mark.parametrize("url", ["/portal/binding/", "/portal/household/", "/portal/corrections/new/"])
def test_staff_get_403_from_the_portals_pages(client, world, url):
    client.force_login(world.users["community_worker"])
    assert client.get(url).status_code == 403
