import pytest
from django.urls import reverse

from linli.archives import services
from linli.assessment import services as assessment

from .conftest import make_box, make_item, pdf


@pytest.fixture
def filed(world, media):
    cw = world.users["community_worker"]
    box = make_box(cw)
    item = make_item(cw, box, file=pdf())
    return box, item


def test_the_box_page_shows_the_checklist_in_constant_queries(world, filed, client, django_assert_max_num_queries):
    box, _ = filed
    client.force_login(world.users["street_staff"])
    url = reverse("archives:box", args=[box.pk])
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "尚缺：上级文件、本级文件、活动记录、汇报、总结、报表、图片" in page and "方案.pdf" in page
    for n in range(5):
        make_item(world.users["community_worker"], box, "图片", title=f"照片{n}", file=pdf(f"照片{n}.pdf"))
    with django_assert_max_num_queries(16):
        assert "照片4" in client.get(url).content.decode()


def test_keepers_file_an_item_through_the_page_and_bad_files_come_back(world, filed, client):
    box, item = filed
    client.force_login(world.users["community_worker"])
    url = reverse("archives:item_create", args=[box.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"category": item.category_id, "title": "通知", "date": "2025-06-01",
                            "region": box.region_id, "file": pdf("x.pdf").__class__("x.pdf", b"<html>")})  # fmt: skip
    assert bad.status_code == 400 and "文件" in bad.content.decode()
    ok = client.post(url, {"category": item.category_id, "title": "通知", "date": "2025-06-01", "region": box.region_id,
                           "tags": "宣传 扫黄打非"})  # fmt: skip
    assert ok.status_code == 302
    client.force_login(world.users["street_staff"])
    assert client.get(url).status_code == 403  # reads the box, does not keep it
    assert client.get(reverse("archives:box_export", args=[box.pk])).status_code == 200


def test_the_reviewer_opens_an_attached_item_through_the_link_and_nobody_else(world, filed, client):
    box, item = filed
    star, _ = assessment.standard_schemes_install(region=world.district)
    rnd = assessment.round_create(user=world.users["district_staff"], scheme_id=star.pk, name="2025年度星级评定",
                                  period="2025年度", unit_ids=[world.community_a1.pk])  # fmt: skip
    unit = rnd.units.get()
    part = star.items.order_by("order").first().pk
    client.force_login(world.users["community_worker"])
    sheet = reverse("assessment:sheet", args=[unit.pk, unit.stage])
    assert "电子台账佐证" in client.get(sheet).content.decode()
    answer = client.post(
        reverse("archives:evidence_attach"),
        {"source": "assessment.unit", "source_id": unit.pk, "part_id": part, "item_id": item.pk, "next": sheet},
    )
    assert answer.status_code == 302 and answer["Location"] == sheet
    link = services.selectors.links_of("assessment.unit", unit.pk).get()
    client.force_login(world.users["district_staff"])
    assert item.title in client.get(sheet).content.decode()
    assert client.get(reverse("archives:evidence_file", args=[link.pk])).status_code == 200
    client.force_login(world.users["community_worker2"])
    assert client.get(reverse("archives:evidence_item", args=[link.pk])).status_code == 404
