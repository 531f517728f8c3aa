"""The maps' settings are refused at start, not by the first search."""

from linli.maps.apps import geocoder_setting


def test_a_geocoder_setting_that_names_no_geocoder_is_refused_at_start(settings):
    assert geocoder_setting() == []
    for wrong in ("linli.maps.geocoders.Nowhere", "linli.maps.rules.Place"):
        settings.LINLI_GEOCODER = wrong
        assert [e.id for e in geocoder_setting()] == ["maps.E001"]
