from hypothesis import given
from hypothesis import strategies as st

from linli.archives import rules


def test_tags_are_trimmed_once_each_and_split_on_either_width():
    assert rules.clean_tags("扫黄打非，文明城区, 扫黄打非；减负") == (["扫黄打非", "文明城区", "减负"], None)
    assert rules.clean_tags([" 甲 ", "", "甲"]) == (["甲"], None)
    assert rules.clean_tags(["字" * 21])[1] == "每个标签不超过20个字"
    assert rules.clean_tags([str(i) for i in range(11)])[1] == "标签最多10个"


def test_the_checklist_names_the_empty_categories_in_order():
    filled = {"上级文件", "图片"}
    assert rules.missing_categories(list(rules.DEFAULT_CATEGORIES), filled) == [
        "本级文件", "工作方案", "活动记录", "汇报", "总结", "报表"]  # fmt: skip


def test_years_and_folder_names():
    assert rules.year_problem(2025) is None
    assert rules.year_problem(1999) and rules.year_problem(True) and rules.year_problem("2025")
    assert rules.folder_name(3, "工作方案") == "03-工作方案"


def test_names_in_the_zip():
    assert rules.safe_name("../../etc/passwd") == "_.._etc_passwd"
    assert rules.safe_name("  ") == "未命名"
    assert rules.safe_name("a" * 200 + ".docx").endswith(".docx") and len(rules.safe_name("a" * 200 + ".docx")) == 100
    taken: set[str] = set()
    assert [rules.unique_name(n, taken) for n in ("a.pdf", "A.pdf", "a.pdf", "b")] == [
        "a.pdf", "A (2).pdf", "a (3).pdf", "b"]  # fmt: skip


@given(st.text(max_size=300))
def test_a_safe_name_never_leaves_its_folder(name):
    safe = rules.safe_name(name)
    assert safe and len(safe) <= 100
    assert not any(c in safe for c in '/\\:*?"<>|') and not safe.startswith(".")
    assert all(ord(c) >= 32 and ord(c) != 127 for c in safe)


@given(st.lists(st.sampled_from(["a.pdf", "A.PDF", "b.docx", "a (2).pdf", "c"]), max_size=12))
def test_unique_names_are_unique(names):
    taken: set[str] = set()
    out = [rules.unique_name(n, taken) for n in names]
    assert len({n.lower() for n in out}) == len(out)
