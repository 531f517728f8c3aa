"""The import job page follows a running job to its end in real Chromium, under a policy that allows scripts from
our origin only (the progress poll is a static script, no inline one)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linli.people.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:"


def test_the_job_page_shows_progress_until_the_import_ends(browser_page, world):
    job = ImportJob.objects.create(
        user=world.users["community_worker"], file_name="人员登记.xlsx", status="running", progress_total=4000
    )
    page = browser_page("community_worker")
    violations = []  # of the script and connect rules: the poll's (htmx's inline style is the CSP work's own)
    page.on("console", lambda m: violations.append(m.text) if re.search(r"(script|connect)-src", m.text) else None)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": POLICY})

    page.route(re.compile(r".*/imports/\d+/$"), with_policy)
    page.goto(f"/imports/{job.pk}/")
    progress = page.locator("[data-job-progress]")
    expect(progress).to_have_text("正在检查：第0行，共4000行")

    ImportJob.objects.filter(pk=job.pk).update(stage="write", progress=1500, progress_total=3000)
    expect(progress).to_have_text("正在写入：1500/3000人")
    expect(page.locator("progress")).to_have_attribute("value", "1500")

    ImportJob.objects.filter(pk=job.pk).update(status="done", rows=3000, created=3000, finished_at=timezone.now())
    expect(page.locator("p[role=status]")).to_contain_text("已全部导入：新增3000人")
    assert page.errors == [] and violations == []
