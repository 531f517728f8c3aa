"""The region nodes kept in memory (linli.core.reference): read once, dropped when this process changes a region,
so the next page shows the change."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core import reference
from linli.regions import services as region_services
from linli.regions.models import Region
from linli.regions.selectors import scope_nodes, subtree_nodes
from linli.testing import factories


def reads(path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        subtree_nodes(path)
    return len(ctx.captured_queries)


def test_a_scope_is_read_once_and_then_kept(world):
    assert reads(world.street_a.path) == 1
    assert reads(world.street_a.path) == 0
    names = [n.name for n in scope_nodes(user=world.users["street_staff"])]
    assert names == ["甲街道", "甲一社区", "甲一1号网格", "甲一2号网格", "甲二社区", "甲二1号网格"]


def test_each_scope_is_kept_apart(world):
    street = subtree_nodes(world.street_a.path)
    community = subtree_nodes(world.community_b1.path)
    assert {n.pk for n in street}.isdisjoint({n.pk for n in community})
    assert subtree_nodes(None) == ()
    assert len(subtree_nodes("")) == Region.objects.count()


def test_a_change_saved_in_this_process_drops_what_was_kept(world, django_capture_on_commit_callbacks):
    subtree_nodes(world.street_a.path)
    with django_capture_on_commit_callbacks(execute=True):
        region_services.region_update(
            user=world.users["admin"], pk=world.grid_a1.pk, version=world.grid_a1.version, name="甲一东网格"
        )
    assert "甲一东网格" in [n.name for n in subtree_nodes(world.street_a.path)]


def test_a_value_read_inside_the_writing_transaction_is_dropped_at_commit(world, django_capture_on_commit_callbacks):
    """The save drops the kept value; a read before the commit keeps what the transaction sees; the commit drops
    that too, so no process keeps a value that another transaction could still roll back."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Region.objects.filter(pk=world.grid_a1.pk).update(name="未提交的名字")
        world.grid_a1.refresh_from_db()
        world.grid_a1.save()
        assert "未提交的名字" in [n.name for n in subtree_nodes(world.street_a.path)]
    assert callbacks
    assert reads(world.street_a.path) == 1


def test_forget_drops_everything(world):
    reads(world.street_a.path)
    reference.forget()
    assert reads(world.street_a.path) == 1


@pytest.mark.parametrize("url", ["/persons/", "/households/", "/cases/all/"])
def test_a_renamed_grid_shows_in_the_next_filter_at_once(client, world, url):
    client.force_login(world.users["street_staff"])
    assert "甲一1号网格" in client.get(url).content.decode()
    region_services.region_update(
        user=world.users["admin"], pk=world.grid_a1.pk, version=world.grid_a1.version, name="甲一东网格"
    )
    page = client.get(url).content.decode()
    assert "甲一东网格" in page
    assert "甲一1号网格" not in page


def test_a_list_names_the_grid_of_a_row_made_by_another_process_since_the_names_were_kept(client, world):
    client.force_login(world.users["street_staff"])
    client.get("/persons/")  # the region names are kept
    (grid,) = factories.regions((world.community_a1, Region.Level.GRID, "210103001001009", "甲一9号网格", {}))
    factories.person(grid, None, name="新来的居民")
    page = client.get("/persons/").content.decode()
    assert re.search(r"新来的居民.*?甲一9号网格", page, re.S)
