"""Maps in the browser: the registry drawn as the base map, picking the point by a building, and address search
(case intake on a desktop, the residents' form on a phone)."""

import pytest
from playwright.sync_api import expect

from linli.people.models import Building, Estate, House
from linli.testing import factories

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[123.40, 41.78], [123.44, 41.78], [123.44, 41.81], [123.40, 41.81], [123.40, 41.78]]],
}


@pytest.fixture
def estate(world):
    factories.install_case_catalogue(world)
    for node in (world.community_a1, world.grid_a1):
        node.boundary = SQUARE
        node.save()
    golden = Estate.objects.create(
        region=world.community_a1, name="金域花园", address="大南街195号", latitude="41.7950", longitude="123.4200"
    )
    for number, lon in (("7", "123.4195"), ("8", "123.4205")):
        factories.house(world.grid_a1, golden, building=number, unit="1", number="101")
        Building.objects.filter(estate=golden, number=number).update(latitude="41.7950", longitude=lon)
    return golden


def test_intake_finds_a_building_by_address_then_picks_its_neighbour_on_the_map(browser_page, estate):
    page = browser_page("street_staff")
    page.goto("/cases/new/")
    page.fill("#address-search", "金域花园7号楼")
    page.locator("[data-search-results] button", has_text="金域花园7号楼").click()
    expect(page.locator("[data-point-status]")).to_contain_text("金域花园7号楼")
    assert (page.input_value("input[name=latitude]"), page.input_value("input[name=longitude]")) == (
        "41.795000",
        "123.419500",
    )
    assert page.input_value("input[name=address]") == "大南街195号金域花园7号楼"

    # The map has moved to the building: the registry's buildings are drawn with their numbers.
    neighbour = page.locator(".building-mark", has_text="8号楼")
    expect(neighbour).to_be_visible()
    neighbour.click()
    expect(page.locator("[data-point-status]")).to_contain_text("金域花园8号楼")
    assert page.input_value("input[name=longitude]") == "123.420500"
    assert page.input_value("input[name=address]") == "大南街195号金域花园8号楼"


def test_a_resident_finds_the_place_by_street_number_on_a_phone(browser_page, estate):
    page = browser_page(None, PHONE)
    page.goto("/report/")
    page.fill("#address-search", "大南街195号")
    page.locator("[data-search-results] button", has_text="金域花园").click()
    expect(page.locator("#map-status")).to_contain_text("甲一1号网格")
    assert page.input_value("#id_latitude") == "41.795000"
    assert page.input_value("#id_address") == "大南街195号金域花园"
    expect(page.locator(".building-mark", has_text="7号楼")).to_be_visible()


def test_nothing_found_says_what_to_try(browser_page, estate):
    page = browser_page(None, PHONE)
    page.goto("/report/")
    page.fill("#address-search", "没有这个小区")
    expect(page.locator("[data-search-status]")).to_contain_text("没有找到")
    assert page.input_value("#id_latitude") == ""


def test_intake_takes_a_house_found_by_address_as_the_cases_house(browser_page, estate):
    house = House.objects.get(unit__building__estate=estate, unit__building__number="7")
    page = browser_page("street_staff")
    page.goto("/cases/new/")
    page.fill("#address-search", "金域花园7号楼1单元101")
    page.locator("[data-search-results] button", has_text="101").first.click()
    expect(page.locator("#house-results input[name=house]:checked")).to_have_value(str(house.pk))
    assert page.input_value("input[name=longitude]") == "123.419500"
