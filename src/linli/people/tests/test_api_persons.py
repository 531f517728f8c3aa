"""/api/v1/persons: create, read masked, update with a version, reveal with an audit, tags, filters."""

from datetime import date

import pytest

from linli.audit.models import AuditEntry
from linli.core.pii import mask_id_number
from linli.people.models import Estate, Household, Person, PersonTag, Tag
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors


@pytest.fixture
def household(world):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    house = factories.house(world.grid_a1, estate, building="3", unit="2", number="501")
    return Household.objects.create(number="H0001", house=house)


@pytest.fixture
def worker(world):
    return ApiClient(world.users["community_worker"])


@pytest.fixture
def street(world):
    """street_staff holds the PII and sensitive-tag permissions."""
    return ApiClient(world.users["street_staff"])


ID_NUMBER = factories.resident_id(date(1990, 3, 7), female=True)


def new_person(**over):
    return {
        "name": "李秀英",
        "id_number": ID_NUMBER,
        "phone": "13912345678",
        "ethnicity": "汉",
        "residence_type": "户籍人口",
        "relationship": "户主",
        **over,
    }


def create(api, household, **over):
    response = api.post("/persons", new_person(household_id=household.pk, **over))
    assert response.status_code == 201, response.content
    return response.json()


# ---------------------------------------------------------------- create


def test_create_answers_the_person_masked_with_labels(worker, household):
    body = create(worker, household)
    assert body["id_number"] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
    assert body["phone"] == "139****5678"
    assert (body["gender"], body["gender_label"], body["birth_date"]) == ("F", "女", "1990-03-07")
    assert (body["residence_type"], body["residence_type_label"]) == ("registered", "户籍人口")
    assert (body["relationship"], body["relationship_label"]) == ("head", "户主")
    assert (body["id_type"], body["id_type_label"]) == ("resident", "居民身份证")
    assert body["ethnicity"] == "汉族"
    assert body["grid"]["name"] == "甲一1号网格"
    assert body["household"] == {"id": household.pk, "number": "H0001"}
    assert body["house"]["address"] == "幸福里3号楼2单元501"
    assert body["version"] == 1 and body["tags"] == []
    person = Person.objects.get(pk=body["id"])
    assert person.id_number == ID_NUMBER  # stored whole (encrypted), shown masked


def test_create_with_a_grid_and_no_household(worker, world):
    response = worker.post("/persons", new_person(grid_id=world.grid_a1.pk))
    assert response.status_code == 201
    assert response.json()["household"] is None and response.json()["house"] is None


def test_a_wrong_check_digit_is_named_in_chinese_and_nothing_is_saved(worker, household):
    bad = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    response = worker.post("/persons", new_person(household_id=household.pk, id_number=bad))
    assert response.status_code == 400
    assert response.json()["detail"] == "提交的数据有误，请按提示修改"
    assert field_errors(response) == {"id_number": "身份证号码校验位不正确"}
    assert not Person.objects.exists()


def test_several_bad_fields_are_reported_together(worker, household):
    response = worker.post(
        "/persons", new_person(household_id=household.pk, phone="12345", ethnicity="火星", education="博士后")
    )
    errors = field_errors(response)
    assert response.status_code == 400
    assert set(errors) == {"phone", "ethnicity", "education"}
    assert errors["ethnicity"] == "民族应为56个民族之一，如“汉族”"
    assert errors["education"].startswith("文化程度应为：")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": None}, "name", "应为文本"),
        ({"birth_date": "七月"}, "birth_date", "日期格式应为YYYY-MM-DD"),
        ({"household_id": "甲"}, "household_id", "应为整数"),
    ],
)
def test_schema_errors_name_the_field_in_chinese(worker, household, change, field, message):
    response = worker.post("/persons", {**new_person(household_id=household.pk), **change})
    assert response.status_code == 400
    assert field_errors(response) == {field: message}


def test_a_missing_required_field(worker, household):
    data = new_person(household_id=household.pk)
    del data["id_number"]
    response = worker.post("/persons", data)
    assert field_errors(response) == {"id_number": "此项为必填项"}


def test_a_person_needs_a_household_or_a_grid(worker):
    response = worker.post("/persons", new_person())
    assert (response.status_code, field_errors(response)) == (400, {"household": "请选择所属户或网格"})


def test_the_same_id_number_twice_is_refused(worker, household):
    create(worker, household)
    response = worker.post("/persons", new_person(household_id=household.pk, id_number=ID_NUMBER.lower()))
    assert field_errors(response) == {"id_number": "该证件号码已登记，请勿重复录入"}


def test_placing_a_person_out_of_scope_answers_404(world, household):
    response = ApiClient(world.users["community_worker2"]).post("/persons", new_person(household_id=household.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该记录或无权访问"


# ---------------------------------------------------------------- read


def test_list_and_detail_never_show_the_whole_numbers(street, worker, household):
    body = create(worker, household)
    for response in (street.get("/persons"), street.get(f"/persons/{body['id']}")):
        assert response.status_code == 200
        assert ID_NUMBER not in response.content.decode()
        assert "13912345678" not in response.content.decode()
    assert street.get("/persons").json()["items"][0]["phone"] == "139****5678"


def test_list_is_paginated(world, worker):
    for i in range(25):
        factories.person(world.grid_a1, name=f"居民{i}")
    first = worker.get("/persons").json()
    assert (first["count"], len(first["items"])) == (25, 20)
    second = worker.get("/persons", {"page": 2}).json()
    assert len(second["items"]) == 5
    assert worker.get("/persons", {"page_size": 10}).json()["items"].__len__() == 10


def test_page_size_is_capped_at_100(world, worker):
    Person.objects.bulk_create(
        Person(name=f"居民{i}", id_number=f"P{i:07d}", id_hash=f"h{i}", gender="M", grid=world.grid_a1)
        for i in range(105)
    )
    body = worker.get("/persons", {"page_size": 500}).json()
    assert (body["count"], len(body["items"])) == (105, 100)


def test_only_visible_tags_are_shown(world, worker, street, household):
    body = create(worker, household)
    person = Person.objects.get(pk=body["id"])
    PersonTag.objects.create(person=person, tag=Tag.objects.get(code="subsistence"))
    PersonTag.objects.create(person=person, tag=Tag.objects.get(code="community_correction"))
    seen_by_worker = [t["code"] for t in worker.get(f"/persons/{person.pk}").json()["tags"]]
    seen_by_street = [t["code"] for t in street.get(f"/persons/{person.pk}").json()["tags"]]
    assert seen_by_worker == ["subsistence"]
    assert sorted(seen_by_street) == ["community_correction", "subsistence"]
    assert [t["code"] for t in worker.get("/persons").json()["items"][0]["tags"]] == ["subsistence"]


def test_tags_endpoint_lists_only_visible_tags(worker, street):
    worker_codes = {t["code"] for t in worker.get("/tags", {"page_size": 100}).json()["items"]}
    street_codes = {t["code"] for t in street.get("/tags", {"page_size": 100}).json()["items"]}
    assert "mental_disorder" not in worker_codes and "mental_disorder" in street_codes
    assert worker_codes < street_codes


# ---------------------------------------------------------------- update


def test_patch_changes_only_what_was_sent_and_bumps_the_version(worker, household):
    body = create(worker, household)
    response = worker.patch(f"/persons/{body['id']}", {"version": 1, "employer": "市一医院", "education": "本科"})
    assert response.status_code == 400  # "本科" is not a label; the error names the field
    assert "education" in field_errors(response)
    response = worker.patch(f"/persons/{body['id']}", {"version": 1, "employer": "市一医院", "education": "大学本科"})
    assert response.status_code == 200
    updated = response.json()
    assert (updated["employer"], updated["education"], updated["education_label"]) == (
        "市一医院",
        "bachelor",
        "大学本科",
    )
    assert (updated["name"], updated["phone"], updated["version"]) == ("李秀英", "139****5678", 2)


def test_a_stale_version_answers_409_and_changes_nothing(worker, household):
    body = create(worker, household)
    assert worker.patch(f"/persons/{body['id']}", {"version": 1, "employer": "市一医院"}).status_code == 200
    stale = worker.patch(f"/persons/{body['id']}", {"version": 1, "employer": "区二中"})
    assert stale.status_code == 409
    assert stale.json() == {"detail": "数据已被他人修改，请刷新后重试", "errors": []}
    assert Person.objects.get(pk=body["id"]).employer == "市一医院"


def test_patch_needs_the_version(worker, household):
    body = create(worker, household)
    response = worker.patch(f"/persons/{body['id']}", {"employer": "市一医院"})
    assert (response.status_code, field_errors(response)) == (400, {"version": "此项为必填项"})


def test_patch_validates_like_create(worker, household):
    body = create(worker, household)
    response = worker.patch(f"/persons/{body['id']}", {"version": 1, "phone": "110"})
    assert response.status_code == 400 and "phone" in field_errors(response)
    assert Person.objects.get(pk=body["id"]).version == 1


def test_patch_moves_a_person_to_another_grid(world, worker, household):
    body = create(worker, household)
    response = worker.patch(
        f"/persons/{body['id']}", {"version": 1, "household_id": None, "grid_id": world.grid_a1b.pk}
    )
    assert response.status_code == 200
    assert (response.json()["grid"]["id"], response.json()["household"]) == (world.grid_a1b.pk, None)


# ---------------------------------------------------------------- reveal


def test_reveal_shows_the_numbers_and_is_audited(world, worker, street, household):
    body = create(worker, household)
    response = street.post(f"/persons/{body['id']}/reveal", {"purpose": "入户走访核实身份"})
    assert response.status_code == 200
    assert response.json() == {"id_number": ID_NUMBER, "phone": "13912345678"}
    entry = AuditEntry.objects.get(action="view_pii")
    assert (entry.actor, entry.object_type, entry.object_ids, entry.purpose) == (
        world.users["street_staff"],
        "person",
        [body["id"]],
        "入户走访核实身份",
    )
    assert entry.ip == "127.0.0.1"


def test_reveal_without_the_permission_is_refused_and_not_audited(worker, household):
    body = create(worker, household)
    response = worker.post(f"/persons/{body['id']}/reveal", {"purpose": "入户走访核实身份"})
    assert (response.status_code, response.json()["detail"]) == (403, "您没有查看完整个人信息的权限")
    assert not AuditEntry.objects.filter(action="view_pii").exists()


def test_reveal_needs_a_purpose(worker, street, household):
    body = create(worker, household)
    assert field_errors(street.post(f"/persons/{body['id']}/reveal", {"purpose": " "})) == {"purpose": "请填写查看用途"}
    assert field_errors(street.post(f"/persons/{body['id']}/reveal", {})) == {"purpose": "此项为必填项"}
    assert not AuditEntry.objects.filter(action="view_pii").exists()


# ---------------------------------------------------------------- tags


def test_set_and_remove_a_tag(worker, household):
    body = create(worker, household)
    response = worker.post(f"/persons/{body['id']}/tags", {"tag": "disabled", "grade": 2, "note": "肢体"})
    assert response.status_code == 200
    assert response.json()["tags"] == [{"code": "disabled", "name": "残疾人", "grade": 2, "note": "肢体"}]
    again = worker.post(f"/persons/{body['id']}/tags", {"tag": "disabled", "grade": 3})
    assert [t["grade"] for t in again.json()["tags"]] == [3]  # setting again changes the grade
    assert worker.delete(f"/persons/{body['id']}/tags/disabled").status_code == 204
    assert worker.get(f"/persons/{body['id']}").json()["tags"] == []


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({"tag": "disabled"}, {"grade": "残疾人须填写等级（1-4级）"}),
        ({"tag": "subsistence", "grade": 1}, {"grade": "低保户不分等级"}),
        ({"tag": "no-such-tag"}, {"tag": "标签不存在"}),
        ({"tag": "community_correction"}, {"tag": "标签不存在"}),  # sensitive: this user may not see it
    ],
)
def test_bad_tags_are_named(worker, household, payload, errors):
    body = create(worker, household)
    response = worker.post(f"/persons/{body['id']}/tags", payload)
    assert (response.status_code, field_errors(response)) == (400, errors)
    assert not PersonTag.objects.exists()


# ---------------------------------------------------------------- filters


@pytest.fixture
def people(world):
    """Five people of known ages (on today) in three grids of two streets."""
    today = date.today()
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    household = Household.objects.create(number="H0009", house=factories.house(world.grid_a1, estate))

    def born(age):
        return date(today.year - age, today.month, 1 if today.month == 2 and today.day == 29 else today.day)

    made = {
        "child": factories.person(world.grid_a1, household, name="王小明", birth=born(9), phone="13800000001"),
        "sixty": factories.person(world.grid_a1, household, name="王建国", birth=born(60), phone="13800000002"),
        "old": factories.person(world.grid_a1b, name="刘桂兰", birth=born(80), female=True, phone="13800000003"),
        "floating": factories.person(
            world.grid_a2, name="赵强", birth=born(35), phone="024-88886666", residence_type="floating"
        ),
        "far": factories.person(world.grid_b1, name="孙丽", birth=born(40), female=True, phone="13800000005"),
    }
    PersonTag.objects.create(person=made["old"], tag=Tag.objects.get(code="elderly_alone"))
    PersonTag.objects.create(person=made["sixty"], tag=Tag.objects.get(code="mental_disorder"))
    made["estate"], made["household"] = estate, household
    return made


def names(api, **params):
    response = api.get("/persons", params)
    assert response.status_code == 200, response.content
    return {p["name"] for p in response.json()["items"]}


def found(api, **body):
    """POST /persons/search: the full numbers go in the body."""
    response = api.post("/persons/search", body)
    assert response.status_code == 200, response.content
    return {p["name"] for p in response.json()["items"]}


def test_filters(world, people):
    admin = ApiClient(world.users["admin"])
    assert names(admin) == {"王小明", "王建国", "刘桂兰", "赵强", "孙丽"}
    assert found(admin, id_number=people["old"].id_number) == {"刘桂兰"}
    assert found(admin, id_number=people["old"].id_number.lower()) == {"刘桂兰"}
    assert found(admin, id_number=people["old"].id_number[:-1]) == set()  # exact only
    assert found(admin, phone="13800000002") == {"王建国"}
    assert found(admin, phone="1380000000") == set()
    assert found(admin, phone="024-88886666") == {"赵强"}
    assert found(admin, phone="13800000002", gender="F") == set()  # with the list's filters
    assert found(admin, phone="13800000002", household=people["household"].pk) == {"王建国"}
    assert found(admin, name="王") == {"王建国", "王小明"}
    assert names(admin, name="王") == {"王建国", "王小明"}
    assert names(admin, gender="F") == {"刘桂兰", "孙丽"}
    assert names(admin, residence_type="floating") == {"赵强"}
    assert names(admin, grid=world.grid_a1b.pk) == {"刘桂兰"}
    assert names(admin, region=world.street_a.pk) == {"王小明", "王建国", "刘桂兰", "赵强"}
    assert names(admin, region=world.community_a1.pk) == {"王小明", "王建国", "刘桂兰"}
    assert names(admin, household=people["household"].pk) == {"王建国", "王小明"}
    assert names(admin, estate=people["estate"].pk) == {"王建国", "王小明"}
    assert names(admin, tag="elderly_alone") == {"刘桂兰"}
    assert names(admin, tag="elderly_alone", grid=world.grid_a1.pk) == set()  # filters combine


def test_age_range_is_inclusive_on_today(world, people):
    admin = ApiClient(world.users["admin"])
    assert names(admin, age_min=60) == {"刘桂兰", "王建国"}
    assert names(admin, age_max=9) == {"王小明"}
    assert names(admin, age_min=35, age_max=60) == {"王建国", "赵强", "孙丽"}
    assert names(admin, age_min=61, age_max=79) == set()


def test_filters_stay_within_scope(world, people):
    worker = ApiClient(world.users["community_worker"])
    assert found(worker, id_number=people["far"].id_number) == set()
    assert found(worker, phone=people["far"].phone) == set()
    assert worker.get("/persons", {"region": world.street_b.pk}).status_code == 404


def test_a_sensitive_tag_filters_nothing_for_who_may_not_see_it(world, people):
    assert names(ApiClient(world.users["community_worker"]), tag="mental_disorder") == set()
    assert names(ApiClient(world.users["street_staff"]), tag="mental_disorder") == {"王建国"}


@pytest.mark.parametrize(
    "params, field",
    [({"age_min": -1}, "age_min"), ({"gender": "X"}, "gender"), ({"residence_type": "alien"}, "residence_type")],
)
def test_bad_filters_are_named(world, params, field):
    response = ApiClient(world.users["admin"]).get("/persons", params)
    assert response.status_code == 400 and field in field_errors(response)
    response = ApiClient(world.users["admin"]).post("/persons/search", params)
    assert response.status_code == 400 and field in field_errors(response)


@pytest.mark.parametrize(("body", "field"), [({"id_number": "1" * 31}, "id_number"), ({"phone": "1" * 21}, "phone")])
def test_overlong_numbers_are_named(world, body, field):
    response = ApiClient(world.users["admin"]).post("/persons/search", body)
    assert response.status_code == 400 and field in field_errors(response)


def test_a_search_answers_masked_numbers(world, people):
    response = ApiClient(world.users["street_staff"]).post("/persons/search", {"phone": "13800000002"})
    [row] = response.json()["items"]
    assert (row["phone"], row["id_number"]) == ("138****0002", mask_id_number(people["sixty"].id_number))
