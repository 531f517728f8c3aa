from linli.testing.apiclient import ApiClient

from .make import census_frozen, survey


def test_the_api_freezes_draws_publishes_and_verifies(world):
    census = survey(world)
    census_frozen(world, census, households=12, areas=2)
    api = ApiClient(world.users["street_staff"])
    status = api.get(f"/surveys/frames/{census.pk}").json()
    assert status["frame"]["units"] == 12 and [a["code"] for a in status["areas"]] == ["001", "002"]

    drawn = api.post(f"/surveys/frames/{census.pk}/draws/long_form", {"seed": "527"})
    assert drawn.status_code == 201
    body = drawn.json()
    assert (body["seed"], body["population"], body["drawn"]) == ("527", 12, 1)
    assert body["picks"][0]["area"] in body["strata"] and body["population_digest"] == status["frame"]["digest"]
    assert api.get(f"/surveys/frames/{census.pk}/draws/long_form/verify").json()["ok"] is True

    again = api.post(f"/surveys/frames/{census.pk}/draws/long_form", {"seed": "528"})
    assert again.status_code == 400 and "不能重抽" in again.json()["detail"]
    bad = api.post(f"/surveys/frames/{census.pk}/draws/recheck", {"seed": "x\u202e"})
    assert bad.status_code in (400, 422)  # the schema or the service refuses a bidi control in the seed
