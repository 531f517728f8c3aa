"""The menu and the landing page of each role, from the tables of accounts.roles."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from linli.accounts import roles
from linli.accounts.roles import Role


def user_of(role: Role):
    return SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=False, role=role)


@pytest.mark.parametrize("role", sorted(roles.STAFF_ROLES))
def test_every_staff_role_lands_on_a_page_its_menu_offers(role):
    user = user_of(role)
    name = roles.landing(user)
    reverse(name)  # a page that exists
    entry = {"workbench:home": "workbench", "cases:mobile": "mobile", "cases:todo": "todo"}[name]
    assert entry in roles.menu(user)


def test_residents_land_on_the_portal_and_are_offered_no_staff_page():
    user = user_of(Role.RESIDENT)
    assert roles.landing(user) == "portal:home" and roles.menu(user) == frozenset()


@pytest.mark.parametrize(
    "role, offered, withheld",
    [
        (Role.DEPT_HANDLER, {"todo", "tasks", "plans"}, {"assessment", "imports", "people", "statistics", "workbench"}),
        (Role.COMPANY_STAFF, {"todo", "honours"}, {"assessment", "imports", "people", "statistics", "plans"}),
        (Role.GRID_WORKER, {"mobile", "intake", "people", "todo"}, {"workbench", "dispatch", "supervise"}),
        (Role.COMMUNITY_WORKER, {"workbench", "tasks", "todo", "bulletins"}, {"dispatch", "mobile"}),
        (Role.STREET_STAFF, {"workbench", "dispatch", "supervise", "imports"}, {"todo", "mobile"}),
    ],
)
def test_the_menu_offers_what_the_role_can_use(role, offered, withheld):
    menu = roles.menu(user_of(role))
    assert offered <= menu and not withheld & menu


def test_anonymous_users_get_no_menu_and_the_login_page():
    anonymous = SimpleNamespace(is_authenticated=False, is_active=False, is_superuser=False, role="")
    assert roles.menu(anonymous) == frozenset() and roles.landing(anonymous) == "login"


def test_the_drawn_menu_links_what_the_role_is_offered_and_marks_the_page_open(client, world):
    client.force_login(world.users["grid_worker"])
    html = client.get(reverse("people:person_list")).content.decode()
    nav = html[html.index('<nav class="sidenav"') : html.index("</nav>")]
    assert f'<a href="{reverse("people:person_list")}" aria-current="page">人员</a>' in nav
    assert nav.count('aria-current="page"') == 1
    assert f'href="{reverse("cases:mobile")}"' in nav and f'href="{reverse("cases:workbench")}"' not in nav
    assert 'href="/admin/"' not in nav


def test_each_role_and_page_keeps_its_own_drawn_menu(client, world):
    """The drawn menu is kept per role's entries and page (accounts.templatetags.menu): opened one after another,
    each role still gets its own links and each page its own mark."""

    def nav_of(user: str, name: str) -> str:
        client.force_login(world.users[user])
        html = client.get(reverse(name)).content.decode()
        return html[html.index('<nav class="sidenav"') : html.index("</nav>")]

    grid = nav_of("grid_worker", "people:person_list")
    street = nav_of("street_staff", "people:person_list")
    assert f'href="{reverse("cases:mobile")}"' in grid and f'href="{reverse("cases:mobile")}"' not in street
    assert f'href="{reverse("cases:workbench")}"' in street and f'href="{reverse("cases:workbench")}"' not in grid
    households = nav_of("street_staff", "people:household_list")
    assert f'<a href="{reverse("people:household_list")}" aria-current="page">' in households
    assert f'<a href="{reverse("people:person_list")}" aria-current="page">' in street
    assert 'aria-current="page"' not in households.replace(f'<a href="{reverse("people:household_list")}" aria', "")
    assert nav_of("grid_worker", "people:person_list") == grid
