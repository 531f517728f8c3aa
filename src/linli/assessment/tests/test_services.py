"""Services: the standard schemes, rounds, scoring per stage with its permissions, bad input, stale versions,
evidence files and 认定."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from docx import Document
from PIL import Image

from linli.assessment import rules, selectors, services, standard
from linli.assessment.models import Evidence, Round, Scheme, Score
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import messages, play, star_scores


def test_standard_schemes_are_installed_once_and_add_up(world):
    star, keypoint = services.standard_schemes_install(region=world.district)
    assert services.standard_schemes_install(region=world.district) == [star, keypoint]
    assert Scheme.objects.count() == 2
    assert [n.indicator.name for n in selectors.scheme_tree(star)] == list(rules.STAR_ASPECTS)
    assert all(n.points == 10 for n in selectors.scheme_tree(star))
    tree = selectors.scheme_tree(keypoint)
    assert sum(n.points for n in tree) == 100
    assert [c.indicator.name for c in tree[0].children] == ["公共区域卫生", "市容秩序"]
    assert {i.method for i in keypoint.items.all()} == {rules.DEDUCTION, rules.PASSFAIL, rules.SCALE}


def test_install_command(world, capsys):
    call_command("assessment_install", region=world.district.code)
    assert "和谐社区星级评定：10项测评内容" in capsys.readouterr().out
    assert Scheme.objects.filter(key=standard.KEYPOINT_KEY).exists()


def test_a_star_scheme_needs_ten_ten_point_aspects(world):
    data = standard.star_scheme()
    data["indicators"] = data["indicators"][:9]
    with pytest.raises(ValidationFailed) as exc:
        services.scheme_create(user=world.users["district_staff"], data=data)
    assert exc.value.errors[0].field == "indicators"


def test_scheme_errors_name_the_field(world):
    items = [{"content": "x", "max_points": 0}]
    data = {"name": "", "rating": "total", "indicators": [{"name": "卫生", "items": items}]}
    with pytest.raises(ValidationFailed) as exc:
        services.scheme_create(user=world.users["district_staff"], data=data)
    fields = {e.field for e in exc.value.errors}
    assert fields == {"name", "indicators.1.items.1.method", "indicators.1.items.1.max_points"}
    assert Scheme.objects.count() == 0


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker"])
def test_only_organisers_make_schemes(world, persona):
    with pytest.raises(PermissionDenied):
        services.scheme_create(user=world.users[persona], data=standard.keypoint_scheme())


def test_departments_take_no_part(world):
    with pytest.raises(PermissionDenied):
        selectors.scheme_queryset(user=world.users["dept_handler"])


def test_schemes_are_seen_below_and_above(a):
    street_scheme = services.scheme_create(
        user=a.users["street_staff"], data={**standard.keypoint_scheme(), "key": "", "name": "甲街道自定"}
    )
    visible = {
        p: set(selectors.scheme_queryset(user=a.users[p]).values_list("pk", flat=True))
        for p in ("district_staff", "street_staff", "community_worker", "community_worker2")
    }
    assert street_scheme.pk in visible["district_staff"]  # below
    assert a.star.pk in visible["community_worker"]  # above
    root = a.world.street_b
    other = services.scheme_create(
        user=a.users["admin"], data={**standard.keypoint_scheme(), "key": ""}, region_id=root.pk
    )
    assert other.pk not in visible["street_staff"] | set(
        selectors.scheme_queryset(user=a.users["street_staff"]).values_list("pk", flat=True)
    )


def test_round_units_must_be_in_the_organisers_region(a):
    with pytest.raises(ValidationFailed) as exc:
        services.round_create(
            user=a.users["street_staff"], scheme_id=a.star.pk, name="x", period="2025年度", unit_ids=[a.b1.region_id]
        )
    assert exc.value.errors[0].field == "unit_ids"


def test_the_full_round(a):
    play(a, a.a1, 10)
    play(a, a.a2, [9] * 7 + [8] * 3)
    with pytest.raises(ValidationFailed) as exc:
        services.round_confirm(user=a.users["district_staff"], round_id=a.round.pk, version=a.round.version)
    assert "乙一社区尚未完成复核" in messages(exc.value)
    play(a, a.b1, 6)
    # 认定 may adjust before confirming: 甲二 gets one more star at 认定.
    confirm = a.a2.sheets.get(stage=rules.CONFIRM)
    services.sheet_save(
        user=a.users["district_staff"],
        unit_id=a.a2.pk,
        stage=rules.CONFIRM,
        version=confirm.version,
        scores=[{"item_id": a.star.items.order_by("order").last().pk, "points": "9"}],
    )
    rnd = services.round_confirm(user=a.users["district_staff"], round_id=a.round.pk, version=a.round.version)
    assert rnd.status == Round.CONFIRMED
    results = {r.unit.region.name: r for r in selectors.round_results(user=a.users["admin"], round=rnd)}
    assert {n: (r.stars, r.level, r.rank, r.total) for n, r in results.items()} == {
        "甲一社区": (10, "十星级和谐社区", 1, D(100)),
        "甲二社区": (8, "达标社区", 2, D(88)),
        "乙一社区": (0, "未达标", 3, D(60)),
    }
    assert results["甲二社区"].stage_totals == {"self": D(87), "first": D(87), "recheck": D(87), "confirm": D(88)}
    # Locked.
    with pytest.raises(ValidationFailed) as exc:
        services.sheet_save(user=a.users["district_staff"], unit_id=a.a1.pk, stage=rules.CONFIRM, version=99, scores=[])
    assert "已认定" in messages(exc.value)


def test_a_community_worker_sees_only_their_unit_with_its_rank(a):
    play(a, a.a1, 9)
    play(a, a.a2, 10)
    rows = selectors.round_results(user=a.users["community_worker"], round=a.round)
    assert [(r.unit.region.name, r.rank, r.final_stage) for r in rows] == [("甲一社区", 2, rules.RECHECK)]
    assert selectors.round_results(user=a.users["grid_worker"], round=a.round) == []


@pytest.mark.parametrize(
    "stage, persona",
    [
        (rules.SELF, "street_staff"),
        (rules.SELF, "district_staff"),
        (rules.SELF, "admin"),
        (rules.SELF, "grid_worker"),
    ],
)
def test_self_assessment_is_the_communitys_own(a, stage, persona):
    with pytest.raises((PermissionDenied, Http404)):
        services.sheet_save(user=a.users[persona], unit_id=a.a1.pk, stage=stage, version=1, scores=[])


def test_another_community_is_out_of_scope(a):
    with pytest.raises(Http404):
        services.sheet_save(user=a.users["community_worker2"], unit_id=a.a1.pk, stage=rules.SELF, version=1, scores=[])
    with pytest.raises(Http404):
        services.sheet_save(user=a.users["street_staff"], unit_id=a.b1.pk, stage=rules.FIRST, version=1, scores=[])


def test_each_stage_has_its_scorer(a):
    play(a, a.a1, 9, until=rules.FIRST)
    sheet = a.a1.sheets.get(stage=rules.FIRST)
    for persona in ("community_worker", "district_staff"):
        with pytest.raises(PermissionDenied):
            services.sheet_save(user=a.users[persona], unit_id=a.a1.pk, stage=rules.FIRST, version=1, scores=[])
    # Not the unit's stage any more.
    with pytest.raises(ValidationFailed) as exc:
        services.sheet_save(user=a.users["community_worker"], unit_id=a.a1.pk, stage=rules.SELF, version=9, scores=[])
    assert "当前处于初审阶段" in messages(exc.value)
    services.sheet_submit(user=a.users["street_staff"], unit_id=a.a1.pk, stage=rules.FIRST, version=sheet.version)
    with pytest.raises(PermissionDenied):
        services.sheet_save(user=a.users["street_staff"], unit_id=a.a1.pk, stage=rules.RECHECK, version=1, scores=[])
    with pytest.raises(PermissionDenied):
        services.round_confirm(user=a.users["street_staff"], round_id=a.round.pk, version=1)


def _save(a, scores, version=None):
    sheet = a.a1.sheets.get(stage=rules.SELF)
    return services.sheet_save(
        user=a.users["community_worker"],
        unit_id=a.a1.pk,
        stage=rules.SELF,
        version=sheet.version if version is None else version,
        scores=scores,
    )


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"points": "10.5"}, "得分不能超过分值10分"),
        ({"points": "-1"}, "得分不能为负数"),
        ({"points": None}, "请填写得分"),
    ],
)
def test_bad_scores_name_the_item_and_save_nothing(a, bad, message):
    first = a.star.items.order_by("order").first()
    scores = star_scores(a.star, 9)
    scores[0] |= bad
    with pytest.raises(ValidationFailed) as exc:
        _save(a, scores)
    assert [e.field for e in exc.value.errors] == [f"items.{first.pk}"]
    assert message in exc.value.errors[0].message
    assert Score.objects.count() == 0
    assert a.a1.sheets.get(stage=rules.SELF).version == 1


def test_a_deduction_needs_its_reason(world):
    star, keypoint = services.standard_schemes_install(region=world.district)
    rnd = services.round_create(
        user=world.users["street_staff"], scheme_id=keypoint.pk, name="点位测评", period="2026年第三季度",
        unit_ids=[world.community_a1.pk],
    )  # fmt: skip
    unit = rnd.units.get()
    item = keypoint.items.filter(method=rules.DEDUCTION).first()
    user = world.users["community_worker"]
    with pytest.raises(ValidationFailed) as exc:
        services.sheet_save(user=user, unit_id=unit.pk, stage=rules.SELF, version=1,
                            scores=[{"item_id": item.pk, "findings": [{"points": 1, "reason": ""}]}])  # fmt: skip
    assert exc.value.errors[0].field == f"items.{item.pk}"
    assert "扣分原因" in exc.value.errors[0].message
    findings = [{"points": 1, "reason": "3号楼楼道堆放杂物"}] * (int(item.max_points) + 2)
    sheet = services.sheet_save(
        user=user, unit_id=unit.pk, stage=rules.SELF, version=1, scores=[{"item_id": item.pk, "findings": findings}]
    )
    assert sheet.total == 0  # never below zero for the item
    assert sheet.scores.get().findings[0] == {"points": "1.00", "reason": "3号楼楼道堆放杂物"}
    with pytest.raises(ValidationFailed) as exc:
        services.sheet_submit(user=user, unit_id=unit.pk, stage=rules.SELF, version=sheet.version)
    assert "尚未评分" in messages(exc.value)


def test_stale_version_is_a_conflict_and_changes_nothing(a):
    sheet = _save(a, star_scores(a.star, 9))
    assert sheet.version == 2 and sheet.total == 90 and sheet.stars == 10
    with pytest.raises(Conflict):
        _save(a, star_scores(a.star, 5), version=1)
    assert a.a1.sheets.get(stage=rules.SELF).total == 90


def test_submitting_moves_the_unit_and_starts_the_review_from_its_scores(a):
    sheet = _save(a, star_scores(a.star, [9] * 8 + [8, 7]))
    assert (sheet.total, sheet.stars) == (D(87), 8)
    services.sheet_submit(user=a.users["community_worker"], unit_id=a.a1.pk, stage=rules.SELF, version=sheet.version)
    a.a1.refresh_from_db()
    assert a.a1.stage == rules.FIRST
    first = a.a1.sheets.get(stage=rules.FIRST)
    assert (first.total, first.stars, first.scored, first.submitted_at) == (D(87), 8, 10, None)
    with pytest.raises(Conflict):  # copying the scores bumped the review sheet
        services.sheet_submit(
            user=a.users["street_staff"], unit_id=a.a1.pk, stage=rules.FIRST, version=first.version - 1
        )


def test_save_and_submit_is_one_step_all_or_nothing(a):
    def save_and_submit(scores):
        version = a.a1.sheets.get(stage=rules.SELF).version
        return services.sheet_save(user=a.users["community_worker"], unit_id=a.a1.pk, stage=rules.SELF,
                                   version=version, scores=scores, submit=True)  # fmt: skip

    with pytest.raises(ValidationFailed) as exc:  # an item left out: not submitted, and not saved either
        save_and_submit(star_scores(a.star, 9)[:9])
    assert "尚未评分" in messages(exc.value) and a.a1.sheets.get(stage=rules.SELF).scored == 0
    sheet = save_and_submit(star_scores(a.star, 9))
    a.a1.refresh_from_db()
    assert (sheet.total, sheet.submitted_at is not None, a.a1.stage) == (90, True, rules.FIRST)
    assert a.a1.sheets.get(stage=rules.FIRST).total == 90


def test_confirm_is_not_submitted_per_unit(a):
    play(a, a.a1, 9, until=rules.CONFIRM)
    version = a.a1.sheets.get(stage=rules.CONFIRM).version
    with pytest.raises(ValidationFailed) as exc:
        services.sheet_save(user=a.users["district_staff"], unit_id=a.a1.pk, stage=rules.CONFIRM, version=version,
                            scores=star_scores(a.star, 10), submit=True)  # fmt: skip
    assert "请在轮次页面认定" in messages(exc.value)
    assert a.a1.sheets.get(stage=rules.CONFIRM).total == 90  # the adjustment was not kept either


def test_reviewer_drafts_are_hidden_from_the_unit_until_submitted(a):
    play(a, a.a1, 9, until=rules.FIRST)
    with pytest.raises(PermissionDenied):
        selectors.sheet_get(user=a.users["community_worker"], unit_id=a.a1.pk, stage=rules.FIRST)
    with pytest.raises(ValidationFailed):
        selectors.sheet_get(user=a.users["street_staff"], unit_id=a.a1.pk, stage=rules.RECHECK)
    unit, sheet = selectors.sheet_get(user=a.users["street_staff"], unit_id=a.a1.pk, stage=rules.FIRST)
    assert sheet.stage == rules.FIRST


def _docx() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("自评报告.pdf", b"%PDF-1.4 ...", ""),
        ("照片.png", _png(), ""),
        ("台账.docx", _docx(), ""),
        ("台账.xlsx", _docx(), "佐证材料（台账.xlsx）的内容是Word（.docx），与扩展名不符"),
        ("假的.pdf", b"MZ....", "佐证材料（假的.pdf）已损坏或不是有效的PDF文件"),
        ("病毒.exe", b"MZ", "只接受PDF、JPEG、PNG、Word（.docx）或Excel（.xlsx）"),
        ("空.pdf", b"", "佐证材料（空.pdf）是空文件"),
    ],
)
def test_evidence_files_are_checked(a, settings, tmp_path, name, content, problem):
    settings.MEDIA_ROOT = tmp_path
    item = a.star.items.first()
    upload = SimpleUploadedFile(name, content)
    if problem:
        with pytest.raises(ValidationFailed) as exc:
            services.evidence_add(user=a.users["community_worker"], unit_id=a.a1.pk, item_id=item.pk, upload=upload)
        assert problem in messages(exc.value)
        assert Evidence.objects.count() == 0
    else:
        e = services.evidence_add(user=a.users["community_worker"], unit_id=a.a1.pk, item_id=item.pk, upload=upload)
        assert (e.name, e.stage, e.size) == (name, rules.SELF, len(content))


def test_evidence_size_limit(a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationFailed) as exc:
        services.evidence_add(
            user=a.users["community_worker"], unit_id=a.a1.pk, item_id=a.star.items.first().pk,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 10 * 1024 * 1024),
        )  # fmt: skip
    assert "超过10MB" in messages(exc.value)


def test_evidence_only_by_the_stages_scorer(a):
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            user=a.users["street_staff"], unit_id=a.a1.pk, item_id=a.star.items.first().pk,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1"),
        )  # fmt: skip
