"""The staff pages (/burden/): they call the API's services and checks; lists run a constant number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.burden import rules as b
from linli.burden.access import services
from linli.burden.models import AccessApplication, DutyItem, DutyItemChange, WorkRequest

from .conftest import apply

pytestmark = pytest.mark.django_db


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 text", content_type="application/pdf")


def test_the_district_loads_and_edits_the_lists_and_everyone_reads_them(world, client):
    client.force_login(world.users["district_staff"])
    assert "载入默认清单" in client.get("/burden/").content.decode()
    client.post(f"/burden/lists/{world.district.pk}/defaults/")
    assert DutyItem.objects.count() == 36
    item = DutyItem.objects.get(list=b.ASSIST, number=3)
    response = client.post(f"/burden/lists/items/{item.pk}/edit/", {"category": "平安建设", "title": "协助做好防灾减灾",
                                                                   "basis": item.basis, "reason": "",
                                                                   "version": 1})  # fmt: skip
    assert response.status_code == 400 and not DutyItemChange.objects.exists()
    edit = {
        "category": "平安建设",
        "title": "协助做好防灾减灾",
        "basis": item.basis,
        "reason": "文字精简",
        "version": 1,
    }
    client.post(f"/burden/lists/items/{item.pk}/edit/", edit)
    client.post(f"/burden/lists/items/{item.pk}/retire/", {"reason": "与第1项合并", "version": 2})
    assert DutyItemChange.objects.count() == 2
    history = client.get(f"/burden/lists/history/?district={world.district.pk}").content.decode()
    assert "与第1项合并" in history and "协助做好防灾减灾" in history
    for persona in ("street_staff", "community_worker", "dept_handler"):
        client.force_login(world.users[persona])
        page = client.get("/burden/").content.decode()
        assert "社区依法协助政府工作事项（16项）" in page and "增加事项" not in page
        assert client.get(f"/burden/lists/items/{item.pk}/edit/").status_code == 403
    client.force_login(world.users["grid_worker"])
    assert client.get("/burden/").status_code == 403


def test_a_department_applies_for_its_held_work_and_the_district_decides(world, client):
    dept = world.users["dept_handler"]
    work = WorkRequest.objects.create(community=world.community_a2, organization=dept.organization,
                                      requester="区城管执法局", kind=b.TASK, source="campaigns.taskunit",
                                      source_id=3, title="门前三包检查台账", state=b.HELD)  # fmt: skip
    client.force_login(dept)
    form = client.get(f"/burden/access/new/?work={work.pk}").content.decode()
    assert 'value="门前三包检查台账"' in form and "甲二社区" in form
    data = {"title": "门前三包检查台账", "kind": "task", "content": "每月检查沿街商户并填报",
            "basis": "《北京市市容环境卫生条例》",
            "communities": [world.community_a2.pk], "work": str(work.pk), "submit": "1",
            "plan_file": upload("工作方案.pdf")}  # fmt: skip
    response = client.post("/burden/access/new/", data)
    assert response.status_code == 400 and "提交前请上传：政策、文件依据" in response.content.decode()
    data.update(basis_file=upload("依据.pdf"), plan_file=upload("工作方案.pdf"))
    response = client.post("/burden/access/new/", data)
    application = AccessApplication.objects.get()
    assert response.status_code == 302 and application.state == b.SUBMITTED
    work.refresh_from_db()
    assert work.access_id == application.pk

    client.force_login(world.users["district_staff"])
    assert "待我审核（1）" in client.get("/burden/access/").content.decode()
    page = client.get(f"/burden/access/{application.pk}/").content.decode()
    assert "初审通过" in page and "依据.pdf" in page and "门前三包检查台账" in page
    doc = application.documents.first()
    assert client.get(f"/burden/access/{application.pk}/documents/{doc.pk}/").status_code == 200
    client.post(f"/burden/access/{application.pk}/first_pass/", {"version": 2, "opinion": "依据充分"})
    page = client.get(f"/burden/access/{application.pk}/").content.decode()
    assert "初审和审批" not in page and 'action="/burden/access/' not in page.split("办理过程")[1]

    client.force_login(world.users["admin"])
    client.post(f"/burden/access/{application.pk}/refuse/", {"version": 3, "opinion": ""})
    application.refresh_from_db()
    assert application.state == b.FIRST_PASSED
    client.post(f"/burden/access/{application.pk}/approve/", {"version": 3, "opinion": "同意"})
    application.refresh_from_db()
    work.refresh_from_db()
    assert application.state == b.APPROVED and work.state == b.ADMITTED
    trail = client.get(f"/burden/access/{application.pk}/").content.decode()
    assert trail.index("<strong>初审通过</strong>") < trail.index("<strong>批准</strong>") and "同意" in trail


def test_a_draft_gets_its_documents_then_is_submitted_or_withdrawn(world, client):
    draft = apply(world, submit=False, documents=[])
    client.force_login(world.users["dept_handler"])
    page = client.get(f"/burden/access/{draft.pk}/").content.decode()
    assert "提交前还须上传：政策、文件依据、工作方案" in page
    client.post(f"/burden/access/{draft.pk}/documents/", {"kind": "basis", "file": upload("依据.pdf")})
    bad = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(f"/burden/access/{draft.pk}/documents/", {"kind": "plan", "file": bad})
    assert draft.documents.count() == 1
    client.post(f"/burden/access/{draft.pk}/documents/", {"kind": "plan", "file": upload("方案.pdf")})
    client.post(f"/burden/access/{draft.pk}/submit/", {"version": 1})
    draft.refresh_from_db()
    assert draft.state == b.SUBMITTED
    client.post(f"/burden/access/{draft.pk}/withdraw/", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == b.WITHDRAWN
    assert "撤回" in client.get(f"/burden/access/{draft.pk}/").content.decode()


def test_pages_run_a_constant_number_of_queries(world, client, django_assert_max_num_queries):
    services.ensure_default_lists(world.district)
    client.force_login(world.users["district_staff"])
    counts = {}
    for n in (1, 6):
        while AccessApplication.objects.count() < n:
            apply(world)
        for url in ("/burden/", "/burden/access/", "/burden/access/?box=review", "/burden/lists/history/",
                    f"/burden/access/{AccessApplication.objects.order_by('id').first().pk}/"):  # fmt: skip
            with django_assert_max_num_queries(30) as ctx:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(ctx.captured_queries))
    assert all(first == last for first, last in counts.values()), counts
