"""The demo's 社区公告: published in every community and to each kind of audience of the first, about half read; the
worker tells their residents."""

import pytest
from django.utils import timezone

from linli.demo import notices
from linli.notices.models import Notice, NoticeRead
from linli.notices.tests.town import town_of
from linli.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_notices_are_published_in_every_community_and_some_are_read(world, django_capture_on_commit_callbacks):
    town = town_of(world)
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends the messages
        notices.build(now=timezone.now())
    published = Notice.objects.filter(status="published")
    communities = {n.region_id for n in published.filter(audience="community")}
    assert communities == {world.community_a1.pk, world.community_a2.pk, world.community_b1.pk}
    assert set(published.values_list("audience", flat=True)) == {"community", "grid", "estate", "building"}
    assert Notice.objects.filter(status="draft").count() == 1
    reads = NoticeRead.objects.all()
    assert 0 < reads.count() < Message.objects.filter(template="notices.published").count()
    # Nobody reads a notice that does not reach them.
    assert town.residents["unbound"].pk not in set(reads.values_list("resident", flat=True))
