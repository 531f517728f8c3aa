"""业主大会表决 in Chromium: an owner votes on a 360 px phone (choice, confirmation, their ballot shown); a community
worker closes the vote and publishes the result, every threshold with its numbers; the owner then reads it."""

import pytest
from playwright.sync_api import expect

from .conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def _fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_an_owner_votes_on_a_phone(browser_page, world, live_server):
    from linli.votes.tests.town import town_of

    town = town_of(world)
    town.vote(title="续聘物业服务企业")
    owner = browser_page(None, SMALL_PHONE)
    signed_in(owner, live_server, town.residents["one"].user)
    owner.goto("/portal/")
    owner.get_by_role("link", name="业主投票").click()
    owner.get_by_role("link", name="续聘物业服务企业").click()
    expect(owner.locator(".vote-mine h2")).to_have_text("1号楼1单元101、1号楼1单元102")
    owner.get_by_label("同意").check()
    assert _fits(owner)
    owner.get_by_role("button", name="下一步：确认").click()
    expect(owner.locator(".vote-choice-made")).to_contain_text("同意")
    owner.get_by_role("button", name="确认投出").click()
    expect(owner.locator(".alert")).to_contain_text("您的表决票已投出")
    expect(owner.locator(".vote-cast")).to_contain_text("已投票：同意")
    expect(owner.get_by_role("button", name="下一步：确认")).to_have_count(0)
    assert _fits(owner) and owner.errors == []


def test_a_worker_closes_and_publishes_the_result(browser_page, world, live_server):
    from linli.votes import rules, selectors, services
    from linli.votes.tests.town import town_of

    town = town_of(world)
    vote = town.vote(title="筹集专项维修资金", item="6")
    for key in ("one", "two", "four"):
        (voter,) = selectors.resident_voters(resident=town.residents[key], vote=vote)
        services.ballot_cast(resident=town.residents[key], vote_id=vote.pk, voter_id=voter.pk, choice=rules.AGREE)
    worker = browser_page("community_worker")
    worker.on("dialog", lambda dialog: dialog.accept())
    worker.goto(f"/votes/{vote.pk}/")
    expect(worker.locator(".vote-progress")).to_contain_text("318.10 / 394.30 ㎡（80.67%），已达 2/3")
    worker.get_by_role("button", name="截止投票").click()
    expect(worker.locator(".alert")).to_contain_text("投票已截止")
    worker.get_by_role("button", name="公示结果").click()
    expect(worker.locator(".alert")).to_contain_text("表决结果已公示")
    result = worker.locator(".vote-result")
    expect(result.locator(".vote-verdict")).to_have_text("通过")
    expect(result).to_contain_text("318.10 / 318.10 ㎡")
    expect(result).to_contain_text("≥ 3/4（75.00%）")
    expect(result).to_contain_text("与截止时保存的结果一致")

    owner = browser_page(None, SMALL_PHONE)
    signed_in(owner, live_server, town.residents["two"].user)
    owner.goto(f"/portal/votes/{vote.pk}/")
    expect(owner.locator(".vote-result .vote-verdict")).to_have_text("通过")
    expect(owner.locator(".vote-result")).to_contain_text("参与表决的业主人数")
    assert _fits(owner) and worker.errors == [] and owner.errors == []
