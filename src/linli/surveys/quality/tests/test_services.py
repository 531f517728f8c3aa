from decimal import Decimal

import pytest
from django.http import Http404

from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.surveys import rules as survey_rules
from linli.surveys.models import Correction, Recheck
from linli.surveys.quality import selectors, services

from .builders import census, person_row, unit_survey


@pytest.fixture
def built(world):
    return census(world)


def recheck_answers(**changes):
    answers = {"H1": "1", "H2": 2, "P": [person_row("张三", "1", "1950-03-02"), person_row("李梅", "2", "2015-11-01")]}
    return answers | changes


def test_a_recheck_compares_item_by_item_and_keeps_the_counts(world, built):
    answers = recheck_answers(P=[person_row("张三", "1", "1950-03-02"), person_row("李梅", "1", "2015-11-01")])
    recheck = services.recheck_record(
        user=world.users["street_staff"], response_id=built.responses[0].pk, answers=answers
    )
    assert (recheck.items_checked, recheck.items_wrong) == (8, 1)
    assert recheck.conclusion == "发现1项差错（核对8项）"
    assert recheck.checked_by == world.users["street_staff"]
    (wrong,) = [d for d in recheck.differences if not d["same"]]
    assert wrong == {
        "path": "P.2.R3",
        "item": "P.R3",
        "label": "第2行 性别",
        "original": "2",
        "recheck": "1",
        "same": False,
    }


def test_a_form_is_rechecked_once(world, built):
    services.recheck_record(
        user=world.users["street_staff"],
        response_id=built.responses[0].pk,
        answers=recheck_answers(),
        conclusion="一致",
    )
    with pytest.raises(Conflict, match="已复核"):
        services.recheck_record(
            user=world.users["community_worker"], response_id=built.responses[0].pk, answers=recheck_answers()
        )
    assert Recheck.objects.get().conclusion == "一致"


def test_the_enumerator_of_a_form_may_not_recheck_it(world, built):
    # community_worker2 entered the second form (area 002 in 甲二); a community worker holds RECHECK
    with pytest.raises(PermissionDenied):
        services.recheck_record(
            user=world.users["community_worker2"],
            response_id=built.responses[1].pk,
            answers={"H1": "1", "H2": 1, "P": [person_row("王五", "1", "1990-06-30")]},
        )


@pytest.mark.parametrize(
    "persona, form, error",
    [
        ("grid_worker", 0, PermissionDenied),
        ("grid_worker", 1, Http404),
        ("community_worker", 1, Http404),
        ("dept_handler", 0, Http404),
    ],
)
def test_who_may_not_recheck(world, built, persona, form, error):
    # the grid worker holds no RECHECK and sees its own area only; 甲一's community worker does not see 甲二's area
    with pytest.raises(error):
        services.recheck_record(user=world.users[persona], response_id=built.responses[form].pk, answers={})


def test_only_drawn_forms_of_a_running_survey_are_rechecked(world, built):
    built.draw.picks.filter(unit=built.units[0]).delete()
    with pytest.raises(DomainError, match="未被抽中"):
        services.recheck_record(
            user=world.users["street_staff"], response_id=built.responses[0].pk, answers=recheck_answers()
        )
    built.survey.state = survey_rules.FINISHED
    built.survey.save()
    with pytest.raises(DomainError, match="不在进行中"):
        services.recheck_record(user=world.users["street_staff"], response_id=built.responses[1].pk, answers={})


def test_recheck_answers_are_checked_like_a_form(world, built):
    with pytest.raises(ValidationFailed) as exc:
        services.recheck_record(
            user=world.users["street_staff"], response_id=built.responses[0].pk, answers=recheck_answers(H1="7")
        )
    assert [e.field for e in exc.value.errors] == ["H1"]


def test_a_unit_survey_is_rechecked_on_its_record_form_over_the_shared_items(world):
    built = unit_survey(world)
    answers = {"U3": "１２０", "U4": 25, "U5": ["dust"], "C1": "接触人数有误"}
    recheck = services.recheck_record(
        user=world.users["district_staff"], response_id=built.responses[0].pk, answers=answers
    )
    assert [(d["path"], d["same"]) for d in recheck.differences] == [("U3", True), ("U4", False), ("U5", True)]
    assert recheck.form_version.definition["sections"][0]["key"] == "Q"


def test_a_correction_changes_one_answer_and_keeps_the_old_value(world, built):
    response = built.responses[0]
    correction = services.correction_apply(
        user=world.users["street_staff"], response_id=response.pk, path="P.2.R3", new="1", reason="复核更正", version=1
    )
    response.refresh_from_db()
    assert response.answers["P"][1]["R3"] == "1" and response.version == 2
    assert (correction.old, correction.new, correction.version) == ("2", "1", 2)
    assert correction.corrected_by == world.users["street_staff"]
    with pytest.raises(Conflict):
        services.correction_apply(
            user=world.users["street_staff"], response_id=response.pk, path="H2", new=3, reason="复核更正", version=1
        )


@pytest.mark.parametrize(
    "path, new, reason, field",
    [
        ("P.5.R3", "1", "更正", "path"),
        ("Z9", "1", "更正", "path"),
        ("H1", "9", "更正", "H1"),
        ("H1", "1", "更正", "new"),
        ("H2", 3, "", "reason"),
    ],
)
def test_a_correction_that_breaks_the_form_is_refused(world, built, path, new, reason, field):
    with pytest.raises(ValidationFailed) as exc:
        services.correction_apply(
            user=world.users["street_staff"],
            response_id=built.responses[0].pk,
            path=path,
            new=new,
            reason=reason,
            version=1,
        )
    assert [e.field for e in exc.value.errors] == [field]
    assert not Correction.objects.exists()


def test_who_may_correct(world, built):
    # the grid worker entered the first form and holds no RECHECK; 甲一's community worker runs no survey but
    # re-checks (RECHECK) in its areas, and so may correct the forms it may re-check
    with pytest.raises(PermissionDenied):
        services.correction_apply(
            user=world.users["grid_worker"],
            response_id=built.responses[0].pk,
            path="H2",
            new=3,
            reason="更正",
            version=1,
        )
    services.correction_apply(
        user=world.users["community_worker"],
        response_id=built.responses[0].pk,
        path="H2",
        new=3,
        reason="更正",
        version=1,
    )
    with pytest.raises(PermissionDenied):
        services.correction_apply(
            user=world.users["community_worker2"],
            response_id=built.responses[1].pk,
            path="H2",
            new=2,
            reason="更正",
            version=1,
        )


def test_error_rates_per_item_enumerator_and_area_in_the_users_scope(world, built):
    services.recheck_record(
        user=world.users["street_staff"], response_id=built.responses[0].pk, answers=recheck_answers(H2=3)
    )
    services.recheck_record(
        user=world.users["street_staff"],
        response_id=built.responses[1].pk,
        answers={"H1": "1", "H2": 1, "P": [person_row("王五", "1", "1990-06-30")]},
    )
    report = selectors.error_report(world.users["street_staff"], built.survey)
    assert (report.rechecks, report.overall.checked, report.overall.wrong) == (2, 13, 1)
    assert report.overall.rate == Decimal("0.0769")
    assert [(r.label, r.checked, r.wrong) for r in report.by_enumerator] == [
        ("grid_worker", 8, 1),
        ("community_worker2", 5, 0),
    ]
    assert [(r.label, r.percent) for r in report.by_area] == [
        ("001 甲一第1小区", "12.50%"),
        ("002 甲二第1小区", "0.00%"),
    ]
    assert [(r.key, r.checked, r.wrong) for r in report.by_item][:2] == [("H1", 2, 0), ("H2", 2, 1)]
    mine = selectors.error_report(world.users["community_worker"], built.survey)
    assert (mine.rechecks, [r.label for r in mine.by_area]) == (1, ["001 甲一第1小区"])
    with pytest.raises(PermissionDenied):
        selectors.error_report(world.users["grid_worker"], built.survey)
