"""Management commands: open311_key issues a key shown once; cases_escalate supervises overdue cases."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linli.cases.models import Open311Key
from linli.cases.open311 import services as open311_services
from linli.cases.tests.casework import case_in


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_open311_key_is_printed_once_and_stored_hashed(w):
    lines = run("open311_key", "市民通App", contact="张工").splitlines()
    key = lines[1]
    row = Open311Key.objects.get()
    assert (row.name, row.contact, row.active) == ("市民通App", "张工", True)
    assert "市民通App" in lines[0] and "admin" in lines[0]
    assert open311_services.key_check(key) == row
    assert key not in row.key_hash and open311_services.key_check(key + "x") is None


def test_open311_key_needs_a_name_and_an_administrator(w, django_user_model):
    with pytest.raises(CommandError, match="请填写应用名称"):
        run("open311_key", "  ")
    django_user_model.objects.filter(username="admin").update(is_active=False)
    with pytest.raises(CommandError, match="没有可用的系统管理员账号"):
        run("open311_key", "市民通App")
    assert Open311Key.objects.count() == 0


def test_cases_escalate_supervises_overdue_cases_once(w):
    late = case_in(w.grid_a1, "dispatched", dispatched_at=timezone.now() - timedelta(days=30))
    case_in(w.grid_a1, "dispatched")
    assert run("cases_escalate").startswith("已自动督办 1 件超期案件")
    late.refresh_from_db()
    assert late.supervision_level == 2  # three working days and more past the deadline: 挂牌督办
    assert late.events.last().actor_label == "系统"
    assert run("cases_escalate").startswith("已自动督办 0 件超期案件")


def test_cases_catalogue_installs_once_for_a_district(world):
    from linli.cases.models import Category

    assert "已新增 47 个事件小类" in run("cases_catalogue", world.district.code)
    assert Category.objects.filter(parent__isnull=False).count() == 47
    assert "已新增 0 个事件小类" in run("cases_catalogue", world.district.code)
    with pytest.raises(CommandError, match="没有区划代码"):
        run("cases_catalogue", world.street_a.code)


def test_cases_catalogue_keeps_the_rows_it_finds_and_adds_the_rest(world):
    from linli.cases import catalogue
    from linli.cases.models import Category
    from linli.cases.services import catalogue_install
    from linli.organizations.models import Organization

    code, _, minors = catalogue.CATEGORIES[0]
    major = Category.objects.create(code=code, name="改过名的大类", sort=9)
    Category.objects.create(code=minors[0][0], parent=major, name="改过名的小类", response_limit=1, handle_limit=2)
    assert catalogue_install(district=world.district) == 46
    assert Category.objects.get(code=code).name == "改过名的大类"
    assert Category.objects.get(code=minors[0][0]).name == "改过名的小类"
    assert Category.objects.get(code=minors[1][0]).parent == major
    # The persona district's department is the catalogue's, not a second one of the same name.
    assert Organization.objects.filter(name="区城市管理综合执法局").count() == 1
    assert Organization.objects.filter(kind="department").count() == len(catalogue.DEPARTMENTS)
