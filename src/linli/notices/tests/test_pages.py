"""The staff pages (/notices/) and the portal's (/portal/notices/): they call the API's services and checks."""

import pytest

from linli.notices import services
from linli.notices.models import Notice

pytestmark = pytest.mark.django_db


def _form(town, **extra) -> dict:
    target = f"estate:{town.places['a1'].estate.pk}"
    return {"title": "电梯检修", "body": "各位居民：\n本周六电梯检修。", "target": target, "notify": "on", **extra}


def test_a_community_worker_drafts_then_publishes_and_withdraws_a_notice(town, client):
    client.force_login(town.world.users["community_worker"])
    form = client.get("/notices/new/")
    assert form.status_code == 200
    offered = form.content.decode()
    assert "甲一小区" in offered and "甲二小区" not in offered and "甲一1号网格" in offered
    response = client.post("/notices/new/", _form(town, draft="1"))
    notice = Notice.objects.get()
    assert response.status_code == 302 and response.url == f"/notices/{notice.pk}/"
    assert notice.status == "draft" and notice.estate_id == town.places["a1"].estate.pk
    response = client.post(f"/notices/{notice.pk}/edit/", _form(town, title="电梯检修（更正）", publish="1",
                                                                version=notice.version))  # fmt: skip
    notice.refresh_from_db()
    assert response.status_code == 302 and (notice.status, notice.title) == ("published", "电梯检修（更正）")
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "0</b> 人已读，范围内现有已实名居民 2 人（0%）" in page and "撤回" in page
    client.post(f"/notices/{notice.pk}/withdraw/", {"version": notice.version})
    notice.refresh_from_db()
    assert notice.status == "withdrawn"


def test_the_form_shows_what_is_wrong_beside_the_fields(town, client):
    client.force_login(town.world.users["community_worker"])
    response = client.post("/notices/new/", _form(town, title="", target=f"grid:{town.world.grid_a2.pk}"))
    assert response.status_code == 400 and not Notice.objects.exists()
    assert set(response.context["form"].errors) == {"title", "target"}


def test_a_stale_page_is_told_the_notice_changed(town, client):
    worker = town.world.users["community_worker"]
    notice = services.notice_create(user=worker, title="通知", body="正文", audience="community",
                                    target=town.world.community_a1.pk, publish=True)  # fmt: skip
    client.force_login(worker)
    page = client.post(f"/notices/{notice.pk}/withdraw/", {"version": notice.version - 1}, follow=True)
    assert "数据已被他人修改" in page.content.decode()
    notice.refresh_from_db()
    assert notice.status == "published"


@pytest.mark.parametrize("user", ["grid_worker", "dept_handler", "company_staff"])
def test_those_who_do_not_publish_get_403_and_no_menu_entry(town, client, user):
    client.force_login(town.world.users[user])
    assert client.get("/notices/").status_code == 403
    assert client.get("/notices/new/").status_code == 403


def test_the_menu_offers_notices_to_publishers(town, client):
    client.force_login(town.world.users["community_worker"])
    assert 'href="/notices/"' in client.get("/notices/").content.decode()


def test_a_resident_reads_the_notices_of_where_they_live(town, client):
    worker = town.world.users["community_worker"]
    notice = services.notice_create(user=worker, title="停水通知", body="各位居民：\n明日停水。",
                                    audience="grid", target=town.world.grid_a1.pk, publish=True)  # fmt: skip
    client.force_login(town.residents["a1"].user)
    home = client.get("/portal/").content.decode()
    assert 'href="/portal/notices/"' in home
    listed = client.get("/portal/notices/").content.decode()
    assert "停水通知" in listed and 'class="unread"' in listed
    detail = client.get(f"/portal/notices/{notice.pk}/").content.decode()
    assert "<p>明日停水。</p>" in detail and "甲一社区" in detail
    assert 'class="unread"' not in client.get("/portal/notices/").content.decode()
    client.force_login(town.residents["a1b"].user)  # the other grid of the community
    assert client.get(f"/portal/notices/{notice.pk}/").status_code == 404
    assert "停水通知" not in client.get("/portal/notices/").content.decode()


def test_an_unbound_resident_is_asked_to_bind_first(town, client):
    client.force_login(town.residents["unbound"].user)
    assert 'href="/portal/notices/"' not in client.get("/portal/").content.decode()
    assert "实名认证后可查看" in client.get("/portal/notices/").content.decode()


def test_staff_get_403_from_the_portal_pages(town, client):
    client.force_login(town.world.users["community_worker"])
    assert client.get("/portal/notices/").status_code == 403
