"""The staff pages (/volunteers/activities/) and the portal's (/portal/activities/): they call the API's services
and checks; lists cost the same number of queries whatever their length."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from linli.residents.entries import for_resident
from linli.volunteers import rules
from linli.volunteers.activities import services
from linli.volunteers.models import Activity, Credit, SignUp, Volunteer

pytestmark = pytest.mark.django_db


def phone(resident) -> Client:
    client = Client()
    client.force_login(resident.user)
    return client


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_a_community_worker_sets_up_publishes_and_runs_an_activity(crew, client):
    client.force_login(crew.worker)
    form = client.get("/volunteers/activities/new/").content.decode()
    assert "甲一社区" in form and "乙一社区" not in form and "夕阳红合唱团" in form
    start = timezone.now() + timedelta(days=2)
    data = {"region": crew.world.community_a1.pk, "team": crew.team.pk, "title": "重阳节合唱", "kind": "arts",
            "place": "社区广场", "latitude": "41.800000", "longitude": "123.400000", "starts_at": local(start),
            "ends_at": local(start + timedelta(hours=2)), "signup_until": local(start - timedelta(days=1)),
            "min_people": 30, "max_people": 60, "on_short": "flag", "hours": "2.5"}  # fmt: skip
    response = client.post("/volunteers/activities/new/", data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.state == rules.DRAFT and activity.latitude == Decimal("41.8")
    client.post(f"/volunteers/activities/{activity.pk}/publish/", {"version": activity.version})
    activity.refresh_from_db()
    assert activity.state == rules.OPEN
    services.signup_create(resident=crew.residents["v2"], activity_id=activity.pk)
    page = client.get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "志愿者2" in page and "签到二维码" in page and "<svg" in page and "代为签到" in page
    assert client.get(f"/volunteers/activities/{activity.pk}/qr/").status_code == 200
    # a stale edit is refused, not saved over the later one
    response = client.post(f"/volunteers/activities/{activity.pk}/edit/", {**data, "version": 1, "title": "旧标题"})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    client.post(f"/volunteers/activities/{activity.pk}/cancel/", {"version": activity.version, "reason": "场地冲突"})
    activity.refresh_from_db()
    assert activity.state == rules.CANCELLED


def test_the_organiser_checks_in_by_hand_confirms_hours_and_corrects_them(crew, client):
    activity = crew.activity()
    s1 = services.signup_create(resident=crew.residents["v1"], activity_id=activity.pk)
    s2 = services.signup_create(resident=crew.residents["v2"], activity_id=activity.pk)
    client.force_login(crew.worker)
    Activity.objects.filter(pk=activity.pk).update(
        signup_until=timezone.now() - timedelta(hours=3), starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(minutes=10),
    )  # fmt: skip
    client.post(f"/volunteers/activities/{activity.pk}/checkin/{s1.pk}/")
    assert SignUp.objects.get(pk=s1.pk).checked_in_at is not None
    page = client.get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "确认服务时长" in page and f'name="hours_{s2.pk}"' in page
    client.post(f"/volunteers/activities/{activity.pk}/hours/",
                {"version": activity.version, f"hours_{s1.pk}": "2", f"hours_{s2.pk}": ""})  # fmt: skip
    credit = Credit.objects.get()
    assert (credit.signup_id, credit.hours) == (s1.pk, Decimal("2.0"))
    client.post(f"/volunteers/activities/{activity.pk}/credits/{credit.pk}/",
                {"version": 1, "hours": "2.5", "reason": "会后整理场地"})  # fmt: skip
    assert Volunteer.objects.get(pk=s1.volunteer_id).hours == Decimal("2.5")
    assert "2.5" in client.get(f"/volunteers/activities/{activity.pk}/").content.decode()


def test_staff_pages_refuse_who_may_not_and_residents_reach_none(crew, client):
    activity = crew.activity()
    client.force_login(crew.world.users["grid_worker"])
    assert client.get("/volunteers/activities/").status_code == 403
    client.force_login(crew.world.users["community_worker2"])
    assert client.get(f"/volunteers/activities/{activity.pk}/").status_code == 404
    assert phone(crew.residents["v1"]).get("/volunteers/activities/").status_code == 403


def test_the_staff_list_costs_the_same_queries_for_more_activities(crew, client, django_assert_max_num_queries):
    client.force_login(crew.worker)
    crew.activity()
    with django_assert_max_num_queries(14) as few:
        client.get("/volunteers/activities/")
    for _ in range(6):
        a = crew.activity()
        services.signup_create(resident=crew.residents["v1"], activity_id=a.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/volunteers/activities/").status_code == 200


def test_a_volunteer_signs_up_on_the_phone_waits_and_is_promoted(crew):
    activity = crew.activity(max_people=1)
    v1, v2 = phone(crew.residents["v1"]), phone(crew.residents["v2"])
    listing = v1.get("/portal/activities/").content.decode()
    assert "社区合唱排练" in listing and "还剩 1 个名额" in listing
    v1.post(f"/portal/activities/{activity.pk}/")
    page = v2.get(f"/portal/activities/{activity.pk}/").content.decode()
    assert "名额已满，报名候补" in page
    v2.post(f"/portal/activities/{activity.pk}/")
    assert "候补中：排第 1 位" in v2.get(f"/portal/activities/{activity.pk}/").content.decode()
    assert "候补第 1 位" in v2.get("/portal/activities/mine/").content.decode()
    first = SignUp.objects.get(volunteer__person=crew.residents["v1"].person)
    v1.post(f"/portal/activities/signups/{first.pk}/withdraw/")
    assert "您已报名（由候补递补）" in v2.get(f"/portal/activities/{activity.pk}/").content.decode()
    assert "候补转正" in v2.get("/portal/messages/").content.decode()


def test_the_qr_code_opens_a_landing_that_checks_in_on_a_button(crew):
    soon = timezone.now() + timedelta(minutes=30)
    activity = crew.activity(
        starts_at=soon, ends_at=soon + timedelta(hours=1), signup_until=soon - timedelta(minutes=5)
    )
    services.signup_create(resident=crew.residents["v1"], activity_id=activity.pk)
    token = services.checkin_token(user=crew.worker, activity_id=activity.pk)
    v1 = phone(crew.residents["v1"])
    landing = v1.get(f"/portal/activities/checkin/{token}/")
    assert landing.status_code == 200 and "签到" in landing.content.decode()
    assert SignUp.objects.get().checked_in_at is None  # a GET (a link preview) checks nobody in
    v1.post(f"/portal/activities/checkin/{token}/")
    assert SignUp.objects.get().checked_in_at is not None
    assert phone(crew.residents["v2"]).get("/portal/activities/checkin/1:bad:code/").status_code == 400
    # signed in first: the code survives the trip through the login page
    anonymous = Client().get(f"/portal/activities/checkin/{token}/")
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]


def test_a_team_leader_organises_in_the_portal_and_others_cannot(crew):
    leader = phone(crew.residents["v1"])
    assert "我组织的活动" in leader.get("/portal/activities/").content.decode()
    start = timezone.now() + timedelta(days=2)
    data = {"team": crew.team.pk, "title": "楼道清扫", "kind": "environment", "place": "5号楼",
            "starts_at": local(start), "ends_at": local(start + timedelta(hours=1)),
            "signup_until": local(start - timedelta(hours=12)), "min_people": 2, "max_people": 8,
            "on_short": "cancel", "hours": "1"}  # fmt: skip
    response = leader.post("/portal/activities/organised/new/", data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.state == rules.OPEN
    assert activity.organiser == crew.residents["v1"].user
    page = leader.get(f"/portal/activities/organised/{activity.pk}/").content.decode()
    assert "签到二维码" in page and "<svg" in page
    other = phone(crew.residents["v2"])
    assert other.get("/portal/activities/organised/new/").status_code == 403
    assert other.get(f"/portal/activities/organised/{activity.pk}/").status_code == 404
    assert "activities" in [e.key for e in for_resident(crew.residents["plain"])]


def test_the_portal_list_costs_the_same_queries_for_more_activities(crew, django_assert_max_num_queries):
    v1 = phone(crew.residents["v1"])
    crew.activity()
    for url in ("/portal/activities/", "/portal/activities/mine/"):
        with django_assert_max_num_queries(20) as few:
            v1.get(url)
        counts = len(few.captured_queries)
        for _ in range(5):
            a = crew.activity(max_people=1)
            services.signup_create(resident=crew.residents["v2"], activity_id=a.pk)
            services.signup_create(resident=crew.residents["v1"], activity_id=a.pk)
        with django_assert_max_num_queries(counts):
            assert v1.get(url).status_code == 200
