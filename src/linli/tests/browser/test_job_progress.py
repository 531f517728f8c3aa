"""The import job page follows a running job to its end in real Chromium, under the site's Content-Security-Policy
(scripts from our origin only: the progress poll is a static script, no inline one)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linli.people.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_job_page_shows_progress_until_the_import_ends(browser_page, world):
    job = ImportJob.objects.create(
        user=world.users["community_worker"], file_name="人员登记.xlsx", status="running", progress_total=4000
    )
    page = browser_page("community_worker")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(f"/imports/{job.pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    progress = page.locator("[data-job-progress]")
    expect(progress).to_have_text("正在检查：第0行，共4000行")

    ImportJob.objects.filter(pk=job.pk).update(stage="write", progress=1500, progress_total=3000)
    expect(progress).to_have_text("正在写入：1500/3000人")
    expect(page.locator("progress")).to_have_attribute("value", "1500")

    ImportJob.objects.filter(pk=job.pk).update(status="done", rows=3000, created=3000, finished_at=timezone.now())
    expect(page.locator("p[role=status]")).to_contain_text("已全部导入：新增3000人")
    assert page.errors == [] and violations == []
