import csv
import io

from linli.surveys.frames import rules, services

from .make import census_frozen, survey


def test_a_draw_is_published_verified_and_its_population_downloadable(client, world):
    census = survey(world)
    frame = census_frozen(world, census, households=20, areas=2)
    client.force_login(world.users["community_worker"])
    page = client.get(f"/surveys/frames/{census.pk}/").content.decode()
    # A community sees the frame but draws nothing.
    assert frame.digest in page and "长表户抽选" in page and "/draws/long_form/new/" not in page
    draw = services.long_form_draw(user=world.users["street_staff"], survey_id=census.pk, seed="福彩3D 527")

    page = client.get(f"/surveys/frames/{census.pk}/draws/long_form/verify/").content.decode()
    assert "福彩3D 527" in page and draw.population_digest in page and "核验一致" in page
    for unit in frame.frame_units.filter(form_role="long"):
        assert unit.label in page and f"{rules.ticket('福彩3D 527', unit.key):064x}"[:16] in page

    response = client.get(f"/surveys/frames/{census.pk}/draws/long_form/population.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "名录序号", "名录键", "分层", "中选"]
    keys, strata = [r[2] for r in rows[1:]], [r[3] for r in rows[1:]]
    assert rules.digest(keys) == draw.population_digest
    drawn = rules.draw(keys, draw.percent, draw.seed, strata)
    assert [int(r[4]) for r in rows[1:]] == [1 if i in drawn else 0 for i in range(len(keys))]


def test_a_draw_from_the_page_with_a_bad_seed_says_why(client, world):
    census = survey(world)
    census_frozen(world, census, households=3, areas=1)
    client.force_login(world.users["street_staff"])
    response = client.post(f"/surveys/frames/{census.pk}/draws/long_form/new/", {"seed": "a\u202eb"}, follow=True)
    assert "随机种子" in response.content.decode() or "方向" in response.content.decode()
    assert not census.draws.exists()
    response = client.post(f"/surveys/frames/{census.pk}/draws/long_form/new/", {"seed": "20261101"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/surveys/frames/{census.pk}/draws/long_form/"
    assert "已抽取 1 个" in response.content.decode()
