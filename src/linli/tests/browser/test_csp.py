"""The Content-Security-Policy in the browser: enforced, not only reported, and every violation reaches the test (the
journeys fail on one through the browser_page fixture). Then pages whose behaviour moved from inline handlers to
app.js: the confirm before a destructive form, the select that submits itself, a chart's tooltip."""

import re

import pytest
from playwright.sync_api import expect

from linli.campaigns.plans import services as plan_services
from linli.campaigns.plans.tests.conftest import plan_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.head.append(script);
  const bold = document.createElement("b");
  bold.setAttribute("style", "color: rgb(255, 0, 0)");
  bold.textContent = "x";
  document.body.append(bold);
  setTimeout("window.evaluated = true");  // code from a string, as eval() takes it
  return { injected: window.injected === true, red: getComputedStyle(bold).color === "rgb(255, 0, 0)" };
}"""


def test_injected_script_style_and_eval_are_refused_and_reported(browser_page):
    page = browser_page("street_staff")
    assert page.evaluate(INJECT) == {"injected": False, "red": False}
    assert page.evaluate("() => new Promise(resolve => setTimeout(() => resolve(window.evaluated === undefined)))")
    refused = " ".join(page.csp_violations)
    assert all(d in refused for d in ("script-src-elem", "style-src-attr", "script-src"))
    page.csp_violations.clear()  # seen: the fixture would fail the test on them


def test_a_chart_tooltip_and_the_scope_select_work_under_the_policy(browser_page, world):
    page = browser_page("street_staff")
    page.goto("/stats/")
    chart = page.locator("#chart-pyramid canvas").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the axis tooltip opens
    page.select_option("#region", str(world.community_a1.pk))
    page.wait_for_url(re.compile(rf"region={world.community_a1.pk}"))
    assert page.errors == []


def test_a_task_goes_only_when_confirmed_and_subtasks_are_indented(browser_page, world):
    staff = world.users["district_staff"]
    plan = plan_services.plan_create(user=staff, data=plan_data(world.district))
    parent = plan_services.task_create(user=staff, plan=plan, data={"title": "全面排查"})
    plan_services.task_create(user=staff, plan=plan, data={"title": "甲一排查", "parent_id": parent.pk})
    page = browser_page("district_staff")
    page.goto(f"/campaigns/{plan.pk}/")
    rows = page.locator(".task-tree tbody tr")
    indents = [rows.nth(i).locator(".indent").evaluate("el => el.getBoundingClientRect().width") for i in (0, 1)]
    assert indents[0] == 0 and indents[1] > 10
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    rows.nth(1).get_by_role("button", name="删除").click()
    expect(rows).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())
    rows.nth(1).get_by_role("button", name="删除").click()
    expect(rows).to_have_count(1)
    assert questions == ["删除该任务及其子任务？"] and page.errors == []


def test_the_api_documentation_works_under_the_policy(browser_page):
    page = browser_page(None)
    page.goto("/api/v1/docs")
    # The first request of the run builds the one-megabyte document, Swagger then parses it and draws its 384
    # operations after the title: seconds on a busy machine (once more than ten), so the waits are for the document
    # and for the drawing, not the usual five seconds.
    title = page.locator(".swagger-ui .information-container .title")
    expect(title).to_contain_text("linli", timeout=60_000)
    tag = page.locator(".opblock-tag").first
    expect(tag).to_be_visible(timeout=60_000)
    tag.click()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert page.errors == []
