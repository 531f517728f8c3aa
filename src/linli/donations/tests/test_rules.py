"""The ledger's rules: exact money, masked names, and a balance that reconciles after every entry, whatever the
sequence of receipts and disbursements (Hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.donations import rules

D = Decimal


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("100", None),
        ("0.01", None),
        ("2000.50", None),
        ("9999999999.99", None),
        ("0", "金额须大于零"),
        ("-5", "金额须大于零"),
        ("0.001", "金额最多精确到分（两位小数）"),
        ("10000000000", "金额过大"),
        ("abc", "金额须是数字"),
        ("NaN", "金额须是数字"),
        ("Infinity", "金额须是数字"),
        ("1e400", "金额过大"),
    ],
)
def test_amounts_are_positive_yuan_to_the_fen(value, problem):
    assert rules.amount_problem(value) == problem


def test_donors_in_public():
    assert rules.donor_shown("张三丰", rules.PERSON, False) == "张*丰"
    assert rules.donor_shown("沈河区红十字会", rules.ORGANISATION, False) == "沈河区红十字会"
    assert rules.donor_shown("沈河区红十字会", rules.ORGANISATION, True) == rules.ANONYMOUS
    assert rules.donor_shown("张三丰", rules.PERSON, True) == rules.ANONYMOUS


def test_a_drive_for_a_flooded_family():
    """004 篇十三: a drive for families hit by disaster. 3,000 yuan in cash, a 5,000 transfer and 50 bags of rice
    valued at 2,000; 6,000 paid out and the rice handed out: 2,000 left in money, nothing in goods."""
    book = rules.ledger(
        [
            rules.Entry(rules.RECEIPT, rules.MONEY, D("3000.00")),
            rules.Entry(rules.RECEIPT, rules.MONEY, D("5000.00")),
            rules.Entry(rules.RECEIPT, rules.GOODS, D("2000.00")),
            rules.Entry(rules.DISBURSEMENT, rules.MONEY, D("6000.00")),
            rules.Entry(rules.DISBURSEMENT, rules.GOODS, D("2000.00")),
        ]
    )
    assert [line.balance.total for line in book.lines] == [D(3000), D(8000), D(10000), D(4000), D(2000)]
    assert (book.balance.money, book.balance.goods) == (D(2000), D(0))
    assert rules.reconciles(book)


def test_a_disbursement_beyond_its_fund_is_refused():
    balance = rules.Balance(received_money=D("100.00"), received_goods=D("500.00"))
    assert rules.overdrawn(balance, rules.MONEY, D("100.00")) is None
    assert rules.overdrawn(balance, rules.MONEY, D("100.01")) == "资金余额100.00元，不足以支出100.01元"
    # goods do not pay money: 500 yuan of rice leaves the money fund at 100
    assert rules.overdrawn(balance, rules.MONEY, D("200.00"))
    with pytest.raises(ValueError):
        balance.disburse(rules.GOODS, D("500.01"))


def test_tenths_of_a_fen_never_appear():
    book = rules.ledger([rules.Entry(rules.RECEIPT, rules.MONEY, D("0.10"))] * 3)
    assert book.balance.money == D("0.30")  # exactly, as 0.1 + 0.1 + 0.1 in floats is not


def test_who_decides_a_disbursement():
    assert rules.decision_problem(asked_by=1, user_id=2, office_above=True) is None
    assert rules.decision_problem(asked_by=1, user_id=1, office_above=True) == "支出申请人不能审批自己的申请"
    assert "上级" in rules.decision_problem(asked_by=1, user_id=2, office_above=False)


amounts = st.decimals(min_value=D("0.01"), max_value=D("100000.00"), places=2)
operations = st.lists(
    st.tuples(
        st.sampled_from([rules.RECEIPT, rules.DISBURSEMENT]), st.sampled_from([rules.MONEY, rules.GOODS]), amounts
    ),
    max_size=60,
)


@given(operations)
def test_the_balance_reconciles_after_every_entry(ops):
    """Any sequence of receipts and disbursement requests: the refused ones (beyond their fund) never enter, and
    after each entry receipts − disbursements = balance, per fund never below zero."""
    balance, entries = rules.Balance(), []
    for kind, fund, amount in ops:
        if kind == rules.DISBURSEMENT and rules.overdrawn(balance, fund, amount):
            continue
        entry = rules.Entry(kind, fund, amount)
        balance = balance.receive(fund, amount) if kind == rules.RECEIPT else balance.disburse(fund, amount)
        entries.append(entry)
    book = rules.ledger(entries)
    assert rules.reconciles(book)
    assert book.balance == balance
    received = sum((e.amount for e in entries if e.kind == rules.RECEIPT), D(0))
    disbursed = sum((e.amount for e in entries if e.kind == rules.DISBURSEMENT), D(0))
    assert book.balance.total == received - disbursed
    assert all(line.balance.money >= 0 and line.balance.goods >= 0 for line in book.lines)


@given(operations)
def test_a_ledger_with_an_overdraft_is_refused(ops):
    """rules.ledger never builds a ledger that goes below zero: it raises at the first overdraft."""
    entries = [rules.Entry(k, f, a) for k, f, a in ops]
    try:
        book = rules.ledger(entries)
    except ValueError:
        return
    assert rules.reconciles(book)
