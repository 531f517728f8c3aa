"""The staff pages (/votes/) and the owners' (/portal/votes/): they call the API's services and checks."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.residents.entries import for_resident
from linli.votes import rules, selectors
from linli.votes.models import Ballot, Vote

pytestmark = pytest.mark.django_db


def test_a_community_worker_sets_up_opens_closes_and_publishes_a_vote(town, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(town.worker)
    form = client.get("/votes/new/").content.decode()
    assert "阳光小区" in form and "乙一小区" not in form
    today = timezone.localdate()
    data = {"estate": town.estate.pk, "title": "续聘物业", "motion": "续聘安居物业三年", "item": "4",
            "opens_on": today, "closes_on": today + timedelta(days=7)}  # fmt: skip
    response = client.post("/votes/new/", data)
    vote = Vote.objects.get()
    assert response.status_code == 302 and vote.state == rules.DRAFT
    client.post(f"/votes/{vote.pk}/open/", {"version": vote.version})
    vote.refresh_from_db()
    assert vote.state == rules.OPEN
    page = client.get(f"/votes/{vote.pk}/").content.decode()
    assert "0 / 394.30 ㎡（0.00%）" in page and "0 / 4 人" in page and "按建筑面积" in page
    developer = selectors.not_voted(vote).get(key=rules.DEVELOPER_KEY)
    scan = SimpleUploadedFile("票.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(f"/votes/{vote.pk}/ballots/", {"voter": developer.pk, "choice": "agree", "channel": "paper",
                                               "scan": scan})  # fmt: skip
    assert Ballot.objects.get().channel == rules.PAPER
    assert "76.20 / 394.30 ㎡（19.33%）" in client.get(f"/votes/{vote.pk}/").content.decode()
    client.post(f"/votes/{vote.pk}/close/", {"version": vote.version})
    client.post(f"/votes/{vote.pk}/publish/", {"version": vote.version + 1})
    vote.refresh_from_db()
    page = client.get(f"/votes/{vote.pk}/").content.decode()
    assert vote.state == rules.PUBLISHED and "未通过：参与表决的业主不足" in page and "76.20 / 394.30 ㎡" in page
    assert "与截止时保存的结果一致" in page


def test_a_paper_ballot_without_its_scan_is_refused_with_the_reason(town, client):
    vote = town.vote()
    client.force_login(town.worker)
    voter = selectors.not_voted(vote).first()
    response = client.post(f"/votes/{vote.pk}/ballots/", {"voter": voter.pk, "choice": "agree", "channel": "paper"})
    assert "纸质表决票须上传扫描件" in client.get(response.url).content.decode() and not Ballot.objects.exists()


def test_the_street_reads_but_does_not_run(town, client):
    vote = town.vote()
    client.force_login(town.world.users["street_staff"])
    page = client.get(f"/votes/{vote.pk}/").content.decode()
    assert "参与情况" in page and "截止投票" not in page
    assert client.post(f"/votes/{vote.pk}/close/", {"version": vote.version}).status_code == 403
    assert client.get("/votes/new/").status_code == 403
    client.force_login(town.world.users["community_worker2"])
    assert client.get(f"/votes/{vote.pk}/").status_code == 404


def test_an_owner_votes_in_the_portal_after_confirming(town, client):
    vote = town.vote()
    one = town.residents["one"]
    assert "votes" in [e.key for e in for_resident(one)]
    assert "votes" not in [e.key for e in for_resident(town.residents["tenant"])]
    client.force_login(one.user)
    assert "续聘物业服务企业" in client.get("/portal/votes/").content.decode()
    page = client.get(f"/portal/votes/{vote.pk}/").content.decode()
    assert "1号楼1单元101、1号楼1单元102" in page and "152.40" in page
    voter = selectors.resident_voters(resident=one, vote=vote)[0]
    confirm = client.post(f"/portal/votes/{vote.pk}/", {"voter": voter.pk, "choice": "against"})
    assert "确认投出" in confirm.content.decode() and not Ballot.objects.exists()
    done = client.post(f"/portal/votes/{vote.pk}/", {"voter": voter.pk, "choice": "against", "confirm": "1"},
                       follow=True)  # fmt: skip
    assert "已投票：<b>反对</b>" in done.content.decode()
    again = client.post(f"/portal/votes/{vote.pk}/", {"voter": voter.pk, "choice": "agree", "confirm": "1"},
                        follow=True)  # fmt: skip
    assert "已经投过票" in again.content.decode() and Ballot.objects.get().choice == rules.AGAINST


def test_a_non_owner_cannot_open_the_vote(town, client):
    vote = town.vote()
    client.force_login(town.residents["far"].user)
    assert client.get(f"/portal/votes/{vote.pk}/").status_code == 404
    client.force_login(town.residents["one"].user)
    assert client.get("/votes/").status_code == 403
