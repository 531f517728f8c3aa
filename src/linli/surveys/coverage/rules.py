"""覆盖核查: the persons a census enumerated, compared with the registry's persons at the standard moment, and the
clean-up lists (户口整顿) that come of it.

Matching is forgiving about how a name or a date was written (full- and half-width characters, spaces, the middle
dot of minority names, a birth month without its day) and strict about what it reports: a row and a registry
person are paired only when the name, the sex and the birth date agree, and each list says why a row is on it.

The order of the work, over the whole frame at once:
1. a household's death form (死亡人口调查表) is paired with its registry persons: those are 应销未销;
2. each household's enumerated rows are paired with its own registry persons, exact dates first, then by month;
3. rows left over are looked for among registry persons of the survey's region who were left over elsewhere
   (enumerated here, registered in another household: 人户分离 by moving);
4. then: registry persons nobody enumerated are 漏登, rows nobody matched are 未登记, except those whose 户口登记地 is
   户口待定 (无户口); a paired person whose 户口登记地 disagrees with the registry's 人口类型 is 人户分离. In a
   household the enumerator found empty (空户), a person registered as living there (流动, 常住) is 应销未销.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext, gettext_lazy

# Kinds of finding, in the order the page lists them.
MISSED = "missed"  # 漏登: in the registry, not found by the enumeration
UNREGISTERED = "unregistered"  # 未登记: enumerated, not in the registry
SEPARATED = "separated"  # 人户分离: 户口登记地 and the registry disagree, or registered in another household
NO_HUKOU = "no_hukou"  # 无户口: 户口登记地 is 户口待定
DEREGISTER = "deregister"  # 应销未销: the registry still holds a person the household reports as dead or gone
KINDS = {
    MISSED: gettext_lazy("漏登"),
    UNREGISTERED: gettext_lazy("未登记"),
    SEPARATED: gettext_lazy("人户分离"),
    NO_HUKOU: gettext_lazy("无户口"),
    DEREGISTER: gettext_lazy("应销未销"),
}

PENDING = "pending"
APPLIED = "applied"
DISMISSED = "dismissed"
STATES = {PENDING: gettext_lazy("待核实"), APPLIED: gettext_lazy("已更正"), DISMISSED: gettext_lazy("已核销")}

# What applying a finding does to the registry (people.services does it).
SET_RESIDENCE = "residence"  # set the person's 人口类型
MOVE_IN = "move_in"  # move the person into the enumerated household
MOVE_OUT = "move_out"  # take the person out of the household (it no longer lives or exists there)
ADD = "add"  # register the enumerated person in the household (its ID number is asked for then)
NOTE = "note"  # nothing in the registry's fields says it: a note on the person
ACTIONS = {
    SET_RESIDENCE: gettext_lazy("更正人口类型"),
    MOVE_IN: gettext_lazy("迁入本户"),
    MOVE_OUT: gettext_lazy("移出本户"),
    ADD: gettext_lazy("登记为本户成员"),
    NOTE: gettext_lazy("备注无户口"),
}

# 户口登记地 (short form R6): 1 本普查小区, 2 本村(居)委会其他普查小区, 3 本乡(镇、街道)其他村(居)委会,
# 4 其他乡(镇、街道), 5 户口待定. The registry keeps a household's hukou by community, so 1 and 2 are "here".
HUKOU_HERE = {"1", "2"}
HUKOU_ELSEWHERE = {"3", "4"}
HUKOU_PENDING = "5"
HUKOU_LABELS = {
    "1": gettext_lazy("本普查小区"),
    "2": gettext_lazy("本村(居)委会其他普查小区"),
    "3": gettext_lazy("本乡(镇、街道)其他村(居)委会"),
    "4": gettext_lazy("其他乡(镇、街道)"),
    "5": gettext_lazy("户口待定"),
}

# The registry's 人口类型 (people.Person.ResidenceType) that say where the hukou is; 常住人口 and 境外人员 say nothing
# about it and are never contradicted.
REGISTERED = "registered"
FLOATING = "floating"
SEPARATED_TYPE = "separated"
RESIDENT = "resident"
REGISTRY_HERE = {REGISTERED}
REGISTRY_ELSEWHERE = {FLOATING, SEPARATED_TYPE}

# Short form R2 与户主关系 → the registry's relationship ("" where the registry has no such word).
RELATIONSHIPS = {
    "0": "head",
    "1": "spouse",
    "2": "child",
    "3": "parent",
    "4": "relative",
    "5": "grandparent",
    "6": "in_law",
    "7": "grandchild",
    "8": "sibling",
    "9": "",
}
SEXES = {"1": "M", "2": "F"}

_DOTS = re.compile(r"[·•‧・．.∙⋅]")
_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})\D{0,2}(\d{1,2})(?:\D{0,2}(\d{1,2}))?\D*$")


@lru_cache(maxsize=65536)
def normal_name(name: str) -> str:
    """A name as compared: NFKC (full-width letters and digits become half-width), no spaces, one middle dot, case
    folded (for names in Latin letters)."""
    text = unicodedata.normalize("NFKC", name or "")
    return _DOTS.sub("·", _SPACE.sub("", text)).casefold()


@lru_cache(maxsize=65536)
def birth_parts(value: str | None) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a birth date written as 1980-05-01, 1980-05, 1980年5月, 198005 or with
    full-width digits; None when it cannot be read."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    elif re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    found = _DATE.match(text)
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    day = int(found[3]) if found[3] else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return year, month, day


EXACT = "exact"  # name, sex and the whole birth date
MONTH = "month"  # name, sex and the birth month (one side gave no day)
NAME = "name"  # name and sex: one side has no birth date at all
LEVELS = {
    EXACT: gettext_lazy("姓名、性别、出生日期一致"),
    MONTH: gettext_lazy("姓名、性别、出生年月一致"),
    NAME: gettext_lazy("姓名、性别一致（缺出生日期）"),
}


def agreement(a_name, a_sex, a_birth, b_name, b_sex, b_birth) -> str | None:
    """How two descriptions of a person agree (EXACT, MONTH, NAME), or None when they are not the same person."""
    if not normal_name(a_name) or normal_name(a_name) != normal_name(b_name):
        return None
    if a_sex and b_sex and a_sex != b_sex:
        return None
    a, b = birth_parts(a_birth), birth_parts(b_birth)
    if a is None or b is None:
        return NAME
    if a[:2] != b[:2]:
        return None
    if a[2] is not None and b[2] is not None:
        return EXACT if a[2] == b[2] else None
    return MONTH


@dataclass(frozen=True)
class Row:
    """One person of a household's returned form (the P table of the short or long form, or the death form)."""

    unit: int  # the frame unit (household) it was entered for
    role: str  # short | long | death
    number: int  # 1-based row of the table
    name: str
    sex: str = ""  # M | F | ""
    birth: str = ""
    hukou: str = ""  # R6 户口登记地 code
    relation: str = ""  # R2 code
    extra: dict = field(default_factory=dict, hash=False, compare=False)  # other cells worth showing (民族 …)

    def shown(self) -> dict:
        """What a finding keeps of the row: no ID numbers (the census forms hold none)."""
        return {
            "role": self.role,
            "row": self.number,
            "name": self.name,
            "sex": self.sex,
            "birth": self.birth,
            "hukou": self.hukou,
            "relation": self.relation,
            **self.extra,
        }


@dataclass(frozen=True)
class Registered:
    """A registry person as of the standard moment."""

    person: int
    unit: int | None  # the frame unit of its household at the moment; None outside the frame
    name: str
    sex: str = ""
    birth: str = ""
    residence: str = ""  # people.Person.residence_type


@dataclass(frozen=True)
class Household:
    """A household of the frame that returned its forms, or that the enumerator found empty (空户): its rows, its
    death rows and its registry persons."""

    unit: int
    rows: tuple[Row, ...] = ()
    deaths: tuple[Row, ...] = ()
    registered: tuple[Registered, ...] = ()
    empty: bool = False


@dataclass(frozen=True)
class Found:
    kind: str
    unit: int
    key: str  # stable across recomputations, so that decisions are kept
    reason: str
    person: int | None = None
    row: Row | None = None
    change: dict = field(default_factory=dict, hash=False, compare=False)


def pair(
    rows: Iterable[Row], persons: Iterable[Registered]
) -> tuple[list[tuple[Row, Registered, str]], list[Row], list[Registered]]:
    """Pairs (row, person, level), rows left, persons left. Stricter levels pair first, so that a month-only match
    never takes the person an exact match wanted; within a level, rows in their order take the first person (by
    id) that agrees."""
    rows, persons = list(rows), sorted(persons, key=lambda p: p.person)
    by_name: dict[str, list[Registered]] = defaultdict(list)  # only persons of the same name can agree
    for person in persons:
        by_name[normal_name(person.name)].append(person)
    pairs: list[tuple[Row, Registered, str]] = []
    taken_rows: set[int] = set()
    taken: set[int] = set()
    for level in (EXACT, MONTH, NAME):
        for i, row in enumerate(rows):
            if i in taken_rows:
                continue
            for person in by_name.get(normal_name(row.name), ()):
                if (
                    id(person) not in taken
                    and agreement(row.name, row.sex, row.birth, person.name, person.sex, person.birth) == level
                ):
                    pairs.append((row, person, level))
                    taken_rows.add(i)
                    taken.add(id(person))
                    break
    rows_left = [row for i, row in enumerate(rows) if i not in taken_rows]
    return pairs, rows_left, [person for person in persons if id(person) not in taken]


def _row_key(kind: str, row: Row) -> str:
    """A row's key: its place in the household's form (two rows may describe the same person) and its name."""
    return f"{kind}:{row.unit}:{row.role}:{row.number}:{normal_name(row.name)[:50]}"


def residence_after(hukou: str) -> str:
    """The registry's 人口类型 for a person living in the household whose 户口登记地 is `hukou`."""
    if hukou in HUKOU_HERE:
        return REGISTERED
    if hukou in HUKOU_ELSEWHERE:
        return FLOATING
    return RESIDENT


def _residence_finding(row: Row, person: Registered) -> Found | None:
    """人户分离 of a paired person: the form says the hukou is elsewhere and the registry says here, or the reverse."""
    if row.hukou in HUKOU_ELSEWHERE and person.residence in REGISTRY_HERE:
        wanted, reason = SEPARATED_TYPE, gettext("普查登记户口在外乡镇（街道）或本街道其他社区，户籍登记为本地户籍人口")
    elif row.hukou in HUKOU_HERE and person.residence in REGISTRY_ELSEWHERE:
        wanted, reason = REGISTERED, gettext("普查登记户口在本社区，户籍登记为流动人口或人户分离")
    else:
        return None
    return Found(
        SEPARATED,
        row.unit,
        f"{SEPARATED}:{row.unit}:{person.person}",
        reason,
        person.person,
        row,
        {"action": SET_RESIDENCE, "residence_type": wanted},
    )


def findings(households: Iterable[Household], outside: Iterable[Registered] = ()) -> list[Found]:
    """The clean-up lists of a census (module docstring). `outside` holds the registry persons of the survey's
    region, not in these households, whose names some enumerated row bears: where a row left over may be
    registered."""
    households = list(households)
    found: list[Found] = []
    rows_left: list[Row] = []
    persons_left: list[Registered] = []
    for household in households:
        dead, _, alive = pair(household.deaths, household.registered)
        for row, person, level in dead:
            reason = gettext("死亡人口调查表申报已死亡（%(LEVELS)s），户籍仍在本户") % {"LEVELS": LEVELS[level]}
            found.append(
                Found(
                    DEREGISTER,
                    household.unit,
                    f"{DEREGISTER}:{household.unit}:{person.person}",
                    reason,
                    person.person,
                    row,
                    {"action": MOVE_OUT},
                )
            )
        pairs, rows, persons = pair(household.rows, alive)
        for row, person, _ in pairs:
            found.extend(_paired(row, person))
        rows_left.extend(rows)
        persons_left.extend(persons)

    moved, rows_left, persons_left = pair(rows_left, [*persons_left, *outside])
    for row, person, level in moved:
        if row.hukou == HUKOU_PENDING:
            found.extend(_paired(row, person))
            continue
        reason = gettext("在本户登记，户籍登记在其他户（%(LEVELS)s）") % {"LEVELS": LEVELS[level]}
        found.append(
            Found(
                SEPARATED,
                row.unit,
                f"{SEPARATED}:{row.unit}:{person.person}",
                reason,
                person.person,
                row,
                {"action": MOVE_IN, "residence_type": residence_after(row.hukou)},
            )
        )

    empty = {household.unit for household in households if household.empty}
    for person in persons_left:
        if person.unit is None:
            continue
        kind, change = MISSED, {"action": SET_RESIDENCE, "residence_type": SEPARATED_TYPE}
        if person.residence in REGISTRY_HERE:
            reason = gettext("户籍在本户，普查未登记（户在人不在）")
        else:
            change = {"action": MOVE_OUT}
            reason = gettext("登记为本户流动或常住人口，普查未登记（已不在本户居住）")
        if person.unit in empty:
            reason = gettext("入户登记为空户；") + reason
            # Nobody lives there: a registration as living there (流动, 常住) is one to cancel, not a person missed.
            kind = MISSED if person.residence in REGISTRY_HERE else DEREGISTER
        found.append(Found(kind, person.unit, f"{kind}:{person.unit}:{person.person}", reason, person.person, None,
                           change))  # fmt: skip
    for row in rows_left:
        if row.hukou == HUKOU_PENDING:
            found.append(
                Found(
                    NO_HUKOU,
                    row.unit,
                    _row_key(NO_HUKOU, row),
                    gettext("户口登记地为户口待定，户籍中无此人"),
                    None,
                    row,
                    {"action": ADD, "residence_type": RESIDENT},
                )
            )
        else:
            found.append(
                Found(
                    UNREGISTERED,
                    row.unit,
                    _row_key(UNREGISTERED, row),
                    gettext("普查已登记，户籍中无此人"),
                    None,
                    row,
                    {"action": ADD, "residence_type": residence_after(row.hukou)},
                )
            )
    return found


def _paired(row: Row, person: Registered) -> list[Found]:
    if row.hukou == HUKOU_PENDING:
        return [
            Found(
                NO_HUKOU,
                row.unit,
                f"{NO_HUKOU}:{row.unit}:{person.person}",
                gettext("户口登记地为户口待定，户籍中有此人"),
                person.person,
                row,
                {"action": NOTE, "note": gettext("无户口（普查申报户口待定）")},
            )
        ]
    separated = _residence_finding(row, person)
    return [separated] if separated else []


def counts(kinds: Iterable[str]) -> dict[str, int]:
    """Findings per kind, every kind present, in the page's order."""
    tally = dict.fromkeys(KINDS, 0)
    for kind in kinds:
        tally[kind] += 1
    return tally
