"""Who reads a progress report's text and 佐证材料: the unit that made it, the plan's issuing office, the task's lead
units (a lead of a task also leads the tasks under it) and the region offices above them. Everyone else who sees
the plan gets its status grid (on time, late, missing, completion) but not other units' words and files: a report
they may not read answers 404 on the API and the pages alike, as a missing one does, and a task's report list
holds only the reports they may read.

The finding this answers: community 甲二's worker read community 甲一's report text and downloaded its attachment.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from linli.campaigns.models import ProgressReport, Task, TaskUnit
from linli.campaigns.plans import rules as plan_rules
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, expected, statuses

from .support import APR, FEB, at, district_plan, report

P = "/campaign-progress"
SECRET = "甲一社区二月：发现3处违建未拆除"  # words only 甲一 and those over it may read


@pytest.fixture(autouse=True)
def secret(c):
    """甲一's February report (of the campaign `c`, conftest.py) with words and a file of its own."""
    feb = ProgressReport.objects.get(task_unit=c.a1, period=FEB)
    feb.content = SECRET
    feb.attachment.save("甲一佐证.pdf", ContentFile(b"%PDF-1.4 jia-yi"))


def api(world, role) -> ApiClient:
    return ApiClient(world.users[role])


def theirs(c) -> ProgressReport:
    return ProgressReport.objects.get(task_unit=c.a1, period=FEB)


def test_another_community_reads_neither_the_text_nor_the_attachment(client, world, c):
    r = theirs(c)
    cw2 = api(world, "community_worker2")
    missing = cw2.get(P + "/reports/999999")
    for url in (f"/reports/{r.pk}", f"/reports/{r.pk}/attachment"):
        refused = cw2.get(P + url)
        assert (refused.status_code, refused.json()) == (404, missing.json()), url  # as if it did not exist
    listed = cw2.get(P + f"/tasks/{c.clean.pk}/reports").json()
    assert {row["unit"] for row in listed["items"]} == {"甲二社区"} and listed["count"] == 3
    client.force_login(world.users["community_worker2"])
    assert client.get(reverse("progress:attachment", args=[r.pk])).status_code == 404
    for page in (reverse("progress:mine"), reverse("progress:plan", args=[c.plan.pk])):
        assert SECRET not in client.get(page).content.decode()


def test_another_community_still_sees_the_status_grid(world, c):
    matrix = api(world, "community_worker2").get(P + f"/plans/{c.plan.pk}/matrix").json()
    rows = {row["unit"]: row for row in matrix["rows"]}
    assert rows["甲一社区"]["on_time"][:3] == [1, 0, 0]
    assert rows["甲一社区"]["late"][:3] == [0, 1, 0] and rows["甲一社区"]["missing"][:3] == [0, 0, 1]


def test_a_unit_that_may_not_read_a_report_may_not_correct_it_either(world, c):
    """404 as for reading; a reader that is not the unit (the lead) gets 403: it sees the report, may not write."""
    r = report(c.a1, APR, at(4, 8), 60, world.users["community_worker"], content="四月进展")  # still open to correction
    body = {"version": 1, "progress": 70, "content": "改成我的"}
    assert api(world, "community_worker2").patch(P + f"/reports/{r.pk}", body).status_code == 404
    assert api(world, "dept_handler").patch(P + f"/reports/{r.pk}", body).status_code == 403
    assert ProgressReport.objects.get(pk=r.pk).content == "四月进展"


TASK_LIST = {
    "admin": "甲一 甲一 甲二 甲二 甲二",
    "district_staff": "甲一 甲一 甲二 甲二 甲二",
    "street_staff": "甲一 甲一 甲二 甲二 甲二",
    "community_worker": "甲一 甲一",
    "community_worker2": "甲二 甲二 甲二",
    "grid_worker": "",
    "dept_handler": "甲一 甲一 甲二 甲二 甲二",
}


def test_a_tasks_report_list_holds_what_the_reader_may_read(world, c):
    got = {}
    for role in TASK_LIST:
        body = api(world, role).get(P + f"/tasks/{c.clean.pk}/reports").json()
        assert body["count"] == len(body["items"])
        got[role] = " ".join(row["unit"].removesuffix("社区") for row in body["items"])
    assert got == TASK_LIST
    assert api(world, "company_staff").get(P + f"/tasks/{c.clean.pk}/reports").status_code == 404


def test_a_lead_of_a_task_reads_the_reports_of_the_tasks_under_it(world, c):
    """区城市管理综合执法局 leads 环境整治 (the parent) but is not named on 楼道清理 itself."""
    stairs = Task.objects.create(plan=c.plan, parent=c.parent, order=3, title="楼道清理")
    tu = TaskUnit.objects.create(task=stairs, role=plan_rules.RESPONSIBLE, region=world.community_a1)
    r = report(tu, FEB, at(2, 20), 50, world.users["community_worker"], content="清理楼道杂物")
    assert api(world, "dept_handler").get(P + f"/reports/{r.pk}").json()["content"] == "清理楼道杂物"
    assert api(world, "community_worker2").get(P + f"/reports/{r.pk}").status_code == 404


# A district plan (seen by everyone in the district) on which street 甲 leads a task that 甲一 and 乙一 carry out:
# 乙一's report is read by the district (issuing office), admin and street 甲 (the lead, whichever street the
# responsible unit lies in); not by 甲一 nor anyone else who merely sees the plan.
#                     adm dis str cw  cw2 grd dep com
DISTRICT_READERS = "200 200 200 404 404 404 404 404"


def test_on_a_district_plan_a_community_does_not_read_another_streets_community(world, c):
    d = district_plan(world)
    ctx = {"report": d.b1_report.pk, "task": d.task.pk}
    for url in ("/reports/{report}", "/reports/{report}/attachment"):
        assert statuses(world.users, Endpoint("GET", P + url, DISTRICT_READERS), ctx) == expected(DISTRICT_READERS)
    units = {
        role: sorted(row["unit"] for row in api(world, role).get(P + f"/tasks/{d.task.pk}/reports").json()["items"])
        for role in ("street_staff", "community_worker", "dept_handler")
    }
    assert units == {"street_staff": ["乙一社区", "甲一社区"], "community_worker": ["甲一社区"], "dept_handler": []}
