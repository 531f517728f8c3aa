"""Person pages: list with filters, detail with history and reveal, create and edit forms.

Personas (linli.testing.factories): street_staff sees 甲街道 and holds the PII permissions;
community_worker sees 甲一社区 only, without PII; community_worker2 sees 甲二社区 only.
"""

from datetime import date

import pytest
from django.urls import reverse

from linli.audit.models import AuditEntry
from linli.core.pii import mask_id_number
from linli.people import services
from linli.people.models import Estate, Household, Person, PersonTag, Tag
from linli.testing import factories


@pytest.fixture
def reg(world):
    """One household in 甲一1号网格 with two members, and one person in 乙一社区 (outside 甲街道)."""
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    house = factories.house(world.grid_a1, estate, building="3", unit="2", number="501")
    household = Household.objects.create(number="H0001", house=house)
    head = factories.person(world.grid_a1, household, name="王建国", relationship="head", phone="13812345678")
    wife = factories.person(
        world.grid_a1, household, name="李秀英", female=True, relationship="spouse", birth=date(1982, 2, 3)
    )
    household.head = head
    household.save()
    other = factories.person(world.grid_b1, None, name="赵外人")
    PersonTag.objects.create(person=head, tag=Tag.objects.get(code="veteran"))
    PersonTag.objects.create(person=wife, tag=Tag.objects.get(code="mental_disorder"))
    return {"household": household, "head": head, "wife": wife, "other": other, "house": house}


def login(client, world, persona):
    client.force_login(world.users[persona])
    return world.users[persona]


def test_anonymous_users_are_sent_to_the_login_page(client, reg):
    for url in ("/persons/", f"/persons/{reg['head'].pk}/", "/persons/new/", f"/persons/{reg['head'].pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_the_list_shows_people_in_scope_with_masked_numbers(client, world, reg):
    login(client, world, "street_staff")
    html = client.get("/persons/").content.decode()
    assert "王建国" in html and "李秀英" in html and "赵外人" not in html
    assert mask_id_number(reg["head"].id_number) in html and reg["head"].id_number not in html
    assert "138****5678" in html and "13812345678" not in html
    assert f'href="/households/{reg["household"].pk}/"' in html


def test_sensitive_tags_show_only_with_the_permission(client, world, reg):
    login(client, world, "street_staff")
    html = client.get("/persons/").content.decode()
    assert 'class="tag sensitive"' in html and "精神障碍患者" in html
    client.force_login(world.users["community_worker"])
    html = client.get("/persons/").content.decode()
    assert "退役军人" in html and "精神障碍患者" not in html


def test_it_finds_a_person_by_exact_id_number(client, world, reg):
    # The number is posted and waits in the session (test_number_search.py): never in the URL.
    login(client, world, "community_worker")
    response = client.post("/persons/", {"id_number": reg["wife"].id_number.lower()}, follow=True)
    assert [p.name for p in response.context["page"].object_list] == ["李秀英"]
    response = client.post("/persons/", {"id_number": reg["wife"].id_number[:10]}, follow=True)
    assert response.context["page"].paginator.count == 0
    assert "按证件号码或电话查询需输入完整号码" in response.content.decode()


def test_filters_combine_and_an_out_of_scope_region_is_refused(client, world, reg):
    login(client, world, "community_worker")
    page = client.get("/persons/", {"gender": "F", "age_min": 40, "age_max": 50}).context["page"]
    assert [p.name for p in page.object_list] == ["李秀英"]
    page = client.get("/persons/", {"tag": "veteran"}).context["page"]
    assert [p.name for p in page.object_list] == ["王建国"]
    response = client.get("/persons/", {"region": world.community_b1.pk})
    assert "region" in response.context["form"].errors  # not a choice for this user; the list stays scoped
    assert {p.name for p in response.context["page"].object_list} == {"王建国", "李秀英"}


def test_the_region_select_only_offers_the_users_scope(client, world, reg):
    login(client, world, "community_worker")
    form = client.get("/persons/").context["form"]
    offered = {label.strip() for _, label in form.fields["region"].choices + form.fields["grid"].choices}
    assert "甲一社区" in offered and not any("乙" in label or "甲二" in label for label in offered)


def test_the_list_is_paginated_by_twenty(client, world, reg):
    for i in range(25):
        factories.person(world.grid_a1b, None, name=f"居民{i:02d}")
    login(client, world, "community_worker")
    first = client.get("/persons/").context["page"]
    assert (first.paginator.count, len(first.object_list), first.paginator.num_pages) == (27, 20, 2)
    html = client.get("/persons/", {"name": "居民", "page": 2}).content.decode()
    assert "居民24" in html and "?name=%E5%B1%85%E6%B0%91&amp;page=1" in html


def test_a_person_out_of_scope_answers_404(client, world, reg):
    login(client, world, "community_worker2")
    for url in (f"/persons/{reg['head'].pk}/", f"/persons/{reg['head'].pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/persons/{reg['head'].pk}/reveal/", {"purpose": "核实"}).status_code == 404


def test_the_detail_shows_every_field_and_masks_numbers(client, world, reg):
    login(client, world, "community_worker")
    head = reg["head"]
    services.person_update(
        user=world.users["community_worker"],
        pk=head.pk,
        version=head.version,
        data={"employer": "市一医院", "education": "大学本科", "political_status": "中共党员"},
    )
    html = client.get(f"/persons/{head.pk}/").content.decode()
    for text in (
        "王建国",
        "居民身份证",
        "1980-05-01",
        "市一医院",
        "大学本科",
        "中共党员",
        "户籍人口",
        "H0001",
        "3号楼2单元501",
        "甲一1号网格",
        "退役军人",
        mask_id_number(head.id_number),
        "138****5678",
    ):
        assert text in html, text
    assert head.id_number not in html and "13812345678" not in html


def test_history_shows_who_changed_what_with_labels_and_masked_numbers(client, world, reg):
    worker = login(client, world, "community_worker")
    head = reg["head"]
    services.person_update(
        user=worker, pk=head.pk, version=head.version, data={"phone": "13900001111", "marital_status": "离婚"}
    )
    history = client.get(f"/persons/{head.pk}/").context["history"]
    change = history[0]
    assert (change.who, change.action) == ("community_worker", "修改")
    assert [(c.label, c.before, c.after) for c in change.changes] == [
        ("联系电话", "138****5678", "139****1111"),
        ("婚姻状况", "（空）", "离婚"),
    ]
    assert history[-1].action == "新建"
    html = client.get(f"/persons/{head.pk}/").content.decode()
    assert "13900001111" not in html


def test_history_names_the_household_a_person_moved_to(client, world, reg):
    worker = login(client, world, "community_worker")
    other_house = factories.house(world.grid_a1b, reg["house"].unit.building.estate, number="902")
    Household.objects.create(number="H0002", house=other_house)
    wife = reg["wife"]
    services.person_update(
        user=worker, pk=wife.pk, version=wife.version, data={"household_id": Household.objects.get(number="H0002").pk}
    )
    change = client.get(f"/persons/{wife.pk}/").context["history"][0]
    assert ("户", "H0001", "H0002") in [(c.label, c.before, c.after) for c in change.changes]
    assert ("网格", "甲一1号网格", "甲一2号网格") in [(c.label, c.before, c.after) for c in change.changes]


def test_the_reveal_form_is_hidden_without_the_pii_permission(client, world, reg):
    login(client, world, "community_worker")
    html = client.get(f"/persons/{reg['head'].pk}/").content.decode()
    assert "查看完整号码" not in html
    response = client.post(f"/persons/{reg['head'].pk}/reveal/", {"purpose": "入户核实"})
    assert response.status_code == 403 and "您没有查看完整个人信息的权限" in response.content.decode()
    assert not AuditEntry.objects.filter(action="view_pii").exists()


def test_revealing_needs_a_purpose(client, world, reg):
    login(client, world, "street_staff")
    response = client.post(f"/persons/{reg['head'].pk}/reveal/", {"purpose": " "})
    assert response.status_code == 400
    assert "请填写查看用途" in response.content.decode()
    assert reg["head"].id_number not in response.content.decode()


def test_revealing_shows_the_numbers_once_and_audits_it(client, world, reg):
    staff = login(client, world, "street_staff")
    head = reg["head"]
    assert "查看完整号码" in client.get(f"/persons/{head.pk}/").content.decode()
    html = client.post(f"/persons/{head.pk}/reveal/", {"purpose": "入户走访核实身份"}).content.decode()
    assert head.id_number in html and "13812345678" in html
    entry = AuditEntry.objects.get(action="view_pii")
    assert (entry.actor, entry.object_ids, entry.purpose) == (staff, [head.pk], "入户走访核实身份")
    assert head.id_number not in client.get(f"/persons/{head.pk}/").content.decode()


def valid_post(world, **over):
    return {
        "name": "陈晓明",
        "id_type": "resident",
        "id_number": factories.resident_id(date(1991, 6, 9)),
        "phone": "13700001234",
        "residence_type": "floating",
        "household": "",
        "grid": world.grid_a1b.pk,
        "relationship": "",
        "ethnicity": "汉族",
        **over,
    }


def test_creating_a_person_derives_birth_date_and_gender(client, world, reg):
    login(client, world, "community_worker")
    response = client.post("/persons/new/", valid_post(world))
    person = Person.objects.get(name="陈晓明")
    assert response.status_code == 302 and response["Location"] == f"/persons/{person.pk}/"
    assert (person.birth_date, person.gender, person.grid, person.residence_type) == (
        date(1991, 6, 9),
        "M",
        world.grid_a1b,
        "floating",
    )


def test_creating_into_a_household_by_its_number(client, world, reg):
    login(client, world, "community_worker")
    client.post("/persons/new/", valid_post(world, household="H0001", relationship="child", grid=""))
    person = Person.objects.get(name="陈晓明")
    assert (person.household, person.grid) == (reg["household"], world.grid_a1)


def test_the_create_form_shows_service_errors_in_chinese_next_to_the_fields(client, world, reg):
    login(client, world, "community_worker")
    response = client.post(
        "/persons/new/", valid_post(world, name="", id_number="110101199003071234", phone="12345", ethnicity="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["姓名不能为空"]
    assert errors["id_number"] == ["身份证号码校验位不正确"]
    assert "电话号码应为11位手机号" in errors["phone"][0]
    html = response.content.decode()
    assert 'id="id_name_error" role="alert">姓名不能为空<' in html and "提交没有成功" in html
    assert Person.objects.filter(name="陈晓明").count() == 0


def test_an_unknown_or_out_of_scope_household_number_is_a_field_error(client, world, reg):
    estate = Estate.objects.create(region=world.community_b1, name="外区小区")
    Household.objects.create(number="H9999", house=factories.house(world.grid_b1, estate))
    login(client, world, "community_worker")
    response = client.post("/persons/new/", valid_post(world, household="H9999"))
    assert response.status_code == 400
    assert response.context["form"].errors["household"] == ["未找到该户号，或该户不在您的管辖范围内"]


def test_the_create_form_prefills_the_household_from_the_household_file(client, world, reg):
    login(client, world, "community_worker")
    form = client.get("/persons/new/", {"household": "H0001"}).context["form"]
    assert form["household"].value() == "H0001"


def test_the_edit_form_never_contains_full_numbers(client, world, reg):
    login(client, world, "street_staff")
    html = client.get(f"/persons/{reg['head'].pk}/edit/").content.decode()
    assert reg["head"].id_number not in html and "13812345678" not in html
    assert mask_id_number(reg["head"].id_number) in html  # as the placeholder
    assert f'name="version" value="{reg["head"].version}"' in html


def test_editing_keeps_numbers_left_blank_and_bumps_the_version(client, world, reg):
    login(client, world, "community_worker")
    head = reg["head"]
    data = valid_post(
        world,
        name="王建国",
        id_number="",
        phone="",
        household="H0001",
        relationship="head",
        employer="区图书馆",
        version=head.version,
        residence_type="registered",
    )
    response = client.post(f"/persons/{head.pk}/edit/", data)
    assert response.status_code == 302
    head.refresh_from_db()
    assert (head.employer, head.phone, head.version) == ("区图书馆", "13812345678", 2)
    assert head.id_number == reg["head"].id_number


def test_a_stale_version_shows_the_conflict_and_keeps_the_input(client, world, reg):
    worker = login(client, world, "community_worker")
    head = reg["head"]
    services.person_update(user=worker, pk=head.pk, version=head.version, data={"employer": "先保存的单位"})
    data = valid_post(
        world,
        name="王建国",
        id_number="",
        phone="",
        household="H0001",
        relationship="head",
        employer="我填写的单位",
        version=1,
        residence_type="registered",
    )
    response = client.post(f"/persons/{head.pk}/edit/", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "数据已被他人修改，请刷新后重试" in html
    assert 'value="我填写的单位"' in html and 'name="version" value="1"' in html
    head.refresh_from_db()
    assert head.employer == "先保存的单位"


def test_roles_outside_the_registry_cannot_create(client, world, reg):
    login(client, world, "dept_handler")
    assert client.get("/persons/").context["page"].paginator.count == 0
    for response in (client.get("/persons/new/"), client.post("/persons/new/", valid_post(world))):
        assert response.status_code == 403 and "您的角色不能维护人口信息" in response.content.decode()
    assert not Person.objects.filter(name="陈晓明").exists()


def test_tags_are_added_and_removed_from_the_detail_page(client, world, reg):
    login(client, world, "community_worker")
    wife = reg["wife"]
    response = client.post(f"/persons/{wife.pk}/tags/", {"tag": "disabled", "grade": ""})
    assert response.status_code == 400 and "残疾人须填写等级（1-4级）" in response.content.decode()
    assert client.post(f"/persons/{wife.pk}/tags/", {"tag": "disabled", "grade": "2"}).status_code == 302
    assert PersonTag.objects.get(person=wife, tag__code="disabled").grade == 2
    history = client.get(f"/persons/{wife.pk}/").context["history"]
    assert (history[0].action, history[0].changes[0].after) == ("添加标签", "残疾人（2级）")
    assert client.post(f"/persons/{wife.pk}/tags/disabled/remove/").status_code == 302
    assert not PersonTag.objects.filter(person=wife, tag__code="disabled").exists()


def test_sensitive_tags_cannot_be_added_without_the_permission(client, world, reg):
    login(client, world, "community_worker")
    response = client.post(f"/persons/{reg['head'].pk}/tags/", {"tag": "mental_disorder"})
    assert response.status_code == 400
    assert not PersonTag.objects.filter(person=reg["head"], tag__code="mental_disorder").exists()


def test_live_validation_answers_one_fields_error(client, world, reg):
    login(client, world, "community_worker")
    url = reverse("people:person_validate")
    data = valid_post(world, id_number="110101199003071234")
    response = client.post(url, data, headers={"HX-Request": "true", "HX-Trigger-Name": "id_number"})
    assert response.content.decode().strip() == (
        '<span class="field-error" id="id_id_number_error" role="alert">身份证号码校验位不正确</span>'
    )
    ok = client.post(url, valid_post(world), headers={"HX-Trigger-Name": "id_number"}).content.decode()
    assert 'role="alert"></span>' in ok
    assert Person.objects.filter(name="陈晓明").count() == 0
