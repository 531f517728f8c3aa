"""How clerks write houses and tags in the person workbook."""

import pytest

from linli.people.imports.rules import house_key, split_tags


@pytest.mark.parametrize(
    ("written", "key"),
    [
        (("幸福里", "3", "1", "502"), ("幸福里", "3", "1", "502")),
        (("幸福 里", "3号楼", "1单元", "502室"), ("幸福里", "3", "1", "502")),
        (("幸福里", "３栋", "１", "５０２号"), ("幸福里", "3", "1", "502")),
        (("幸福里", "号楼", "单元", "室"), ("幸福里", "号楼", "单元", "室")),  # a suffix alone is kept
    ],
)
def test_house_keys_ignore_the_suffixes_clerks_add(written, key):
    assert house_key(*written) == key


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("", []),
        ("独居老人", [("独居老人", None)]),
        ("独居老人,残疾人(2级)", [("独居老人", None), ("残疾人", 2)]),
        ("残疾人（三级）；退役军人、 低保户 ", [("残疾人", 3), ("退役军人", None), ("低保户", None)]),
        ("残疾人4级，残疾人(9)", [("残疾人", 4), ("残疾人", 9)]),
        ("残疾人(一二级)", [("残疾人", 0)]),
    ],
)
def test_tags_are_split_with_their_grades(text, tags):
    assert split_tags(text) == tags
