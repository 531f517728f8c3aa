"""Search quality on a small Chinese archive, on whichever database the suite runs (SQLite FTS5 or PostgreSQL):
the right documents for each query, ranked, scoped to the user, narrowed by the filters; files that cannot be read
fail cleanly; the page and the API answer the same in constant queries."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from linli.archives import rules
from linli.archives.models import Item
from linli.archives.search import selectors, services
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered

from . import corpus


@pytest.fixture(scope="module")
def _corpus(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            yield corpus.build()
            transaction.set_rollback(True)


@pytest.fixture
def c(_corpus, db):
    return _corpus


def found(c, persona, query, **filters) -> set[str]:
    got = selectors.search(user=c.world.users[persona], query=query, filters=selectors.Filters(**filters))
    return c.names(h.item.pk for h in got.hits)


@pytest.mark.parametrize(
    "persona, query, expected",
    [
        ("community_worker", "扫黄打非", {"notice", "mention"}),
        ("street_staff", "扫黄打非", {"notice", "mention", "a2", "street"}),
        ("district_staff", "扫黄打非", {"notice", "mention", "a2", "b1", "street", "district"}),
        ("admin", "护苗行动", {"notice", "street", "district"}),
        ("community_worker", "创建文明城区", {"record"}),
        ("community_worker", "文明城区 志愿者", {"record"}),
        ("community_worker", "环境卫生", {"record"}),  # a tag
        ("community_worker", "两个清单", {"lists"}),  # a .docx paragraph
        ("community_worker", "户口登记条例", {"lists"}),  # a .docx table cell
        ("community_worker", "王建国", {"hours"}),  # an .xlsx row
        ("community_worker", "桶前值守", {"sorting"}),  # a .pdf page
        ("community_worker", "扫描件", {"damaged"}),  # a file that cannot be read: its title is still found
        ("community_worker", "核酸检测", set()),
        ("community_worker2", "两个清单", set()),  # another community's
        ("grid_worker", "扫黄打非", set()),  # no box is a grid's
    ],
)
def test_queries_find_the_right_documents_of_the_users_scope(c, persona, query, expected):
    assert found(c, persona, query) == expected


def test_a_title_ranks_above_a_mention_in_the_text_and_snippets_mark_the_words(c):
    got = selectors.search(user=c.world.users["community_worker"], query="扫黄打非")
    assert [c.names([h.item.pk]) for h in got.hits] == [{"notice"}, {"mention"}]
    assert "<mark>扫黄打非</mark>" in got.hits[0].title
    assert got.hits[1].snippet == "全年开展各类活动二十次，其中<mark>扫黄打非</mark>宣传三次。"
    xlsx = selectors.search(user=c.world.users["community_worker"], query="王建国").hits[0]
    assert "<mark>王建国</mark> 12" in xlsx.snippet


def test_filters_narrow_by_box_category_year_and_region(c):
    district = "district_staff"
    assert found(c, district, "扫黄打非", year=2025) == {"mention"}
    assert found(c, district, "扫黄打非", category=c.categories["上级文件"].pk) == {"notice", "district"}
    assert found(c, district, "扫黄打非", box=c.boxes["a2_piracy"].pk) == {"a2"}
    assert found(c, district, "扫黄打非", region=c.world.street_b.pk) == {"b1"}
    assert found(c, district, "清理", region=c.world.grid_a1.pk) == {"record"}


def test_unreadable_files_stand_failed_and_readable_ones_indexed(c):
    states = dict(Item.objects.filter(pk__in=c.ids.values()).values_list("pk", "index_state"))
    assert {k for k, pk in c.ids.items() if states[pk] == rules.FAILED} == {"damaged", "forged"}
    assert Item.objects.get(pk=c.ids["hours"]).file_text.startswith("时长\n姓名 小时\n王建国 12")


def test_a_changed_item_is_found_by_its_new_words_and_a_deleted_one_not_at_all(c):
    item = Item.objects.get(pk=c.ids["record"])
    item.title, item.version = "垃圾分类桶前值守记录", item.version + 1
    item.save()
    services.item_changed(item.pk)
    assert found(c, "community_worker", "楼道堆物") == {"record"}  # still in its text
    assert found(c, "community_worker", "垃圾分类") == {"record", "sorting"}
    Item.objects.filter(pk=c.ids["notice"]).delete()
    services.item_deleted(c.ids["notice"])
    assert found(c, "community_worker", "扫黄打非") == {"mention"}


def test_an_index_task_that_finds_its_item_changed_again_leaves_it_to_the_next(c, monkeypatch):
    pk = c.ids["a2"]
    Item.objects.filter(pk=pk).update(index_state=rules.PENDING)

    def changed_meanwhile(item):
        Item.objects.filter(pk=pk).update(version=item.version + 1)  # saved again while the task read the file
        return "", rules.INDEXED

    monkeypatch.setattr(services, "file_text_of", changed_meanwhile)
    services.index_item.enqueue(pk)
    assert Item.objects.get(pk=pk).index_state == rules.PENDING  # the change's own task indexes it


def test_the_reindex_rebuilds_the_same_answers(c):
    before = found(c, "district_staff", "扫黄打非")
    counts = services.reindex()
    assert counts == {rules.INDEXED: 10, rules.FAILED: 2}
    assert found(c, "district_staff", "扫黄打非") == before


def test_a_query_without_words_or_a_user_without_the_archive_is_refused(c):
    with pytest.raises(ValidationFailed):
        selectors.search(user=c.world.users["district_staff"], query="的 了，。")
    with pytest.raises(PermissionDenied):
        selectors.search(user=c.world.users["dept_handler"], query="扫黄打非")


def test_the_page_shows_marked_hits_in_constant_queries(c, client, django_assert_max_num_queries):
    client.force_login(c.world.users["district_staff"])
    url = reverse("archives_search:search")
    for query in ("两个清单", "扫黄打非"):  # one hit, six hits
        with django_assert_max_num_queries(12):
            page = client.get(url, {"q": query})
        assert page.status_code == 200
    body = page.content.decode()
    assert "<mark>扫黄打非</mark>" in body and "乙一社区扫黄打非工作方案" in body.replace("<mark>", "").replace(
        "</mark>", ""
    )
    assert client.get(url, {"q": "的"}).status_code == 400
    assert client.get(url).status_code == 200


def test_the_api_answers_the_selectors_hits(c):
    api = ApiClient(c.world.users["street_staff"])
    got = api.get("/archives/search", {"q": "扫黄打非", "year": 2026})
    assert got.status_code == 200
    assert c.names(h["id"] for h in got.json()["items"]) == {"notice", "a2", "street"}
    assert got.json()["terms"] == ["扫黄打非"] and got.json()["has_next"] is False


ENDPOINTS = [
    #                                                   adm dis str cw  cw2 grd dep com
    Endpoint("GET", "/archives/search?q=%E6%89%AB%E9%BB%84%E6%89%93%E9%9D%9E", "200 200 200 200 200 200 403 403"),
]
CASES = matrix_cases(ENDPOINTS)


def test_each_persona_gets_what_the_table_says(c):
    got, table = answers(c.world.users, CASES, {"in": {}})
    assert got == table
    assert uncovered(ENDPOINTS, "/archives/search") == (set(), set())
    assert anonymous_status(ENDPOINTS[0], {}) == 401


def test_the_demo_archive_is_built_with_readable_files_and_found(c):
    from datetime import datetime

    from linli.demo import archives as demo

    lines = demo.build(now=datetime(2030, 11, 30, 12), seed=7, scale=0)  # years no box of the corpus has
    items = Item.objects.filter(box__note__endswith="台账")
    assert items.count() == 24 and "24 条台账" in lines[0]
    assert not items.exclude(index_state=rules.INDEXED).exists()
    with_files = items.exclude(file="")
    assert with_files.exists() and all(i.file_text for i in with_files)
    assert selectors.search(user=c.world.users["community_worker"], query="台账 工作").hits is not None
