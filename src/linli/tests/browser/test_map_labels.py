"""Map labels are text: a name someone typed with markup in it shows as those characters, never as HTML."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("kind", ["bindTooltip", "bindPopup"])
def test_a_name_with_markup_is_shown_as_typed(browser_page, kind):
    page = browser_page(None)
    page.goto("/login/")
    page.add_script_tag(url="/static/linli/vendor/leaflet/leaflet.js")
    page.add_script_tag(url="/static/linli/leaflet-text.js")
    shown = page.evaluate(
        """(kind) => {
            const box = document.createElement("div");
            box.style.height = "200px";
            document.body.appendChild(box);
            const map = L.map(box).setView([41.8, 123.4], 14);
            const marker = L.marker([41.8, 123.4]).addTo(map);
            marker[kind]('<b id="injected">幸福里</b>');
            kind === "bindTooltip" ? marker.openTooltip() : marker.openPopup();
            const node = document.querySelector(".leaflet-tooltip, .leaflet-popup-content");
            return {text: node.textContent, injected: document.getElementById("injected") !== null};
        }""",
        kind,
    )
    assert shown == {"text": '<b id="injected">幸福里</b>', "injected": False}
