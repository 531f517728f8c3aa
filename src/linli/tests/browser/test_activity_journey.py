"""志愿活动 in Chromium on a phone: a volunteer signs up for a full activity and waits; a place frees and she is
promoted (and told); she checks in through the link the organiser's QR code holds; the organiser confirms the hours
and she sees them credited."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_sign_up_get_promoted_check_in_and_get_the_hours(browser_page, world, live_server):
    from linli.volunteers.activities import services
    from linli.volunteers.activities.tests.crew import crew_of
    from linli.volunteers.models import Activity, SignUp

    crew = crew_of(world, size=2)
    soon = timezone.now() + timedelta(minutes=30)
    activity = crew.activity(title="社区合唱排练", max_people=1, starts_at=soon, ends_at=soon + timedelta(hours=2),
                             signup_until=soon - timedelta(minutes=10))  # fmt: skip
    first = services.signup_create(resident=crew.residents["v1"], activity_id=activity.pk)

    phone = browser_page(None, PHONE)
    signed_in(phone, live_server, crew.residents["v2"].user)
    phone.goto("/portal/")
    phone.get_by_role("link", name="志愿活动").click()
    phone.get_by_role("link", name="社区合唱排练").click()
    phone.get_by_role("button", name="名额已满，报名候补").click()
    expect(phone.locator(".act-status")).to_contain_text("候补中：排第 1 位")
    assert _fits(phone)

    services.signup_withdraw(resident=crew.residents["v1"], signup_id=first.pk)
    phone.reload()
    expect(phone.locator(".act-status")).to_contain_text("您已报名（由候补递补）")
    phone.goto("/portal/messages/")
    expect(phone.locator("body")).to_contain_text("候补转正：社区合唱排练")

    organiser = browser_page("community_worker")
    organiser.on("dialog", lambda dialog: dialog.accept())
    organiser.goto(f"/volunteers/activities/{activity.pk}/")
    expect(organiser.locator(".act-qr-code svg")).to_be_visible()
    link = organiser.locator("[data-checkin-link]").get_attribute("value")

    phone.goto(link)  # what the phone's camera opens from the QR code
    phone.get_by_role("button", name="签到").click()
    expect(phone.locator(".alert")).to_contain_text("签到成功")
    expect(phone.locator(".act-status")).to_contain_text("已签到")
    assert _fits(phone)

    now = timezone.now()  # the activity is over
    past = {"signup_until": now - timedelta(hours=3), "starts_at": now - timedelta(hours=2),
            "ends_at": now - timedelta(minutes=5)}  # fmt: skip
    Activity.objects.filter(pk=activity.pk).update(**past)
    organiser.reload()
    organiser.get_by_role("button", name="确认时长").click()
    expect(organiser.locator(".alert")).to_contain_text("服务时长已确认")
    assert SignUp.objects.get(activity=activity, state="confirmed").credit.hours == 2

    phone.goto("/portal/activities/mine/")
    expect(phone.locator(".act-hours b")).to_have_text("2.0")
    expect(phone.locator(".act-list")).to_contain_text("已计入 2.0 小时")
    assert _fits(phone) and phone.errors == [] and organiser.errors == []
