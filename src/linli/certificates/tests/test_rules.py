import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.certificates import rules


def test_the_default_list_has_fifteen_matters_each_with_a_basis():
    assert len(rules.DEFAULT_MATTERS) == 15  # 004 篇十八: 《社区居委会日常出具证明事项》15项
    assert len({m.code for m in rules.DEFAULT_MATTERS}) == len({m.name for m in rules.DEFAULT_MATTERS}) == 15
    assert all(m.basis and "《" in m.basis and m.wording for m in rules.DEFAULT_MATTERS)


@pytest.mark.parametrize(("asked", "issuer"), [
    ("无犯罪记录证明", "公安机关"),
    ("开个亲属关系证明", "公证机构"),
    ("婚姻状况证明（未婚）", "婚姻登记机关"),
    ("证明我父亲还健在", "社会保险经办机构"),
    ("出生证明", "医疗机构"),
    ("身份证丢失证明", "原发证机关"),
    ("遗产继承", "公证机构"),
])  # fmt: skip
def test_matters_of_another_body_are_answered_with_who_issues_them(asked, issuer):
    answer = rules.outside_answer(asked)
    assert issuer in answer and "不出具" in answer


def test_a_matter_no_body_names_is_refused_as_outside_the_list():
    assert rules.outside_answer("证明我对邻居很友好").startswith(str(rules.NOT_LISTED))


@pytest.mark.parametrize(("state", "action", "after"), [
    ("submitted", "issue", "issued"), ("submitted", "refuse", "refused"), ("submitted", "withdraw", "withdrawn"),
    ("issued", "refuse", None), ("refused", "issue", None), ("withdrawn", "issue", None), ("issued", "withdraw", None),
])  # fmt: skip
def test_transitions(state, action, after):
    assert rules.next_state(state, action) == after


def test_an_application_names_what_it_lacks():
    errors = rules.application_errors(requester=" ", article="", purpose="", reason="", promised=False,
                                      evidence_kinds=[rules.SUPPORT])  # fmt: skip
    assert {e.field for e in errors} == {"requester", "article", "purpose", "reason", "id_card", "hukou", "promised"}
    assert rules.application_errors(requester="银行", article="第九条", purpose="开户", reason="需要", promised=True,
                                    evidence_kinds=[rules.ID_CARD, rules.HUKOU]) == []  # fmt: skip


def test_serials_count_per_community_and_year():
    assert rules.serial("210103001002", 2026, 42) == "210103001002-2026-0042"
    assert rules.next_seq([]) == 1
    assert rules.next_seq(["210103001002-2026-0042"]) == 43


def test_codes_are_read_as_typed():
    code = "AB12CD34EF56"
    assert rules.normalize_code("ab12-cd34-ef56") == code
    assert rules.normalize_code(" AB12 CD34 EF56 ") == code
    assert rules.normalize_code("ＡＢ１２ＣＤ３４ＥＦ５６") == code  # full-width, from a Chinese keyboard
    assert rules.normalize_code("0O1IL") is None  # too short
    assert rules.normalize_code("ABO2CDI4EFL6") == "AB02CD14EF16"  # O → 0, I and L → 1
    assert rules.normalize_code("AB12CD34EF5!") is None
    assert rules.shown_code(code) == "AB12-CD34-EF56"


@given(st.integers(min_value=0, max_value=50))
def test_new_codes_read_back_in_any_case_with_dashes(_):
    code = rules.new_code()
    assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)
    assert rules.normalize_code(rules.shown_code(code).lower()) == code


@given(st.text(max_size=30))
def test_normalized_codes_are_in_the_alphabet_or_none(text):
    code = rules.normalize_code(text)
    assert code is None or (len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET))


def test_verdicts():
    assert rules.verdict(False, False) == rules.UNKNOWN
    assert rules.verdict(True, False) == rules.VALID
    assert rules.verdict(True, True) == rules.REVOKED
