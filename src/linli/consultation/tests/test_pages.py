"""The staff pages (/consultation/) and the portal's (/portal/consultation/): they call the API's services and
checks; the list pages cost the same number of queries whatever their length."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.consultation import services
from linli.consultation.models import Ballot, Comment, Proposal

pytestmark = pytest.mark.django_db


def proposal(town, **kwargs):
    return services.proposal_create(user=town.world.users["community_worker"], title="晾晒区", body="想设晾晒区",
                                    audience="estate", target=town.places["a1"].estate.pk)  # fmt: skip


def test_a_resident_proposes_the_community_accepts_and_residents_discuss(town, client):
    client.force_login(town.residents["a1"].user)
    assert 'href="/portal/consultation/"' in client.get("/portal/").content.decode()
    form = client.get("/portal/consultation/new/").content.decode()
    assert "甲一小区" in form and "甲二" not in form
    target = f"building:{town.building.pk}"
    bad = client.post("/portal/consultation/new/", {"title": "", "body": "想加装电梯", "target": target})
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"title"}
    done = client.post("/portal/consultation/new/", {"title": "加装电梯", "body": "想加装电梯", "target": target})
    p = Proposal.objects.get()
    assert done.status_code == 302 and done.url == f"/portal/consultation/{p.pk}/"
    assert "等待社区受理" in client.get(done.url).content.decode()

    client.force_login(town.world.users["community_worker"])
    assert "加装电梯" in client.get("/consultation/").content.decode()
    refused = client.post(f"/consultation/{p.pk}/decide/", {"version": p.version, "decline": "1", "reason": ""})
    assert refused.status_code == 400 and "请填写不予受理的理由" in refused.content.decode()
    client.post(f"/consultation/{p.pk}/decide/", {"version": p.version, "accept": "1"})
    p.refresh_from_db()
    assert p.status == "accepted"

    client.force_login(town.residents["owner"].user)  # owns the flat in that building
    assert client.post(f"/portal/consultation/{p.pk}/comment/", {"body": "支持加装"}).status_code == 302
    client.force_login(town.residents["a1_next"].user)  # building 2: not of the place
    assert client.get(f"/portal/consultation/{p.pk}/").status_code == 404


def test_staff_hide_a_comment_set_up_close_and_publish_a_poll_residents_vote(town, client):
    p = proposal(town)
    rude = services.comment_post(resident=town.residents["a1"], proposal_id=p.pk, body="骂人的话")
    worker = town.world.users["community_worker"]
    client.force_login(worker)
    client.post(f"/consultation/comments/{rude.pk}/hide/", {"reason": "人身攻击", "proposal": p.pk})
    assert Comment.objects.get().hidden_reason == "人身攻击"
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    settings = {"version": p.version, "question": "是否设晾晒区", "options": "同意\n不同意", "closes_at": closes,
                "quorum_kind": "share", "quorum_value": "50", "pass_rule": "simple"}  # fmt: skip
    bad = client.post(f"/consultation/{p.pk}/poll/", {**settings, "options": "同意"})
    assert bad.status_code == 400 and "投票选项应为2至8个" in bad.content.decode()
    assert client.post(f"/consultation/{p.pk}/poll/", settings).status_code == 302
    poll = p.poll

    client.force_login(town.residents["a1"].user)
    page = client.get(f"/portal/consultation/{p.pk}/").content.decode()
    assert "骂人的话" not in page and 'name="option"' in page
    yes = poll.options.get(label="同意").pk
    client.post(f"/portal/consultation/{p.pk}/vote/", {"option": yes})
    again = client.post(f"/portal/consultation/{p.pk}/vote/", {"option": yes}, follow=True).content.decode()
    assert "您已经投过票了" in again and "您已投票：同意" in again and Ballot.objects.count() == 1
    client.force_login(town.residents["owner"].user)
    client.post(f"/portal/consultation/{p.pk}/vote/", {"option": yes})

    client.force_login(worker)
    client.post(f"/consultation/polls/{poll.pk}/close/", {"version": 1, "proposal": p.pk})
    client.post(f"/consultation/polls/{poll.pk}/publish/", {"version": 2, "proposal": p.pk})
    staff_page = client.get(f"/consultation/{p.pk}/").content.decode()
    assert "骂人的话" in staff_page and "已隐藏：人身攻击" in staff_page
    client.force_login(town.residents["a1_next"].user)
    result = client.get(f"/portal/consultation/{p.pk}/").content.decode()
    assert "参与 2 人 / 有投票资格 3 人，参与率 66.6%" in result and "“同意”获得通过" in result


@pytest.mark.parametrize("user", ["grid_worker", "dept_handler", "company_staff"])
def test_those_who_do_not_run_consultation_get_403(town, client, user):
    client.force_login(town.world.users[user])
    assert client.get("/consultation/").status_code == 403
    assert client.get("/consultation/new/").status_code == 403


def test_staff_get_403_from_the_portal_pages_and_residents_from_the_staff_pages(town, client):
    client.force_login(town.world.users["community_worker"])
    assert 'href="/consultation/"' in client.get("/consultation/").content.decode()
    assert client.get("/portal/consultation/").status_code == 403
    client.force_login(town.residents["a1"].user)
    assert client.get("/consultation/").status_code == 403


def test_an_unbound_resident_is_asked_to_bind_first(town, client):
    client.force_login(town.residents["unbound"].user)
    assert "实名认证后可参与" in client.get("/portal/consultation/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_lists_cost_the_same_queries_whatever_their_length(town, client):
    proposal(town)
    resident, worker = town.residents["a1"].user, town.world.users["community_worker"]
    client.force_login(worker)
    staff_one = _queries(client, "/consultation/")
    client.force_login(resident)
    portal_one = _queries(client, "/portal/consultation/")
    for _ in range(5):
        p = proposal(town)
        services.comment_post(resident=town.residents["a1"], proposal_id=p.pk, body="好")
    client.force_login(worker)
    assert _queries(client, "/consultation/") == staff_one
    client.force_login(resident)
    assert _queries(client, "/portal/consultation/") == portal_one
