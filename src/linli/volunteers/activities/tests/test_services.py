"""Activities' services: who sets up and organises, sign-ups with the waiting list, cancelling, the cut-off job,
check-in codes, hours and their corrections."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.http import Http404
from django.utils import timezone

from linli.audit.models import AuditEntry
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.notifications.models import Message
from linli.volunteers import rules
from linli.volunteers.activities import services
from linli.volunteers.models import Activity, Correction, Credit, SignUp, Volunteer


def sign(crew, activity, *keys):
    return [services.signup_create(resident=crew.residents[k], activity_id=activity.pk) for k in keys]


def told(template: str, resident) -> int:
    return Message.objects.filter(template=template, user=resident.user).count()


# ---- set-up


def test_an_office_sets_up_a_draft_and_publishes_it(crew):
    activity = crew.activity(publish=False)
    assert (activity.state, activity.organiser, activity.region, activity.taken) == (
        rules.DRAFT, crew.worker, crew.world.community_a1, 0)  # fmt: skip
    assert len(activity.checkin_key) == 64
    published = services.activity_publish(user=crew.worker, activity_id=activity.pk, version=activity.version)
    assert published.state == rules.OPEN


def test_the_team_leader_sets_up_for_their_team_and_nobody_else_does(crew):
    leader = crew.residents["v1"].user
    activity = crew.activity(user=leader, team_id=crew.team.pk)
    assert (activity.organiser, activity.region, activity.state) == (leader, crew.team.region, rules.OPEN)
    for user in (crew.residents["v2"].user, crew.residents["plain"].user):
        with pytest.raises(PermissionDenied):
            crew.activity(user=user, team_id=crew.team.pk)
    with pytest.raises(PermissionDenied):
        crew.activity(user=crew.world.users["grid_worker"])
    with pytest.raises(Http404):  # another community's worker, in the first community
        crew.activity(user=crew.world.users["community_worker2"])


def test_the_content_is_checked_field_by_field(crew):
    start = timezone.now() + timedelta(days=2)
    bad = {"title": " ", "starts_at": start, "ends_at": start, "signup_until": start + timedelta(hours=1),
           "min_people": 5, "max_people": 3, "hours": Decimal("30")}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        crew.activity(**bad)
    assert {e.field for e in exc.value.errors} == {"title", "ends_at", "signup_until", "max_people", "hours"}


def test_an_edit_with_a_stale_version_is_refused_and_the_maximum_not_below_the_taken(crew):
    activity = crew.activity()
    sign(crew, activity, "v1", "v2")
    services.activity_update(user=crew.worker, activity_id=activity.pk, version=activity.version, title="合唱排练")
    with pytest.raises(Conflict):
        services.activity_update(user=crew.worker, activity_id=activity.pk, version=activity.version, title="又改")
    with pytest.raises(ValidationFailed) as exc:
        services.activity_update(user=crew.worker, activity_id=activity.pk, version=None, max_people=1)
    assert exc.value.errors[0].field == "max_people"


# ---- sign-ups and the waiting list


def test_sign_ups_fill_the_places_then_wait_in_order(crew):
    activity = crew.activity(max_people=2)
    made = sign(crew, activity, "v1", "v2", "v3", "v4")
    assert [s.state for s in made] == [rules.CONFIRMED, rules.CONFIRMED, rules.WAITING, rules.WAITING]
    activity.refresh_from_db()
    assert activity.taken == 2
    with pytest.raises(Conflict):
        sign(crew, activity, "v1")
    with pytest.raises(PermissionDenied):
        sign(crew, activity, "plain")


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_told(crew):
    activity = crew.activity(max_people=2)
    first, _, third, fourth = sign(crew, activity, "v1", "v2", "v3", "v4")
    services.signup_withdraw(resident=crew.residents["v1"], signup_id=first.pk)
    states = dict(SignUp.objects.filter(activity=activity).values_list("pk", "state"))
    assert (states[first.pk], states[third.pk], states[fourth.pk]) == (rules.WITHDRAWN, rules.CONFIRMED, rules.WAITING)
    assert SignUp.objects.get(pk=third.pk).promoted_at is not None
    assert (told("activities.promoted", crew.residents["v3"]), told("activities.promoted", crew.residents["v4"])) == (
        1, 0)  # fmt: skip
    activity.refresh_from_db()
    assert activity.taken == 2
    # a waiting volunteer who leaves frees no place
    services.signup_withdraw(resident=crew.residents["v4"], signup_id=fourth.pk)
    activity.refresh_from_db()
    assert activity.taken == 2
    # and may sign up again, at the end of the list
    (again,) = sign(crew, activity, "v4")
    assert again.state == rules.WAITING


def test_raising_the_maximum_promotes_the_waiting(crew):
    activity = crew.activity(max_people=1)
    sign(crew, activity, "v1", "v2", "v3")
    services.activity_update(user=crew.worker, activity_id=activity.pk, version=None, max_people=2)
    assert list(activity.signups.values_list("state", flat=True)) == [rules.CONFIRMED, rules.CONFIRMED, rules.WAITING]
    assert Activity.objects.get(pk=activity.pk).taken == 2


def test_no_sign_up_after_the_cutoff_nor_for_a_draft(crew):
    activity = crew.activity()
    with pytest.raises(Conflict):
        services.signup_create(resident=crew.residents["v1"], activity_id=activity.pk,
                               now=activity.signup_until + timedelta(seconds=1))  # fmt: skip
    draft = crew.activity(publish=False)
    with pytest.raises(Http404):  # a draft is not in the portal
        sign(crew, draft, "v1")


def test_cancelling_withdraws_everyone_and_tells_them(crew):
    activity = crew.activity(max_people=1)
    sign(crew, activity, "v1", "v2")
    with pytest.raises(ValidationFailed):
        services.activity_cancel(user=crew.worker, activity_id=activity.pk, version=None, reason=" ")
    services.activity_cancel(user=crew.worker, activity_id=activity.pk, version=activity.version, reason="暴雨预警")
    activity.refresh_from_db()
    assert (activity.state, activity.taken, activity.cancel_reason) == (rules.CANCELLED, 0, "暴雨预警")
    assert set(activity.signups.values_list("state", flat=True)) == {rules.WITHDRAWN}
    assert [told("activities.cancelled", crew.residents[k]) for k in ("v1", "v2", "v3")] == [1, 1, 0]
    assert AuditEntry.objects.filter(object_type="volunteers.Activity", object_ids=[activity.pk]).exists()


def test_the_cutoff_cancels_or_flags_below_the_minimum_once(crew):
    cancel = crew.activity(min_people=2, max_people=3)
    flag = crew.activity(min_people=2, max_people=3, on_short=rules.SHORT_FLAG)
    full = crew.activity(min_people=1, max_people=3)
    for a in (cancel, flag, full):
        sign(crew, a, "v1")
    at = cancel.signup_until + timedelta(minutes=1)
    assert services.cutoffs_apply(now=at - timedelta(minutes=2)) == (0, 0)  # before the cut-off: nothing
    assert services.cutoffs_apply(now=at) == (1, 1)
    assert services.cutoffs_apply(now=at) == (0, 0)  # idempotent
    states = {a.pk: (a.state, a.short) for a in Activity.objects.all()}
    assert states == {cancel.pk: (rules.CANCELLED, False), flag.pk: (rules.OPEN, True), full.pk: (rules.OPEN, False)}
    assert told("activities.cancelled", crew.residents["v1"]) == 1


# ---- check-in


def test_the_code_checks_in_then_out_and_a_forged_or_old_code_does_not(crew):
    activity = crew.activity()
    (signup,) = sign(crew, activity, "v1")
    token = services.checkin_token(user=crew.worker, activity_id=activity.pk)
    at = activity.starts_at
    assert services.checkin_scan(resident=crew.residents["v1"], token=token, now=at)[1] == "in"
    assert services.checkin_scan(resident=crew.residents["v1"], token=token, now=at + timedelta(hours=2))[1] == "out"
    with pytest.raises(Conflict):
        services.checkin_scan(resident=crew.residents["v1"], token=token, now=at)
    with pytest.raises(Conflict):  # not signed up
        services.checkin_scan(resident=crew.residents["v2"], token=token, now=at)
    with pytest.raises(ValidationFailed):
        services.checkin_scan(resident=crew.residents["v1"], token=token[:-2] + "xx", now=at)
    old = signing.TimestampSigner(key="x", salt="y").sign(str(activity.pk))
    with pytest.raises(ValidationFailed):
        services.checkin_scan(resident=crew.residents["v1"], token=old, now=at)
    services.checkin_renew(user=crew.worker, activity_id=activity.pk)
    with pytest.raises(ValidationFailed):  # a new key voids the codes shown before
        services.checkin_scan(resident=crew.residents["v1"], token=token, now=at)


def test_only_the_organiser_shows_a_code_and_checks_in_by_hand(crew):
    activity = crew.activity()
    (signup,) = sign(crew, activity, "v2")
    with pytest.raises(Http404):  # a volunteer, not its organiser
        services.checkin_token(user=crew.residents["v2"].user, activity_id=activity.pk)
    with pytest.raises(Http404):
        services.checkin_by_hand(user=crew.world.users["community_worker2"], signup_id=signup.pk)
    with pytest.raises(Conflict):  # too early
        services.checkin_by_hand(user=crew.worker, signup_id=signup.pk, now=activity.starts_at - timedelta(hours=3))
    assert services.checkin_by_hand(user=crew.worker, signup_id=signup.pk, now=activity.starts_at)[1] == "in"


# ---- hours


def test_confirming_credits_the_hours_given_or_the_activitys_and_none_for_no_shows(crew):
    activity = crew.activity(max_people=3)
    s1, s2, s3, s4 = sign(crew, activity, "v1", "v2", "v3", "v4")
    with pytest.raises(Conflict):
        services.hours_confirm(user=crew.worker, activity_id=activity.pk, version=None, now=activity.starts_at)
    made = services.hours_confirm(user=crew.worker, activity_id=activity.pk, version=activity.version,
                                  hours={s2.pk: "1.5", s3.pk: None}, now=crew.ended(activity))  # fmt: skip
    assert sorted((c.signup_id, c.hours) for c in made) == [(s1.pk, Decimal("2.0")), (s2.pk, Decimal("1.5"))]
    hours = dict(Volunteer.objects.values_list("pk", "hours"))
    assert (hours[s1.volunteer_id], hours[s2.volunteer_id], hours[s3.volunteer_id], hours[s4.volunteer_id]) == (
        Decimal("2.0"), Decimal("1.5"), 0, 0)  # fmt: skip
    assert Activity.objects.get(pk=activity.pk).state == rules.FINISHED
    with pytest.raises(Conflict):  # once only
        services.hours_confirm(user=crew.worker, activity_id=activity.pk, version=None, now=crew.ended(activity))
    assert told("activities.hours", crew.residents["v1"]) == 1
    # each is told their own hours, not the activity's
    got = Message.objects.filter(template="activities.hours", user=crew.residents["v2"].user).get()
    assert "1.5小时" in got.body and told("activities.hours", crew.residents["v3"]) == 0


def test_hours_of_another_activity_or_out_of_range_are_refused(crew):
    activity = crew.activity()
    other = crew.activity()
    (s1,) = sign(crew, activity, "v1")
    (o1,) = sign(crew, other, "v2")
    for hours in ({o1.pk: "1"}, {s1.pk: "25"}, {s1.pk: "两小时"}):
        with pytest.raises(ValidationFailed):
            services.hours_confirm(user=crew.worker, activity_id=activity.pk, version=None, hours=hours,
                                   now=crew.ended(activity))  # fmt: skip
    assert not Credit.objects.exists()


def test_a_correction_keeps_the_old_and_new_hours_and_the_total_follows(crew):
    activity = crew.activity()
    (s1,) = sign(crew, activity, "v1")
    (credit,) = services.hours_confirm(user=crew.worker, activity_id=activity.pk, version=None,
                                       now=crew.ended(activity))  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.credit_correct(user=crew.worker, credit_id=credit.pk, version=1, hours="3", reason="")
    services.credit_correct(user=crew.worker, credit_id=credit.pk, version=1, hours="3.5", reason="提前到场布置")
    with pytest.raises(Conflict):
        services.credit_correct(user=crew.worker, credit_id=credit.pk, version=1, hours="1", reason="再改")
    correction = Correction.objects.get()
    assert (correction.old_hours, correction.new_hours, correction.by) == (Decimal("2.0"), Decimal("3.5"), crew.worker)
    assert Volunteer.objects.get(pk=s1.volunteer_id).hours == Decimal("3.5")
    services.credit_correct(user=crew.worker, credit_id=credit.pk, version=2, hours="0", reason="实际未到场")
    assert Volunteer.objects.get(pk=s1.volunteer_id).hours == 0
    with pytest.raises(Http404):  # the volunteer does not organise it
        services.credit_correct(user=crew.residents["v1"].user, credit_id=credit.pk, version=3, hours="9",
                                reason="自己改")  # fmt: skip
    assert AuditEntry.objects.filter(object_type="volunteers.Credit").count() == 2
