"""Donation drives' services: set-up, consent, receipts, disbursements asked and decided by an office above and
never by the asker, a balance that never goes below zero (Hypothesis over random sequences through the services
and the database), closing; and concurrent approvals on threads."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.donations import rules, selectors, services
from linli.donations.models import Disbursement, Drive
from linli.testing import factories
from linli.testing.threads import in_thread, shared_database, simultaneously

from .conftest import ask, evidence, receive

pytestmark = pytest.mark.django_db
D = Decimal


def decide(world, d, approve=True, user="street_staff", note=""):
    return services.disbursement_decide(user=world.users[user], disbursement_id=d.pk, version=d.version,
                                        approve=approve, note=note)  # fmt: skip


def test_receipts_and_an_approved_disbursement_reconcile(world, drive):
    receive(world, drive, "3000.00")
    receive(world, drive, "5000.00", "transfer", donor_name="沈河区某商贸公司", donor_kind="organisation",
            reference="62220001")  # fmt: skip
    receive(world, drive, "2000.00", "goods", anonymous=True, donor_name="")
    d = ask(world, drive, "6000.00")
    assert d.state == rules.ASKED
    decide(world, d)
    drive.refresh_from_db()
    assert (drive.balance.money, drive.balance.goods, drive.balance.total) == (D(2000), D(2000), D(4000))
    book = selectors.ledger(drive)
    assert [line.balance.total for line in book.lines] == [D(3000), D(8000), D(10000), D(4000)]
    report = selectors.report(drive)
    assert report["reconciles"] and report["reached"] == 50
    assert [r.code for r in selectors.receipts(drive)] == [f"{drive.pk}-0003", f"{drive.pk}-0002", f"{drive.pk}-0001"]


def test_a_disbursement_beyond_the_balance_is_refused_when_asked_and_when_approved(world, drive):
    receive(world, drive, "1000.00")
    with pytest.raises(ValidationFailed) as exc:
        ask(world, drive, "1000.01")
    assert exc.value.errors[0].field == "amount"
    first, second = ask(world, drive, "800.00"), ask(world, drive, "800.00")
    decide(world, first)
    with pytest.raises(Conflict, match="资金余额200.00元"):
        decide(world, second)
    second.refresh_from_db()
    assert second.state == rules.ASKED
    # goods never pay money
    receive(world, drive, "5000.00", "goods")
    with pytest.raises(ValidationFailed):
        ask(world, drive, "300.00")


def test_the_database_refuses_an_overdraft_whatever_path_writes(world, drive):
    receive(world, drive, "10.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Drive.objects.filter(pk=drive.pk).update(disbursed_money=D("10.01"))


def test_the_asker_never_approves_and_a_community_cannot(world, drive):
    receive(world, drive, "1000.00")
    d = ask(world, drive, "100.00", user="street_staff")
    with pytest.raises(PermissionDenied, match="不能审批自己的申请"):
        decide(world, d, user="street_staff")
    with pytest.raises(PermissionDenied):
        decide(world, d, user="community_worker")
    decide(world, d, user="district_staff")  # the office above the asker's
    d2 = ask(world, drive, "100.00")
    with pytest.raises(PermissionDenied):
        decide(world, d2, user="community_worker2")


def test_a_drive_elsewhere_is_not_found(world, drive):
    from django.http import Http404

    far = services.drive_create(user=world.users["admin"], region_id=world.community_b1.pk, title="乙一社区助学",
                                purpose="助学", target=D(100), starts_on=date(2026, 1, 1),
                                ends_on=date(2026, 2, 1))  # fmt: skip
    with pytest.raises(Http404):
        receive(world, far, "10.00")
    receive(world, drive, "500.00")
    d = ask(world, drive, "100.00")
    street_b = factories.users(("street_b", factories.Role.STREET_STAFF, world.street_b, None, ()))["street_b"]
    with pytest.raises(Http404):
        services.disbursement_decide(user=street_b, disbursement_id=d.pk, version=d.version, approve=True)


def test_refusing_needs_a_reason_and_leaves_the_ledger_alone(world, drive):
    receive(world, drive, "1000.00")
    d = ask(world, drive, "100.00")
    with pytest.raises(ValidationFailed):
        decide(world, d, approve=False)
    decide(world, d, approve=False, note="凭证不全，请补充签收表")
    drive.refresh_from_db()
    assert drive.balance.total == D(1000) and len(selectors.ledger(drive).lines) == 1
    with pytest.raises(Conflict):
        services.disbursement_decide(user=world.users["district_staff"], disbursement_id=d.pk, version=None,
                                     approve=True)  # fmt: skip


def test_a_stale_version_answers_409(world, drive):
    services.drive_update(user=world.users["community_worker"], drive_id=drive.pk, version=drive.version,
                          title="帮扶火灾受困家庭（二期）", purpose="续募", target=D(30000),
                          starts_on=drive.starts_on, ends_on=drive.ends_on)  # fmt: skip
    with pytest.raises(Conflict):
        services.drive_update(user=world.users["community_worker"], drive_id=drive.pk, version=drive.version,
                              title="另一个名称", purpose="续募", target=D(30000), starts_on=drive.starts_on,
                              ends_on=drive.ends_on)  # fmt: skip


def test_beneficiaries_only_with_consent(world, drive):
    worker = world.users["community_worker"]
    with pytest.raises(ValidationFailed) as exc:
        services.beneficiary_add(user=worker, drive_id=drive.pk, name="王小明", need="房屋烧毁", consent_on=None,
                                 consent_note="")  # fmt: skip
    assert {e.field for e in exc.value.errors} == {"consent_on", "consent_note"}
    person = factories.person(world.grid_a1, name="王小明")
    b = services.beneficiary_add(user=worker, drive_id=drive.pk, name="", person_id=person.pk, need="房屋烧毁",
                                 consent_on=date(2026, 11, 2), consent_note="本人签署书面同意书")  # fmt: skip
    assert (b.name, b.masked) == ("王小明", "王*明")


def test_uploads_that_are_not_evidence_are_refused(world, drive):
    receive(world, drive, "1000.00")
    with pytest.raises(ValidationFailed) as exc:
        services.disbursement_ask(user=world.users["community_worker"], drive_id=drive.pk, fund="money",
                                  amount=D(10), purpose="救助", evidence=evidence("x.exe"))  # fmt: skip
    assert exc.value.errors[0].field == "evidence"


def test_closing_waits_for_pending_decisions_then_stops_the_ledger(world, drive):
    worker = world.users["community_worker"]
    receive(world, drive, "1000.00")
    d = ask(world, drive, "400.00")
    with pytest.raises(Conflict, match="待审批"):
        services.drive_close(user=worker, drive_id=drive.pk, version=None, summary="结项")
    decide(world, d)
    closed = services.drive_close(user=worker, drive_id=drive.pk, version=None, summary="余款600元转入社区救助金")
    assert closed.state == rules.CLOSED
    with pytest.raises(Conflict, match="已结项"):
        receive(world, drive, "1.00")


def test_pledges_count_when_received(world, drive):
    worker = world.users["community_worker"]
    pledge = services.pledge_add(
        user=worker, drive_id=drive.pk, donor_name="安居物业", donor_kind="organisation", anonymous=False,
        fund="money", amount=D(5000), pledged_on=date(2026, 11, 3),
    )  # fmt: skip
    drive.refresh_from_db()
    assert drive.balance.total == 0
    receive(world, drive, "5000.00", "transfer", pledge_id=pledge.pk, donor_name="安居物业", donor_kind="organisation")
    assert selectors.pledges(drive).get().received == D(5000)


steps = st.lists(st.tuples(st.sampled_from(["receive", "goods", "ask", "ask_goods"]),
                           st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2),
                           st.booleans()), max_size=12)  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_random_sequences_through_the_services_always_reconcile(world, drive, sequence):
    """Receipts, requests and decisions in any order, through the services and the database: refused requests
    change nothing, and the stored ledger reconciles with the drive's totals after every step."""
    sid = transaction.savepoint()
    try:
        for op, amount, approve in sequence:
            try:
                if op in ("receive", "goods"):
                    receive(world, drive, str(amount), "goods" if op == "goods" else "cash")
                else:
                    d = ask(world, drive, str(amount), "goods" if op == "ask_goods" else "money")
                    decide(world, d, approve=approve, note="" if approve else "不符合救助条件")
            except (ValidationFailed, Conflict):
                pass
            fresh = Drive.objects.get(pk=drive.pk)
            book = selectors.ledger(fresh)
            assert rules.reconciles(book) and book.balance == fresh.balance
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_approvals_never_overdraw(world, tmp_path):
    """Six requests of 300 against a balance of 1,000, approved at the same moment by six approvers: three pass."""
    drive = services.drive_create(user=world.users["admin"], region_id=world.community_a1.pk, title="助学",
                                  purpose="助学", target=D(1000), starts_on=date(2026, 1, 1),
                                  ends_on=date(2026, 12, 31))  # fmt: skip
    receive(world, drive, "1000.00")
    asked = [ask(world, drive, "300.00") for _ in range(6)]
    approvers = list(factories.users(*((f"s{i}", factories.Role.STREET_STAFF, world.street_a, None, ())
                                       for i in range(6)), ).values())  # fmt: skip

    def approve(i):
        return services.disbursement_decide(user=approvers[i], disbursement_id=asked[i].pk, version=None,
                                            approve=True)  # fmt: skip

    with shared_database(tmp_path):
        outcomes = simultaneously(approve, 6)
        stored = in_thread(lambda: Drive.objects.get(pk=drive.pk))
        approved = in_thread(lambda: Disbursement.objects.filter(state=rules.APPROVED).count())
    assert sum(isinstance(o, Disbursement) for o in outcomes) == 3 == approved
    assert all(isinstance(o, (Disbursement, Conflict)) for o in outcomes), outcomes
    assert stored.balance.money == D(100)


def test_statistics_of_the_scope(world, drive):
    receive(world, drive, "3000.00")
    receive(world, drive, "2000.00", "goods")
    d = ask(world, drive, "1000.00")
    decide(world, d)
    stats = selectors.statistics(user=world.users["street_staff"])
    assert stats["totals"]["money"] == D("3000.00") and stats["totals"]["out_money"] == D("1000.00")
    assert stats["drives"] == [{"title": drive.title, "received": "5000.00", "disbursed": "1000.00",
                                "target": "20000.00"}]  # fmt: skip
    assert stats["months"] == [{"month": "2026-11", "money": "3000.00", "goods": "2000.00"}]
    assert {m["name"]: m["value"] for m in stats["methods"]} == {"现金": "3000.00", "转账": "0.00", "物资": "2000.00"}
    assert selectors.statistics(user=world.users["community_worker2"])["totals"]["drives"] == 0
